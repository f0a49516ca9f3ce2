package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.ManagementProbe;
import org.vipgate.testkit.NodeOptions;
import org.vipgate.testkit.PrivateNode;
import org.vipgate.testkit.RabbitBroker;
import org.vipgate.testkit.RabbitBrokerExtension;

/** {@code bin/vipgate run} as an operator runs it: ready line, clean stop, bad configuration, broker outages. */
@ExtendWith(RabbitBrokerExtension.class)
class RunCommandTest {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(30);
    /** What the JVM reports after shutdown hooks ran on SIGTERM. */
    private static final int SIGTERM_EXIT = 143;

    @TempDir
    Path dir;

    @Test
    void reachesItsReadyLineAndStopsCleanlyOnSigterm(RabbitBroker broker) throws Exception {
        String vhost = TestHomes.uniqueVhost();
        Path home = TestHomes.write(dir.resolve("home"), "site1", broker, vhost);
        try (VipgateProcess vipgate = VipgateProcess.start("run", "--home", home.toString())) {
            String ready = vipgate.awaitLine("vipgate ready", START);
            assertThat(ready).contains("site1").contains(broker.host() + ":" + broker.amqpPort() + "/" + vhost);
            assertThat(broker.management().get("exchanges/" + vhost + "/volttron")).isNotNull();
            assertThat(Files.isDirectory(home.resolve("certificates/private"))).as("home layout created").isTrue();

            assertThat(vipgate.terminate(STOP)).isEqualTo(SIGTERM_EXIT);
            assertThat(vipgate.output()).contains("stop requested").contains("vipgate stopped")
                    .doesNotContain("Exception in thread");
        } finally {
            broker.management().delete("vhosts/" + vhost);
        }
    }

    @Test
    void anUnknownMessageBusExitsWithConfigErrorNamingFileAndKey() throws Exception {
        Path home = TestHomes.write(dir.resolve("home"), "site1", "127.0.0.1", 5672, 15672, "v", "u", "p");
        Files.writeString(home.resolve("config"), "[volttron]\ninstance-name = site1\nmessage-bus = kafka\n");
        try (VipgateProcess vipgate = VipgateProcess.start("run", "--home", home.toString())) {
            assertThat(vipgate.waitFor(STOP)).isEqualTo(78);
            assertThat(vipgate.output())
                    .contains(home.resolve("config").toString())
                    .contains("message-bus")
                    .contains("kafka")
                    .contains("'zmq' or 'rmq'")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void anUnreachableBrokerIsReportedWithAddressAndCauseAndRetried() throws Exception {
        int closedPort = FreePorts.next();
        Path home = TestHomes.write(dir.resolve("home"), "site1", "127.0.0.1", closedPort, closedPort, "v",
                "guest", "guest");
        try (VipgateProcess vipgate = VipgateProcess.start("run", "--home", home.toString())) {
            String first = vipgate.awaitLine(l -> l.contains("attempt 1 failed"), START);
            assertThat(first).contains("127.0.0.1:" + closedPort).contains("ConnectException")
                    .contains("rabbitmq_config.yml");
            vipgate.awaitLine(l -> l.contains("attempt 2 failed"), START);
            assertThat(vipgate.isAlive()).as("still retrying").isTrue();
            assertThat(vipgate.output()).doesNotContain("\tat ");

            assertThat(vipgate.terminate(STOP)).isEqualTo(SIGTERM_EXIT);
            assertThat(vipgate.output()).contains("vipgate stopped");
        }
    }

    @Test
    void becomesReadyOnceTheBrokerComesUp() throws Exception {
        try (PrivateNode node = PrivateNode.start(NodeOptions.defaults())) {
            node.stop();
            Path home = TestHomes.write(dir.resolve("home"), "late", node, "volttron");
            try (VipgateProcess vipgate = VipgateProcess.start("run", "--home", home.toString())) {
                vipgate.awaitLine(l -> l.contains("attempt 1 failed"), START);
                node.start();
                vipgate.awaitLine("vipgate ready", START);
                ManagementProbe management = node.management();
                assertThat(management.get("exchanges/volttron/volttron")).isNotNull();
                assertThat(vipgate.terminate(STOP)).isEqualTo(SIGTERM_EXIT);
            }
        }
    }

    @Test
    void refusedCredentialsExitWithoutRetrying(RabbitBroker broker) throws Exception {
        Path home = TestHomes.write(dir.resolve("home"), "site1", broker.host(), broker.amqpPort(),
                broker.managementPort(), "v", broker.username(), "wrong-password");
        try (VipgateProcess vipgate = VipgateProcess.start("run", "--home", home.toString())) {
            assertThat(vipgate.waitFor(START)).isEqualTo(77);
            assertThat(vipgate.output()).contains("refused user '" + broker.username() + "'")
                    .contains("rabbitmq_config.yml").doesNotContain("\tat ");
        }
    }
}
