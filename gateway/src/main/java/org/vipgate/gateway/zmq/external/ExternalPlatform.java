package org.vipgate.gateway.zmq.external;

import java.util.Objects;

/**
 * One other ZMQ platform this router links to (certs-csr-discovery.md §3.2, vip-zmq.md §4.2).
 *
 * @param instanceName its {@code instance-name}
 * @param vipAddress   its {@code vip-address}, {@code tcp://host:port}
 * @param serverKey    its platform public key, 43-character base64url form
 * @param rabbitMq     its discovery names an {@code rmq-address}: a RabbitMQ platform, whose RabbitMQ agents are
 *                     reached through federation or a shovel rather than through this link
 */
public record ExternalPlatform(String instanceName, String vipAddress, String serverKey, boolean rabbitMq) {

    public ExternalPlatform {
        Objects.requireNonNull(instanceName, "instanceName");
        Objects.requireNonNull(vipAddress, "vipAddress");
        Objects.requireNonNull(serverKey, "serverKey");
    }

    /** A ZeroMQ-only platform. */
    public ExternalPlatform(String instanceName, String vipAddress, String serverKey) {
        this(instanceName, vipAddress, serverKey, false);
    }
}
