package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.testkit.RabbitBroker;
import org.vipgate.testkit.RabbitBrokerExtension;
import org.vipgate.testkit.vip.VipTestPeer;

/** PubSub across the buses with a multi-segment topic (vip-rabbitmq.md §2.1, §2.2; vip-zmq.md §3.2), both ways. */
@ExtendWith(RabbitBrokerExtension.class)
class BridgePubSubTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path home(RabbitBroker broker, String vhost) throws Exception {
        return TestHomes.writeWithoutAuth(dir.resolve("home"), "v1", broker, vhost);
    }

    private static Connection connect(RabbitBroker broker, String vhost) throws Exception {
        return RmqTestAgent.factory(broker, vhost).newConnection("rmq-agent");
    }

    private static void subscribe(VipTestPeer peer, String prefix) {
        peer.send("", "pubsub", "s-" + prefix, "subscribe",
                "{\"prefix\": \"" + prefix + "\", \"bus\": \"\", \"all_platforms\": false}");
        peer.expect("pubsub", "s-" + prefix, WAIT);
    }

    @Test
    void aZmqPublishReachesARabbitMqSubscriberAndTheOtherWayRound(RabbitBroker broker) throws Exception {
        String vhost = TestHomes.uniqueVhost();
        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home(broker, vhost))))) {
            Gateway.Ready ready = gateway.start(); // creates the vhost
            Connection rmq = connect(broker, vhost);
            Channel ch = rmq.createChannel();
            // vip-rabbitmq.md §2.3: a subscription is a queue bound to the pubsub key of the prefix
            String queue = ch.queueDeclare("v1.ragent.pubsub.test", false, true, true, null).getQueue();
            ch.queueBind(queue, "volttron", "__pubsub__.v1.devices.#");
            BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
            ch.basicConsume(queue, true, (t, d) -> got.add(d), t -> { });

            try (VipTestPeer zpub = VipTestPeer.connect(ready.vipAddresses().get(0), "zpub");
                 VipTestPeer zsub = VipTestPeer.connect(ready.vipAddresses().get(0), "zsub")) {
                zpub.hello(WAIT);
                zsub.hello(WAIT);
                subscribe(zsub, "analysis/");
                subscribe(zsub, "devices/");

                // ZMQ -> RabbitMQ
                zpub.send("", "pubsub", "p-1", "publish", "devices/campus/building/all",
                        "{\"bus\": \"\", \"headers\": {\"min_compatible_version\": \"3.0\"}, \"message\": {\"temp\": 21.5}}");
                Delivery d = got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(d).as("the RabbitMQ subscriber got the ZMQ publish").isNotNull();
                assertThat(d.getEnvelope().getRoutingKey()).isEqualTo("__pubsub__.v1.devices.campus.building.all.#");
                JsonNode body = JSON.readTree(d.getBody());
                assertThat(body.path("sender").asText()).isEqualTo("zpub");
                assertThat(body.path("message").path("temp").asDouble()).isEqualTo(21.5);
                assertThat(d.getProperties().getType()).isEqualTo("pubsub");

                // ... and the ZMQ subscriber got it exactly once (not again through RabbitMQ)
                VipTestPeer.Received local = zsub.expect(r -> "publish".equals(r.arg(0)), WAIT);
                assertThat(local.arg(1)).isEqualTo("devices/campus/building/all");
                assertThat(zsub.receive(Duration.ofSeconds(1))).as("no second copy").isNull();

                // RabbitMQ -> ZMQ, as VOLTTRON's RMQ pubsub publishes (vip-rabbitmq.md §1.4, §2.2)
                AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().appId("v1.ragent")
                        .headers(Map.of("recipient", "", "proto", "VIP", "user", "ragent"))
                        .messageId("r-1").type("pubsub").contentType("application/json").build();
                ch.basicPublish("volttron", "__pubsub__.v1.analysis.site.power.#", props,
                        "{\"sender\": \"ragent\", \"bus\": \"\", \"headers\": {}, \"message\": 5}"
                                .getBytes(StandardCharsets.UTF_8));
                VipTestPeer.Received fromRmq = zsub.expect(r -> "publish".equals(r.arg(0)), WAIT);
                assertThat(fromRmq.sender()).isEmpty();
                assertThat(fromRmq.arg(1)).isEqualTo("analysis/site/power");
                JsonNode rbody = JSON.readTree(fromRmq.arg(2));
                assertThat(rbody.path("sender").asText()).isEqualTo("ragent");
                assertThat(rbody.path("message").asInt()).isEqualTo(5);
            } finally {
                rmq.close();
            }
        } finally {
            broker.management().delete("vhosts/" + vhost);
        }
    }

    /**
     * vip-rabbitmq.md §2.4: a publish of another platform (here v2, as federation or a shovel brings it into v1's
     * {@code volttron} exchange) reaches the ZMQ peers subscribed with {@code all_platforms} and no one else; the
     * binding vipgate made for them goes away with the last such subscriber.
     */
    @Test
    void anotherPlatformsPublishReachesOnlyAllPlatformsSubscribers(RabbitBroker broker) throws Exception {
        String vhost = TestHomes.uniqueVhost();
        String bindingsPath = "exchanges/" + vhost + "/volttron/bindings/source";
        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home(broker, vhost))))) {
            Gateway.Ready ready = gateway.start();
            try (Connection rmq = connect(broker, vhost);
                 VipTestPeer zall = VipTestPeer.connect(ready.vipAddresses().get(0), "zall");
                 VipTestPeer zlocal = VipTestPeer.connect(ready.vipAddresses().get(0), "zlocal")) {
                zall.hello(WAIT);
                zlocal.hello(WAIT);
                zall.send("", "pubsub", "s-all", "subscribe",
                        "{\"prefix\": \"devices/campus\", \"bus\": \"\", \"all_platforms\": true}");
                zall.expect("pubsub", "s-all", WAIT);
                subscribe(zlocal, "devices/campus");
                Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(bindingKeys(broker, bindingsPath))
                        .contains("__pubsub__.*.devices.campus.#"));

                Channel ch = rmq.createChannel();
                AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().appId("v2.remote")
                        .headers(Map.of("recipient", "", "proto", "VIP", "user", "remote"))
                        .messageId("x-1").type("pubsub").contentType("application/json").build();
                ch.basicPublish("volttron", "__pubsub__.v2.devices.campus.bldg.all.#", props,
                        "{\"sender\": \"remote\", \"bus\": \"\", \"headers\": {}, \"message\": 7}"
                                .getBytes(StandardCharsets.UTF_8));
                VipTestPeer.Received got = zall.expect(r -> "publish".equals(r.arg(0)), WAIT);
                assertThat(got.arg(1)).isEqualTo("devices/campus/bldg/all");
                assertThat(JSON.readTree(got.arg(2)).path("sender").asText()).isEqualTo("remote");
                assertThat(zlocal.receive(Duration.ofSeconds(1)))
                        .as("a local subscription does not match another platform's publish (§2.4)").isNull();

                zall.send("", "pubsub", "u-all", "unsubscribe",
                        "{\"all\": {\"prefix\": \"devices/campus\", \"bus\": \"\"}}");
                zall.expect("pubsub", "u-all", WAIT);
                Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(bindingKeys(broker, bindingsPath))
                        .doesNotContain("__pubsub__.*.devices.campus.#"));
            }
        } finally {
            broker.management().delete("vhosts/" + vhost);
        }
    }

    /**
     * vip-rabbitmq.md §1.9, §2.3: an RMQ agent's all_platforms subscribe is sent to the proxy's request queue;
     * vipgate keeps its prefix (what other platforms are to be told of). Malformed requests are counted and dropped,
     * and an external_rpc request, which needs links to ZMQ platforms, is counted as dropped.
     */
    @Test
    void aRabbitMqAgentsAllPlatformsSubscribeReachesTheProxy(RabbitBroker broker) throws Exception {
        String vhost = TestHomes.uniqueVhost();
        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home(broker, vhost))))) {
            gateway.start();
            try (Connection rmq = connect(broker, vhost)) {
                Channel ch = rmq.createChannel();
                ch.basicPublish("volttron", "v1.proxy.router.pubsub", null, "not json".getBytes(StandardCharsets.UTF_8));
                ch.basicPublish("volttron", "v1.proxy.router.pubsub", null, ("[\"ragent\", \"\", \"VIP1\", \"\","
                        + " \"\", \"pubsub\", \"subscribe\", {\"prefix\": \"devices/campus\", \"bus\": \"\","
                        + " \"all_platforms\": true}]").getBytes(StandardCharsets.UTF_8));
                ch.basicPublish("volttron", "v1.proxy.router.external_rpc", null, ("[\"ragent\", \"\", \"VIP1\","
                        + " \"\", \"m-1\", \"external_rpc\", \"send_platform\", {\"to_platform\": \"v9\"}]")
                        .getBytes(StandardCharsets.UTF_8));
                Awaitility.await().atMost(WAIT).untilAsserted(() -> {
                    Map<String, Object> stats = gateway.statistics();
                    assertThat(stats.get("pubsub").toString()).contains("rabbitmq_all_platforms_prefixes=[devices/campus]");
                    assertThat(stats.get("bridge").toString()).contains("rejected=1").contains("external_rpc_dropped=1");
                });
            }
        } finally {
            broker.management().delete("vhosts/" + vhost);
        }
    }

    private static Set<String> bindingKeys(RabbitBroker broker, String path) {
        Set<String> keys = new HashSet<>();
        broker.management().get(path).forEach(b -> keys.add(b.path("routing_key").asText()));
        return keys;
    }
}
