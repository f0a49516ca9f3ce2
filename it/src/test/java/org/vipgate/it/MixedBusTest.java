package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Delivery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.gateway.vip.CurveKeys;
import org.vipgate.gateway.zmq.auth.PlatformKeystore;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.RabbitBroker;
import org.vipgate.testkit.RabbitBrokerExtension;
import org.vipgate.testkit.vip.PlatformFiles;
import org.vipgate.testkit.vip.VipTestPeer;
import org.vipgate.testkit.vip.VipTestPeer.Received;

/**
 * Mixed buses (vip-zmq.md §4.3–§4.5, vip-rabbitmq.md §2.3, §3): a RabbitMQ site v1 (vipgate on a real broker) and
 * a ZeroMQ-only site B (vipgate without a broker), linked over CURVE with each other's platform key. A RabbitMQ agent
 * in VOLTTRON's format on v1 calls an RPC on a ZMQ agent of B and subscribes with {@code all_platforms} to B's
 * publishes.
 */
@ExtendWith(RabbitBrokerExtension.class)
class MixedBusTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final PlatformKeystore keysA = PlatformKeystore.generate();
    private final PlatformKeystore keysB = PlatformKeystore.generate();
    private final PlatformKeystore agentKeys = PlatformKeystore.generate();

    /** Site v1 (RabbitMQ) and site B (ZeroMQ only), linked both ways, and B's address. */
    private record Sites(Gateway a, Gateway b, String vipB) implements AutoCloseable {
        @Override
        public void close() {
            b.close();
            a.close();
        }
    }

    private Sites start(RabbitBroker broker, String vhost) throws Exception {
        String vipB = "tcp://127.0.0.1:" + FreePorts.next();
        VolttronHome homeA = new VolttronHome(TestHomes.write(dir.resolve("a"), "v1", broker, vhost));
        String vipA = GatewayConfig.load(homeA).platform().vipAddresses().get(0);
        VolttronHome homeB = new VolttronHome(dir.resolve("b"));
        Files.createDirectories(homeB.root());
        Files.writeString(homeB.configFile(), "[volttron]\ninstance-name = B\nvip-address = " + vipB
                + "\nmessage-bus = zmq\n");
        platformFiles(homeA, keysA, "B", vipB, keysB);
        platformFiles(homeB, keysB, "v1", vipA, keysA);
        Gateway a = new Gateway(GatewayConfig.load(homeA));
        Gateway b = new Gateway(GatewayConfig.load(homeB));
        Sites sites = new Sites(a, b, vipB);
        try {
            a.start();
            b.start();
            Awaitility.await().atMost(WAIT).until(() -> "CONNECTED".equals(a.vip().externalPlatforms().get("B"))
                    && "CONNECTED".equals(b.vip().externalPlatforms().get("v1")));
            // vip-rabbitmq.md §3: an RMQ agent publishes B.<peer>; vipgate on v1 consumes B.#
            RmqTestAgent.awaitBinding(broker, vhost, "B.#");
            return sites;
        } catch (Exception | AssertionError e) {
            sites.close();
            throw e;
        }
    }

    private VipTestPeer zmqAgentOnB(Sites sites, String identity) {
        VipTestPeer peer = VipTestPeer.connect(sites.vipB(), identity, CurveKeys.decode(keysB.publicKeyText()),
                agentKeys.publicKey(), agentKeys.secretKey());
        peer.hello(WAIT);
        return peer;
    }

    @Test
    void aRabbitMqAgentCallsAndSubscribesToAZmqOnlyPlatform(RabbitBroker broker) throws Exception {
        String vhost = TestHomes.uniqueVhost();
        try (Sites sites = start(broker, vhost);
             RmqTestAgent ragent = new RmqTestAgent(broker, vhost, "v1", "ragent");
             VipTestPeer callee = zmqAgentOnB(sites, "callee")) {
            Gateway b = sites.b();
            // RPC: rpc.call('callee', 'get_point', 't', external_platform='B') as VOLTTRON's RMQ agent sends it
            String request = "{\"jsonrpc\": \"2.0\", \"method\": \"get_point\", \"params\": [\"t\"],"
                    + " \"id\": \"9.1\"}";
            ragent.send("B.callee", "RPC", "1716400000.5", request);

            Received call = callee.expect("external_rpc", "1716400000.5", WAIT);
            assertThat(call.arg(0)).isEqualTo("send_peer");
            JsonNode body = JSON.readTree(call.arg(1));
            assertThat(body.path("to_peer").asText()).isEqualTo("callee");
            assertThat(body.path("from_platform").asText()).isEqualTo("v1");
            assertThat(body.path("from_peer").asText()).isEqualTo("ragent");
            assertThat(body.path("args").get(0).asText()).isEqualTo(request);

            // vip-zmq.md §4.3 step 4: the callee answers send_platform to its router
            String response = "{\"jsonrpc\": \"2.0\", \"result\": 21.5, \"id\": \"9.1\"}";
            callee.send("", "external_rpc", "1716400000.5", "send_platform", JSON.writeValueAsString(Map.of(
                    "to_platform", "v1", "to_peer", "ragent", "from_platform", "B", "from_peer", "callee",
                    "args", new String[] {response})));

            Delivery reply = nextOfType(ragent, "RPC");
            assertThat(reply.getEnvelope().getRoutingKey()).isEqualTo("v1.ragent");
            assertThat(reply.getProperties().getMessageId()).isEqualTo("1716400000.5");
            assertThat(reply.getProperties().getAppId()).isEqualTo("B.callee");
            assertThat(reply.getProperties().getUserId()).as("checked by RabbitMQ").isEqualTo(broker.username());
            JsonNode replyBody = JSON.readTree(reply.getBody());
            assertThat(JSON.readTree(replyBody.get(0).asText())).isEqualTo(JSON.readTree(response));

            // vip-rabbitmq.md §2.3: all_platforms = own binding + a subscribe request to the proxy
            ragent.channel.queueBind("v1.ragent", "volttron", "__pubsub__.*.devices.campus.#");
            ragent.channel.basicPublish("volttron", "v1.proxy.router.pubsub", null, JSON.writeValueAsBytes(
                    new Object[] {"ragent", "", "VIP1", "", "", "pubsub", "subscribe",
                            Map.of("prefix", "devices/campus", "bus", "", "all_platforms", true)}));
            Awaitility.await().atMost(WAIT).until(() -> b.vip().pubsub().externalSubscriptions()
                    .getOrDefault("v1", List.of()).contains("devices/campus"));

            callee.send("", "pubsub", "p-1", "publish", "devices/campus/b1/all",
                    "{\"bus\": \"\", \"headers\": {}, \"message\": {\"temp\": 21.5}}");
            Delivery published = nextOfType(ragent, "pubsub");
            assertThat(published.getEnvelope().getRoutingKey()).isEqualTo("__pubsub__.B.devices.campus.b1.all.#");
            JsonNode pub = JSON.readTree(new String(published.getBody(), StandardCharsets.UTF_8));
            assertThat(pub.path("sender").asText()).isEqualTo("callee");
            assertThat(pub.path("message").path("temp").asDouble()).isEqualTo(21.5);
        } finally {
            broker.management().delete("vhosts/" + vhost);
        }
    }

    @Test
    void aZmqAgentOfTheZmqOnlyPlatformCallsARabbitMqAgent(RabbitBroker broker) throws Exception {
        String vhost = TestHomes.uniqueVhost();
        try (Sites sites = start(broker, vhost);
             RmqTestAgent ragent = new RmqTestAgent(broker, vhost, "v1", "ragent");
             VipTestPeer caller = zmqAgentOnB(sites, "caller")) {
            // vip-zmq.md §4.3 step 1: rpc.call('ragent', 'status', external_platform='v1') on B
            String request = "{\"jsonrpc\": \"2.0\", \"method\": \"status\", \"params\": [], \"id\": \"4\"}";
            caller.send("", "external_rpc", "m-4", "send_platform", JSON.writeValueAsString(Map.of("to_platform",
                    "v1", "to_peer", "ragent", "from_platform", "", "from_peer", "", "args", new String[] {request})));

            // vip-rabbitmq.md §3: the RMQ agent sees an RPC from B.caller
            Delivery call = nextOfType(ragent, "RPC");
            assertThat(call.getEnvelope().getRoutingKey()).isEqualTo("v1.ragent");
            assertThat(call.getProperties().getAppId()).isEqualTo("B.caller");
            assertThat(call.getProperties().getMessageId()).isEqualTo("m-4");
            assertThat(JSON.readTree(JSON.readTree(call.getBody()).get(0).asText())).isEqualTo(JSON.readTree(request));

            // ... and answers as VOLTTRON's RMQ RPC does: to <msg.platform>.<msg.peer>, same message_id
            String response = "{\"jsonrpc\": \"2.0\", \"result\": \"RUNNING\", \"id\": \"4\"}";
            ragent.send("B.caller", "RPC", "m-4", response);

            Received reply = caller.expect("external_rpc", "m-4", WAIT);
            assertThat(reply.arg(0)).isEqualTo("send_peer");
            JsonNode body = JSON.readTree(reply.arg(1));
            assertThat(body.path("from_platform").asText()).isEqualTo("v1");
            assertThat(body.path("from_peer").asText()).isEqualTo("ragent");
            assertThat(body.path("to_peer").asText()).isEqualTo("caller");
            assertThat(JSON.readTree(body.path("args").get(0).asText())).isEqualTo(JSON.readTree(response));
        } finally {
            broker.management().delete("vhosts/" + vhost);
        }
    }

    /** Skips router broadcasts (peerlist) and anything else not of {@code type}. */
    private static Delivery nextOfType(RmqTestAgent agent, String type) throws InterruptedException {
        Delivery d;
        do {
            d = agent.next();
        } while (!type.equals(d.getProperties().getType()));
        return d;
    }

    /** The platform keystore, auth.json allowing the other platform and the test agents, and the discovery file. */
    private void platformFiles(VolttronHome home, PlatformKeystore own, String other, String otherVip,
                               PlatformKeystore otherKeys) throws Exception {
        PlatformFiles.keystore(home.root(), own.publicKeyText(), own.secretKeyText());
        PlatformFiles.authAllowing(home.root(), Map.of("platform-" + other, otherKeys.publicKeyText(), "agents",
                agentKeys.publicKeyText()));
        PlatformFiles.discovery(home.root(), other, otherVip, otherKeys.publicKeyText());
    }
}
