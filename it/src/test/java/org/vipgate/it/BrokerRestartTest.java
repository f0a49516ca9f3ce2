package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.testkit.NodeOptions;
import org.vipgate.testkit.PrivateNode;

/**
 * A running gateway loses its broker, is connected again once the broker is back, without a restart of its own,
 * and declares VOLTTRON's exchanges again.
 */
class BrokerRestartTest {

    @TempDir
    Path dir;

    @Test
    void reconnectsAfterTheBrokerRestarts() throws Exception {
        try (PrivateNode node = PrivateNode.start(NodeOptions.defaults())) {
            Path home = TestHomes.write(dir.resolve("home"), "restart1", node, "volttron");
            try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home)))) {
                gateway.start();
                assertThat(gateway.isConnected()).isTrue();

                // Gone behind vipgate's back: recovery must declare them again.
                node.management().delete("exchanges/volttron/volttron");
                node.management().delete("exchanges/volttron/undeliverable");
                node.stop();
                await("connection seen as lost").atMost(Duration.ofSeconds(30)).until(() -> !gateway.isConnected());

                node.start();
                // reconnect-delay is 2 s in the test home: the back-off is capped there.
                await("connection recovered").atMost(Duration.ofSeconds(60)).until(gateway::isConnected);
                await("exchanges declared again").atMost(Duration.ofSeconds(10))
                        .until(() -> node.management().get("exchanges/volttron/volttron") != null);
                assertThat(node.management().get("exchanges/volttron/volttron").path("arguments")
                        .path("alternate-exchange").asText()).isEqualTo("undeliverable");
                assertThat(node.management().get("exchanges/volttron/undeliverable")).isNotNull();
            }
        }
    }
}
