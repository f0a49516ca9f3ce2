package org.vipgate.testkit;

import java.net.URI;
import java.util.OptionalInt;

/**
 * A running RabbitMQ broker that a test may use: where it listens and how to log in.
 *
 * <p>Obtained from {@link RabbitBrokers}. {@link #close()} stops the broker when the fixture started it
 * (a private node or a container) and does nothing for a broker given in the environment.
 */
public interface RabbitBroker extends AutoCloseable {

    /** Host of every listener (loopback for private nodes). */
    String host();

    /** Plain AMQP port. */
    int amqpPort();

    /** AMQPS port, present when the broker was started with a TLS listener. */
    OptionalInt amqpsPort();

    /** Port of the management HTTP API (plain HTTP). */
    int managementPort();

    /**
     * Port of the management API over HTTPS, present when the fixture started the broker with TLS and a
     * management TLS listener (private nodes do; other brokers report none). It uses the TLS listener's CA and
     * server certificate, and does not ask for a client certificate, as VOLTTRON's broker (vip-rabbitmq.md §7.2).
     */
    default OptionalInt managementTlsPort() {
        return OptionalInt.empty();
    }

    /** A user with the administrator tag and full permissions on the default vhost. */
    String username();

    /** The password of {@link #username()}. */
    String password();

    /** One line for logs and failure messages: what kind of broker, its name and ports. */
    String describe();

    /** Base URI of the management API, e.g. {@code http://127.0.0.1:15672}. */
    default URI managementUri() {
        return URI.create("http://" + host() + ":" + managementPort());
    }

    /** A client for the management API of this broker, logged in as {@link #username()}. */
    default ManagementProbe management() {
        return new ManagementProbe(managementUri(), username(), password());
    }

    /** Stops the broker if the fixture owns it; never throws for a broker that is already gone. */
    @Override
    void close();
}
