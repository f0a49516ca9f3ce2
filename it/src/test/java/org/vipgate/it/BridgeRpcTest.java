package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Delivery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.testkit.RabbitBroker;
import org.vipgate.testkit.RabbitBrokerExtension;
import org.vipgate.testkit.vip.VipTestPeer;

/**
 * RPC between a ZMQ agent (jeromq) and a RabbitMQ agent written on amqp-client in VOLTTRON's format
 * (vip-rabbitmq.md §1.4-§1.7), through vipgate in the proxy-router role, both ways.
 */
@ExtendWith(RabbitBrokerExtension.class)
class BridgeRpcTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path home(RabbitBroker broker, String vhost) throws Exception {
        return TestHomes.writeWithoutAuth(dir.resolve("home"), "v1", broker, vhost);
    }

    @Test
    void aZmqAgentCallsARabbitMqAgentAndGetsTheReply(RabbitBroker broker) throws Exception {
        String vhost = TestHomes.uniqueVhost();
        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home(broker, vhost))))) {
            Gateway.Ready ready = gateway.start();
            try (RmqTestAgent ragent = new RmqTestAgent(broker, vhost, "v1", "ragent");
                 VipTestPeer zagent = VipTestPeer.connect(ready.vipAddresses().get(0), "zagent")) {
                zagent.hello(WAIT);
                RmqTestAgent.awaitBinding(broker, vhost, "v1.zagent"); // where ragent's reply goes
                String request = "{\"jsonrpc\": \"2.0\", \"method\": \"get_point\", \"params\": [\"t\"], \"id\": \"7.1\"}";
                zagent.send("ragent", "RPC", "1716400000.87", request);

                Delivery call = ragent.next();
                AMQP.BasicProperties p = call.getProperties();
                assertThat(call.getEnvelope().getRoutingKey()).isEqualTo("v1.ragent");
                assertThat(p.getAppId()).isEqualTo("v1.zagent");
                assertThat(p.getMessageId()).isEqualTo("1716400000.87");
                assertThat(p.getType()).isEqualTo("RPC");
                assertThat(p.getContentType()).isEqualTo("application/json");
                assertThat(p.getHeaders().get("proto").toString()).isEqualTo("VIP");
                assertThat(p.getHeaders().get("recipient").toString()).isEqualTo("v1.ragent");
                assertThat(p.getUserId()).as("user_id checked by RabbitMQ").isEqualTo(broker.username());
                JsonNode body = JSON.readTree(call.getBody());
                assertThat(body.isArray()).isTrue();
                assertThat(body.get(0).asText()).isEqualTo(request);

                ragent.send("v1.zagent", "RPC", "1716400000.87",
                        "{\"jsonrpc\": \"2.0\", \"id\": \"7.1\", \"result\": 21.5}");
                VipTestPeer.Received reply = zagent.expect("RPC", "1716400000.87", WAIT);
                assertThat(reply.sender()).isEqualTo("ragent");
                assertThat(reply.user()).isEqualTo("v1.ragent");
                assertThat(reply.args()).containsExactly("{\"jsonrpc\": \"2.0\", \"id\": \"7.1\", \"result\": 21.5}");
            }
        } finally {
            broker.management().delete("vhosts/" + vhost);
        }
    }

    @Test
    void aRabbitMqAgentCallsAZmqAgentAndGetsTheReply(RabbitBroker broker) throws Exception {
        String vhost = TestHomes.uniqueVhost();
        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home(broker, vhost))))) {
            Gateway.Ready ready = gateway.start();
            try (RmqTestAgent ragent = new RmqTestAgent(broker, vhost, "v1", "ragent");
                 VipTestPeer zagent = VipTestPeer.connect(ready.vipAddresses().get(0), "zagent")) {
                zagent.hello(WAIT);
                String request = "{\"jsonrpc\": \"2.0\", \"method\": \"status\", \"params\": [], \"id\": \"9.2\"}";
                // the binding for zagent is made just after its hello: retry until the call arrives
                VipTestPeer.Received call = null;
                for (int i = 0; i < 20 && call == null; i++) {
                    ragent.send("v1.zagent", "RPC", "r-" + i, request);
                    try {
                        call = zagent.expect(r -> "RPC".equals(r.subsystem()), Duration.ofMillis(500));
                    } catch (AssertionError notYet) {
                        call = null;
                    }
                }
                assertThat(call).as("the RMQ agent's call reached the ZMQ agent").isNotNull();
                assertThat(call.sender()).isEqualTo("ragent");
                assertThat(call.args()).containsExactly(request);

                zagent.send("ragent", "RPC", call.msgId(), "{\"jsonrpc\": \"2.0\", \"id\": \"9.2\", \"result\": \"ok\"}");
                // the calls sent before zagent's binding existed came back as errors 113 from v1.router: skip them
                Delivery reply = ragent.next();
                while ("error".equals(reply.getProperties().getType())) {
                    assertThat(reply.getProperties().getAppId()).isEqualTo("v1.router");
                    reply = ragent.next();
                }
                assertThat(reply.getProperties().getAppId()).isEqualTo("v1.zagent");
                assertThat(reply.getProperties().getMessageId()).isEqualTo(call.msgId());
                assertThat(JSON.readTree(reply.getBody()).get(0).asText())
                        .isEqualTo("{\"jsonrpc\": \"2.0\", \"id\": \"9.2\", \"result\": \"ok\"}");
                assertThat(new String(reply.getBody(), StandardCharsets.UTF_8)).startsWith("[\"");
            }
        } finally {
            broker.management().delete("vhosts/" + vhost);
        }
    }

    @Test
    void aRabbitMqAgentGetsItsConfigurationFromVipgatesStore(RabbitBroker broker) throws Exception {
        String vhost = TestHomes.uniqueVhost();
        Path store = dir.resolve("home/configuration_store");
        java.nio.file.Files.createDirectories(store);
        java.nio.file.Files.writeString(store.resolve("ragent.store"),
                "{\"config\": {\"type\": \"json\", \"modified\": null, \"data\": \"{\\\"rate\\\": 3}\"}}");
        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home(broker, vhost))))) {
            gateway.start();
            try (RmqTestAgent ragent = new RmqTestAgent(broker, vhost, "v1", "ragent")) {
                RmqTestAgent.awaitBinding(broker, vhost, "v1.config.store");
                ragent.send("v1.config.store", "RPC", "cfg-1", "{\"jsonrpc\": \"2.0\", \"method\":"
                        + " \"initialize_configs\", \"params\": [\"ragent\"], \"id\": \"c.1\"}");

                // the store pushes the stored configuration first, as a call from v1.config.store
                Delivery push = ragent.next();
                assertThat(push.getProperties().getAppId()).isEqualTo("v1.config.store");
                assertThat(push.getProperties().getType()).isEqualTo("RPC");
                JsonNode call = JSON.readTree(JSON.readTree(push.getBody()).get(0).asText());
                assertThat(call.path("method").asText()).isEqualTo("config.initial_update");
                assertThat(call.path("params").get(0).path("config").path("rate").asInt()).isEqualTo(3);
                ragent.send("v1.config.store", "RPC", push.getProperties().getMessageId(),
                        "{\"jsonrpc\": \"2.0\", \"id\": \"" + call.path("id").asText() + "\", \"result\": null}");

                Delivery reply = ragent.next();
                assertThat(reply.getProperties().getAppId()).isEqualTo("v1.config.store");
                assertThat(reply.getProperties().getMessageId()).isEqualTo("cfg-1");
                JsonNode answer = JSON.readTree(JSON.readTree(reply.getBody()).get(0).asText());
                assertThat(answer.path("id").asText()).isEqualTo("c.1");
                assertThat(answer.has("result")).as("%s", answer).isTrue();
            }
        } finally {
            broker.management().delete("vhosts/" + vhost);
        }
    }

    @Test
    void aCallToNobodyComesBackToTheZmqAgentAsError113(RabbitBroker broker) throws Exception {
        String vhost = TestHomes.uniqueVhost();
        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home(broker, vhost))))) {
            Gateway.Ready ready = gateway.start();
            try (VipTestPeer zagent = VipTestPeer.connect(ready.vipAddresses().get(0), "zagent")) {
                zagent.hello(WAIT);
                RmqTestAgent.awaitBinding(broker, vhost, "v1.zagent"); // where the 113 for zagent is sent
                zagent.send("nobody", "RPC", "1716400000.99", "{\"jsonrpc\": \"2.0\", \"method\": \"m\", \"id\": \"1\"}");

                // written so that a VOLTTRON client's json.loads gives back the id it sent
                VipTestPeer.Received error = zagent.expect("error", "\"1716400000.99\"", WAIT);
                assertThat(error.args().get(0)).isEqualTo("113");
                assertThat(error.args().get(1)).isEqualTo("No route to host");
                assertThat(error.args().get(3)).isEqualTo("RPC");
            }
        } finally {
            broker.management().delete("vhosts/" + vhost);
        }
    }

    @Test
    void aRabbitMqAgentsHelloIsWelcomedByTheRouterRole(RabbitBroker broker) throws Exception {
        String vhost = TestHomes.uniqueVhost();
        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home(broker, vhost))))) {
            Gateway.Ready ready = gateway.start();
            try (RmqTestAgent ragent = new RmqTestAgent(broker, vhost, "v1", "ragent");
                 VipTestPeer zagent = VipTestPeer.connect(ready.vipAddresses().get(0), "zagent")) {
                zagent.hello(WAIT);
                ragent.send("v1.router", "hello", "h-1", "hello");
                Delivery welcome;
                do { // §4.3: a peerlist broadcast about zagent may come first (it races with the hello)
                    welcome = ragent.next();
                } while ("peerlist".equals(welcome.getProperties().getType()));
                assertThat(welcome.getProperties().getType()).isEqualTo("hello");
                assertThat(welcome.getProperties().getMessageId()).isEqualTo("h-1");
                assertThat(JSON.readTree(welcome.getBody()).get(0).asText()).isEqualTo("welcome");

                // ZMQ peers (zagent, and vipgate's platform services) are announced once their bindings exist
                String peers = "";
                for (int i = 0; i < 50 && !peers.contains("zagent"); i++) {
                    ragent.send("v1.router", "peerlist", "p-" + i, "list_with_messagebus");
                    Delivery list;
                    do {
                        list = ragent.next();
                    } while (!("p-" + i).equals(list.getProperties().getMessageId()));
                    peers = JSON.readTree(list.getBody()).toString();
                }
                assertThat(peers).contains("zagent").contains("zmq").contains("ragent").contains("rmq")
                        .contains("config.store");
            }
        } finally {
            broker.management().delete("vhosts/" + vhost);
        }
    }

    @Test
    void aRabbitMqAgentCallsAZmqAgentThroughSendViaProxy(RabbitBroker broker) throws Exception {
        String vhost = TestHomes.uniqueVhost();
        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home(broker, vhost))))) {
            Gateway.Ready ready = gateway.start();
            try (RmqTestAgent ragent = new RmqTestAgent(broker, vhost, "v1", "ragent");
                 VipTestPeer zagent = VipTestPeer.connect(ready.vipAddresses().get(0), "zagent")) {
                zagent.hello(WAIT);
                // vip-rabbitmq.md §1.9: what an RMQ agent publishes for a peer listed with bus zmq
                String request = "{\"jsonrpc\": \"2.0\", \"method\": \"status\", \"params\": [], \"id\": \"3.3\"}";
                ragent.channel.basicPublish("volttron", "v1.proxy.router.zmq.outbound.subsystem", null,
                        JSON.writeValueAsBytes(new String[] {"zagent", "ragent", "VIP1", "v1.ragent", "m-7", "RPC",
                            request}));

                VipTestPeer.Received call = zagent.expect(r -> "RPC".equals(r.subsystem()), WAIT);
                assertThat(call.sender()).isEqualTo("ragent");
                assertThat(call.user()).isEqualTo("v1.ragent");
                assertThat(call.msgId()).isEqualTo("m-7");
                assertThat(call.args()).containsExactly(request);
            }
        } finally {
            broker.management().delete("vhosts/" + vhost);
        }
    }

    @Test
    void whenVolttronsRouterHoldsTheRouterQueueZmqPeersAreAnnouncedToIt(RabbitBroker broker) throws Exception {
        String vhost = TestHomes.uniqueVhost();
        broker.management().put("vhosts/" + vhost, "{}");
        broker.management().put("permissions/" + vhost + "/" + broker.username(),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
        try (com.rabbitmq.client.Connection volttronRouter = RmqTestAgent.factory(broker, vhost)
                .newConnection("v1.router")) {
            org.vipgate.gateway.amqp.VolttronTopology.declare(volttronRouter, vhost);
            com.rabbitmq.client.Channel ch = volttronRouter.createChannel();
            ch.queueDeclare("v1.router", false, true, true, null); // exclusive: vipgate must step aside
            ch.queueBind("v1.router", "volttron", "v1.router");
            java.util.concurrent.BlockingQueue<Delivery> toRouter = new java.util.concurrent.LinkedBlockingQueue<>();
            ch.basicConsume("v1.router", true, (t, d) -> toRouter.add(d), t -> { });

            try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home(broker, vhost))))) {
                Gateway.Ready ready = gateway.start();
                try (VipTestPeer zagent = VipTestPeer.connect(ready.vipAddresses().get(0), "zagent")) {
                    zagent.hello(WAIT);
                    Delivery add = toRouter.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    assertThat(add).as("peerlist add reached VOLTTRON's router").isNotNull();
                    assertThat(add.getProperties().getAppId()).isEqualTo("v1.zmq.proxy.router");
                    assertThat(add.getProperties().getType()).isEqualTo("peerlist");
                    assertThat(JSON.readTree(add.getBody()).toString()).isEqualTo("[\"add\",\"zagent\",\"zmq\"]");
                }
            }
        } finally {
            broker.management().delete("vhosts/" + vhost);
        }
    }
}
