package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.amqp.BrokerException;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.testkit.ManagementProbe;
import org.vipgate.testkit.RabbitBroker;
import org.vipgate.testkit.RabbitBrokerExtension;

/** vip-rabbitmq.md §1.1: the exchanges every VOLTTRON instance shares, declared by vipgate on a real broker. */
@ExtendWith(RabbitBrokerExtension.class)
class TopologyTest {

    private final RabbitBroker broker;
    private final ManagementProbe management;
    private String vhost;

    @TempDir
    Path dir;

    TopologyTest(RabbitBroker broker) {
        this.broker = broker;
        this.management = broker.management();
    }

    @BeforeEach
    void newVhost() {
        vhost = TestHomes.uniqueVhost();
    }

    @AfterEach
    void dropVhost() {
        management.delete("vhosts/" + vhost);
    }

    private Gateway.Ready startAndClose(Path home) throws Exception {
        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home)))) {
            return gateway.start();
        }
    }

    private JsonNode exchange(String name) {
        return management.get("exchanges/" + ManagementProbe.segment(vhost) + "/" + name);
    }

    @Test
    void declaresVolttronTopicExchangeWithUndeliverableAsAlternate() throws Exception {
        Gateway.Ready ready = startAndClose(TestHomes.write(dir, "v1", broker, vhost));

        assertThat(ready.vhostCreated()).isTrue();
        JsonNode volttron = exchange("volttron");
        assertThat(volttron).as("exchange volttron").isNotNull();
        assertThat(volttron.path("type").asText()).isEqualTo("topic");
        assertThat(volttron.path("durable").asBoolean()).isTrue();
        assertThat(volttron.path("auto_delete").asBoolean()).isFalse();
        assertThat(volttron.path("arguments").path("alternate-exchange").asText()).isEqualTo("undeliverable");

        JsonNode undeliverable = exchange("undeliverable");
        assertThat(undeliverable).as("exchange undeliverable").isNotNull();
        assertThat(undeliverable.path("type").asText()).isEqualTo("fanout");
        assertThat(undeliverable.path("durable").asBoolean()).isTrue();
    }

    @Test
    void declaringAgainChangesNothingAndSucceeds() throws Exception {
        Path home = TestHomes.write(dir, "v1", broker, vhost);
        Gateway.Ready first = startAndClose(home);
        JsonNode before = exchange("volttron");

        Gateway.Ready second = startAndClose(home);

        assertThat(first.vhostCreated()).isTrue();
        assertThat(second.vhostCreated()).as("the vhost exists on the second run").isFalse();
        JsonNode after = exchange("volttron");
        for (String field : new String[] {"type", "durable", "auto_delete", "internal", "arguments"}) {
            assertThat(after.path(field)).as(field).isEqualTo(before.path(field));
        }
        assertThat(exchange("undeliverable").path("type").asText()).isEqualTo("fanout");
    }

    @Test
    void aMessageNoBindingMatchesEndsUpInUndeliverable() throws Exception {
        startAndClose(TestHomes.write(dir, "v1", broker, vhost));

        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            String sink = channel.queueDeclare("", false, true, true, null).getQueue();
            channel.queueBind(sink, "undeliverable", "");
            channel.basicPublish("volttron", "v1.nobody", null, "lost?".getBytes(StandardCharsets.UTF_8));

            GetResponse[] got = new GetResponse[1];
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> (got[0] = channel.basicGet(sink, true)) != null);
            assertThat(got[0].getEnvelope().getRoutingKey()).isEqualTo("v1.nobody");
            assertThat(new String(got[0].getBody(), StandardCharsets.UTF_8)).isEqualTo("lost?");
        }
    }

    @Test
    void anExistingExchangeOfAnotherKindIsReportedAndLeftAlone() throws Exception {
        management.put("vhosts/" + vhost, "{}");
        management.put("permissions/" + vhost + "/" + ManagementProbe.segment(broker.username()),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.exchangeDeclare("volttron", BuiltinExchangeType.DIRECT, true);
        }

        Path home = TestHomes.write(dir, "v1", broker, vhost);
        assertThatThrownBy(() -> startAndClose(home))
                .isInstanceOfSatisfying(BrokerException.class, e ->
                        assertThat(e.reason()).isEqualTo(BrokerException.Reason.TOPOLOGY_CONFLICT))
                .hasMessageContaining("exchange 'volttron'")
                .hasMessageContaining(vhost)
                .hasMessageContaining("alternate-exchange=undeliverable")
                .hasMessageContaining("delete it");

        assertThat(exchange("volttron").path("type").asText()).as("left as it was").isEqualTo("direct");
    }

    private Connection connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(broker.host());
        factory.setPort(broker.amqpPort());
        factory.setUsername(broker.username());
        factory.setPassword(broker.password());
        factory.setVirtualHost(vhost);
        return factory.newConnection("topology-test");
    }
}
