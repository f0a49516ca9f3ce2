package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vipgate.federation.management.ManagementClient;
import org.vipgate.federation.management.ManagementEndpoint;
import org.vipgate.gateway.amqp.HelloPermissions;
import org.vipgate.gateway.amqp.VolttronTopology;
import org.vipgate.gateway.amqp.bridge.RouterRole;
import org.vipgate.gateway.zmq.PlatformInfo;
import org.vipgate.testkit.ManagementProbe;
import org.vipgate.testkit.RabbitBroker;
import org.vipgate.testkit.RabbitBrokerExtension;

/** vipgate as {@code v1.router} for RabbitMQ agents (vip-rabbitmq.md §4), on a real broker, without a Gateway. */
@ExtendWith(RabbitBrokerExtension.class)
class RouterRoleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RabbitBroker broker;
    private String vhost;
    private Connection connection;
    private RouterRole router;

    RouterRoleTest(RabbitBroker broker) {
        this.broker = broker;
    }

    private ConnectionFactory factory() {
        return RmqTestAgent.factory(broker, vhost);
    }

    private static JsonNode args(Delivery d) throws Exception {
        return JSON.readTree(d.getBody());
    }

    @BeforeEach
    void startRouter() throws Exception {
        vhost = TestHomes.uniqueVhost();
        ManagementProbe management = broker.management();
        management.put("vhosts/" + vhost, "{}");
        management.put("permissions/" + vhost + "/" + ManagementProbe.segment(broker.username()),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
        connection = factory().newConnection("vipgate-router");
        VolttronTopology.declare(connection, vhost);
        PlatformInfo info = new PlatformInfo("v1", "FSG7LHhy3v8tdNz3gK35G6-oxUcyln54pYRKu5fBJzU",
                "https://v1:8443", "rmq", Map.of("volttron-central-address", "https://vc:8443"));
        router = new RouterRole(connection, "v1", broker.username(), info, () -> List.of("tcp://127.0.0.1:22916"));
        assertThat(router.start()).as("the router role is taken").isTrue();
    }

    @AfterEach
    void stopRouter() throws Exception {
        if (router != null) {
            router.close();
        }
        if (connection != null) {
            connection.close();
        }
        broker.management().delete("vhosts/" + vhost);
    }

    @Test
    void helloGetsWelcomeWithTheSameMessageId() throws Exception {
        try (RmqTestAgent agent = new RmqTestAgent(broker, vhost, "v1", "ragent")) {
            Delivery welcome = agent.hello();
            AMQP.BasicProperties p = welcome.getProperties();
            assertThat(welcome.getEnvelope().getRoutingKey()).isEqualTo("v1.ragent");
            assertThat(p.getType()).isEqualTo("hello");
            assertThat(p.getMessageId()).isEqualTo("connect.hello.0");
            assertThat(p.getAppId()).isEqualTo("v1.router");
            assertThat(p.getUserId()).as("user_id checked by RabbitMQ").isEqualTo(broker.username());
            assertThat(p.getHeaders().get("user").toString()).as("§1.6: echoed").isEqualTo("v1.ragent");
            assertThat(args(welcome)).isEqualTo(JSON.readTree("[\"welcome\", \"1.0\", \"router\", \"ragent\"]"));
        }
    }

    @Test
    void peerlistWithMessagebusShowsZmqAndRmqPeers() throws Exception {
        router.zmqPeerAdded("zagent");
        try (RmqTestAgent agent = new RmqTestAgent(broker, vhost, "v1", "ragent")) {
            agent.hello();
            agent.send("v1.router", "peerlist", "p.1", "list_with_messagebus");
            Delivery listing = agent.next();
            assertThat(listing.getProperties().getMessageId()).isEqualTo("p.1");
            JsonNode a = args(listing);
            assertThat(a.get(0).asText()).isEqualTo("listing_with_messagebus");
            assertThat(JSON.readTree(a.get(1).asText()))
                    .as("§4.2: json.dumps({peer: bus})")
                    .isEqualTo(JSON.readTree("{\"zagent\": \"zmq\", \"ragent\": \"rmq\"}"));

            agent.send("v1.router", "peerlist", "p.2", "list");
            assertThat(args(agent.next())).isEqualTo(JSON.readTree("[\"listing\", \"zagent\", \"ragent\"]"));
        }
    }

    @Test
    void aSecondAgentJoiningIsBroadcastToTheFirst() throws Exception {
        try (RmqTestAgent first = new RmqTestAgent(broker, vhost, "v1", "first"); RmqTestAgent second = new RmqTestAgent(broker, vhost, "v1", "second")) {
            first.hello();
            second.hello();
            Delivery add = first.next();
            assertThat(add.getProperties().getType()).isEqualTo("peerlist");
            assertThat(add.getProperties().getMessageId()).isEmpty();
            assertThat(add.getProperties().getHeaders().get("user").toString()).isEqualTo("v1.router");
            assertThat(args(add)).isEqualTo(JSON.readTree("[\"add\", \"second\", \"rmq\"]"));
        }
    }

    @Test
    void anRpcToNobodyComesBackAsError113() throws Exception {
        try (RmqTestAgent agent = new RmqTestAgent(broker, vhost, "v1", "ragent")) {
            agent.hello();
            agent.send("v1.nobody", "RPC", "1716400000.5",
                    "{\"jsonrpc\": \"2.0\", \"method\": \"m\", \"params\": [], \"id\": \"5\"}");
            Delivery error = agent.next();
            assertThat(error.getProperties().getType()).isEqualTo("error");
            assertThat(error.getProperties().getMessageId()).isEqualTo("1716400000.5");
            assertThat(error.getProperties().getAppId()).isEqualTo("v1.router");
            // §4.4: the recipient is the original headers.recipient, i.e. the full routing key
            assertThat(args(error)).isEqualTo(JSON.readTree("[113, \"No route to host\", \"v1.nobody\", \"RPC\"]"));
            assertThat(router.counters()).containsEntry("unroutable_answered", 1L);
        }
    }

    @Test
    void aPublishNobodySubscribedToIsCountedAndNotAnswered() throws Exception {
        try (RmqTestAgent agent = new RmqTestAgent(broker, vhost, "v1", "ragent")) {
            agent.hello();
            agent.send("__pubsub__.v1.devices.campus.all.#", "pubsub", "pub.1", "{}");
            Awaitility.await().atMost(WAIT)
                    .until(() -> router.counters().get("unroutable_pubsub_dropped") == 1L);
            assertThat(agent.inbox.poll(1, TimeUnit.SECONDS)).as("no answer to an unroutable publish").isNull();
        }
    }

    @Test
    void queryInstanceNameAnswers() throws Exception {
        try (RmqTestAgent agent = new RmqTestAgent(broker, vhost, "v1", "ragent")) {
            agent.hello();
            agent.send("v1.router", "query", "q.1", "instance-name");
            Delivery answer = agent.next();
            assertThat(answer.getProperties().getType()).isEqualTo("query");
            assertThat(answer.getProperties().getMessageId()).isEqualTo("q.1");
            assertThat(args(answer)).as("§4.2: trailing ''").isEqualTo(JSON.readTree("[\"\", \"v1\", \"\"]"));
        }
    }

    @Test
    void anUnknownSubsystemGetsError93() throws Exception {
        try (RmqTestAgent agent = new RmqTestAgent(broker, vhost, "v1", "ragent")) {
            agent.hello();
            agent.send("v1.router", "nonsense", "n.1", "x");
            Delivery error = agent.next();
            assertThat(error.getProperties().getType()).isEqualTo("error");
            assertThat(error.getProperties().getMessageId()).isEqualTo("n.1");
            assertThat(args(error)).isEqualTo(JSON.readTree("[93, \"Protocol not supported\", \"\", \"nonsense\"]"));
        }
    }

    @Test
    void aSecondRouterOnAnotherConnectionLeavesTheRole() throws Exception {
        PlatformInfo info = new PlatformInfo("v1", "", "", "rmq", Map.of());
        try (Connection other = factory().newConnection("other-router");
             RouterRole second = new RouterRole(other, "v1", broker.username(), info, List::of)) {
            assertThat(second.start()).as("405 RESOURCE_LOCKED: the role stays with the first").isFalse();
        }
        try (RmqTestAgent agent = new RmqTestAgent(broker, vhost, "v1", "ragent")) {
            assertThat(args(agent.hello()).get(0).asText()).isEqualTo("welcome");
        }
    }

    /**
     * vip-rabbitmq.md §4.5: an agent user without permissions on the vhost that says hello gets the hello default;
     * with it the agent can declare and consume its own queue and publish to {@code volttron}, and nothing else. A user
     * that has permissions keeps them.
     */
    @Test
    void helloGivesAnAgentWithoutPermissionsItsOwnQueuesOnly() throws Exception {
        ManagementProbe management = broker.management();
        management.put("users/v1.newagent", "{\"password\":\"secret-1\",\"tags\":\"\"}");
        management.put("users/v1.oldagent", "{\"password\":\"secret-2\",\"tags\":\"\"}");
        management.put("permissions/" + vhost + "/v1.oldagent", "{\"configure\":\"^x$\",\"write\":\"^x$\",\"read\":\"^x$\"}");
        try (HelloPermissions permissions = new HelloPermissions(new ManagementClient(ManagementEndpoint.http(
                broker.host(), broker.managementPort(), broker.username(), broker.password())), vhost, "v1")) {
            router.onHello(permissions::onHello);
            try (RmqTestAgent fresh = new RmqTestAgent(broker, vhost, "v1", "newagent");
                 RmqTestAgent old = new RmqTestAgent(broker, vhost, "v1", "oldagent")) {
                fresh.hello();
                old.hello();
            }
            Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(
                    management.get("permissions/" + vhost + "/v1.newagent")).isNotNull());
            assertThat(management.get("permissions/" + vhost + "/v1.oldagent").path("configure").asText())
                    .as("existing permissions are left alone").isEqualTo("^x$");
        }
        {
            ConnectionFactory f = factory();
            f.setUsername("v1.newagent");
            f.setPassword("secret-1");
            try (Connection agent = f.newConnection("newagent")) {
                Channel ch = agent.createChannel();
                ch.queueDeclare("v1.newagent", false, true, true, null);
                ch.queueBind("v1.newagent", "volttron", "v1.newagent");
                ch.queueDeclare("v1.newagent.pubsub.1", false, true, true, null);
                ch.basicPublish("volttron", "v1.router", null, new byte[0]);
                Channel other = agent.createChannel();
                assertThatThrownBy(() -> other.queueDeclare("v1.newagentx", false, true, true, null))
                        .as("a name that merely starts with the user's is refused").hasStackTraceContaining("ACCESS_REFUSED");
            } finally {
                management.delete("users/v1.newagent");
                management.delete("users/v1.oldagent");
            }
        }
    }
}
