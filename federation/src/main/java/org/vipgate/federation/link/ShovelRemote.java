package org.vipgate.federation.link;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code shovel} (vip-rabbitmq.md §6.1).
 *
 * @param host         the map key: remote host, used in the URI, as SNI, for the CSR and in shovel names
 * @param port         remote AMQPS port
 * @param virtualHost  remote vhost
 * @param httpsPort    remote web port (default 8443)
 * @param shovelUser   {@code shovel-user}, {@code <local inst>.<name>}: the local key the remote certificate is
 *                     requested for
 * @param instanceName vipgate's optional {@code instance-name}: the remote instance name, saving a discovery call
 * @param certificates present once obtained or given
 * @param pubsub       the topics to carry, in file order
 * @param rpc          the calls to carry, in file order
 * @param queueShovel  vipgate's {@code queue-shovel: true}: one durable queue and one shovel carrying all of them, so
 *                     that nothing published while the link is down is lost
 */
public record ShovelRemote(String host, int port, String virtualHost, int httpsPort, String shovelUser,
                           Optional<String> instanceName, Optional<CertificateFiles> certificates,
                           List<PubSubRoute> pubsub, List<RpcRoute> rpc, boolean queueShovel) {

    public static final int DEFAULT_HTTPS_PORT = 8443;

    public ShovelRemote {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(virtualHost, "virtualHost");
        Objects.requireNonNull(shovelUser, "shovelUser");
        Objects.requireNonNull(instanceName, "instanceName");
        Objects.requireNonNull(certificates, "certificates");
        pubsub = List.copyOf(pubsub);
        rpc = List.copyOf(rpc);
    }

    /** {@code https://<host>:<https-port>}. */
    public URI webAddress() {
        return URI.create("https://" + host + ":" + httpsPort);
    }
}
