package org.vipgate.federation.link;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The local instance and broker, as links need them.
 *
 * @param instance   the local instance name
 * @param host       the local broker's host ({@code host} of rabbitmq_config.yml; SNI, must match its certificate)
 * @param amqpsPort  its AMQPS port ({@code amqp-port-ssl})
 * @param vhost      its vhost ({@code virtual-host}): where parameters and policies go
 * @param trustedCas {@code certificates/certs/<instance>-trusted-cas.crt}: the CA of the local broker (§6.2)
 */
public record LocalBroker(String instance, String host, int amqpsPort, String vhost, Path trustedCas) {

    public LocalBroker {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(vhost, "vhost");
        Objects.requireNonNull(trustedCas, "trustedCas");
    }
}
