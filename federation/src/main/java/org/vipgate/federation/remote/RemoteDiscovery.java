package org.vipgate.federation.remote;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What a remote platform answered to {@code GET /discovery/} (certs-csr-discovery.md §3.1).
 *
 * @param instanceName the remote instance name (mandatory, §3.1)
 * @param rmqAddress   {@code amqps://host:port/vhost}, or null on a ZMQ platform
 * @param rmqCaPem     the remote root CA (PEM), or null on a ZMQ platform
 * @param vipAddress   the external VIP address, or null
 * @param serverKey    the platform's CURVE public key (43 characters), or null
 */
public record RemoteDiscovery(String instanceName, URI rmqAddress, String rmqCaPem, String vipAddress,
                              String serverKey) {

    public RemoteDiscovery {
        Objects.requireNonNull(instanceName, "instanceName");
    }

    /** §3.1: the platform runs RabbitMQ only when both {@code rmq-address} and {@code rmq-ca-cert} are present. */
    public boolean isRabbitMq() {
        return rmqAddress != null && rmqCaPem != null;
    }

    public Optional<URI> rmq() {
        return Optional.ofNullable(rmqAddress);
    }
}
