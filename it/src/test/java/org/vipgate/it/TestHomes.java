package org.vipgate.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.RabbitBroker;

/** VOLTTRON_HOMEs as VOLTTRON writes them, pointing at a test broker, each with a vhost of its own. */
final class TestHomes {

    private TestHomes() {
    }

    /** A fresh vhost name, so that tests sharing a broker never see each other's objects. */
    static String uniqueVhost() {
        return "vipgate-it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Writes {@code config} and {@code rabbitmq_config.yml} (ssl off) for the broker and vhost. */
    static Path write(Path home, String instance, RabbitBroker broker, String vhost) throws IOException {
        return write(home, instance, broker.host(), broker.amqpPort(), broker.managementPort(), vhost,
                broker.username(), broker.password());
    }

    /** As {@link #write(Path, String, RabbitBroker, String)}, with {@code allow-auth = false}: plain ZMQ peers. */
    static Path writeWithoutAuth(Path home, String instance, RabbitBroker broker, String vhost) throws IOException {
        write(home, instance, broker, vhost);
        Files.writeString(home.resolve("config"), "allow-auth = false\n", java.nio.file.StandardOpenOption.APPEND);
        return home;
    }

    static Path write(Path home, String instance, String host, int amqpPort, int mgmtPort, String vhost,
                      String user, String pass) throws IOException {
        return write(home, instance, new Ports(amqpPort, 5671, mgmtPort, 15671), host, vhost, user, pass, false);
    }

    /** The four ports of rabbitmq_config.yml. */
    record Ports(int amqp, int amqpSsl, int mgmt, int mgmtSsl) {
    }

    /** {@code config} and {@code rabbitmq_config.yml} as vcfg writes them (vip-rabbitmq.md §7.1). */
    static Path write(Path home, String instance, Ports ports, String host, String vhost, String user, String pass,
                      boolean ssl) throws IOException {
        Files.createDirectories(home);
        Files.writeString(home.resolve("config"), """
                [volttron]
                message-bus = rmq
                vip-address = tcp://127.0.0.1:%d
                instance-name = %s
                """.formatted(FreePorts.next(), instance));
        Files.writeString(home.resolve("rabbitmq_config.yml"), """
                host: %s
                amqp-port: %d
                amqp-port-ssl: %d
                mgmt-port: %d
                mgmt-port-ssl: %d
                virtual-host: %s
                user: %s
                pass: %s
                ssl: '%s'
                reconnect-delay: 2
                """.formatted(host, ports.amqp(), ports.amqpSsl(), ports.mgmt(), ports.mgmtSsl(), vhost, user, pass,
                ssl));
        return home;
    }
}
