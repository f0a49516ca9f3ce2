package org.vipgate.gateway.amqp.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vipgate.gateway.amqp.mapping.MappingException.Reason;

class PubSubMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "devices/campus/building/all";
    private static final String PUBLISH_ARGS =
            "{\"bus\": \"\", \"headers\": {\"min_compatible_version\": \"3.0\", \"max_compatible_version\": \"\", "
                    + "\"Date\": \"2024-05-22T18:00:00+00:00\"}, \"message\": [{\"temp\": 21.5}, {\"temp\": "
                    + "{\"units\": \"degC\"}}]}";
    private final VipToAmqp mapper = new VipToAmqp("v1", "v1.zmq.proxy.router");

    private AmqpMessage publish() throws MappingException {
        return mapper.mapPublish(VipToAmqpTest.vip("zpub", "", "", "0.5.123", "pubsub", "publish", TOPIC,
                PUBLISH_ARGS));
    }

    @Test
    void routingKeyReplacesSlashesAndEndsInHash() throws Exception {
        assertThat(publish().routingKey()).isEqualTo("__pubsub__.v1.devices.campus.building.all.#");
    }

    @Test
    void emptyTopicGivesTheCatchAllKey() {
        assertThat(mapper.pubsubRoutingKey("")).isEqualTo("__pubsub__.v1.#");
    }

    @Test
    void topicIsRecoveredFromThePublishKey() throws Exception {
        assertThat(AmqpToVip.topicOf(publish().routingKey())).isEqualTo(TOPIC);
    }

    @Test
    void catchAllKeyGivesTheEmptyTopic() throws Exception {
        assertThat(AmqpToVip.topicOf("__pubsub__.v1.#")).isEmpty();
    }

    @Test
    void topicOfAnOtherKeyFails() {
        assertThatThrownBy(() -> AmqpToVip.topicOf("v1.ragent"))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(Reason.BAD_ROUTING_KEY);
    }

    @Test
    void bodyHasSenderBusHeadersAndMessage() throws Exception {
        JsonNode body = JSON.readTree(publish().body());

        assertThat(body.fieldNames()).toIterable().containsExactly("sender", "bus", "headers", "message");
        assertThat(body.get("sender").textValue()).isEqualTo("zpub");
        assertThat(body.get("bus").textValue()).isEmpty();
        assertThat(body.get("headers").get("min_compatible_version").textValue()).isEqualTo("3.0");
        assertThat(body.get("headers").get("Date").textValue()).isEqualTo("2024-05-22T18:00:00+00:00");
        assertThat(body.get("message")).isEqualTo(JSON.readTree(
                "[{\"temp\": 21.5}, {\"temp\": {\"units\": \"degC\"}}]"));
    }

    @Test
    void bodyIsWrittenWithPythonSeparators() throws Exception {
        String body = new String(mapper.mapPublish("zpub", "m", "t", "", null, JSON.readTree("{\"a\":[1,\"b\"]}"))
                .body(), StandardCharsets.UTF_8);

        assertThat(body).isEqualTo("{\"sender\": \"zpub\", \"bus\": \"\", \"headers\": {\"min_compatible_version\": "
                + "\"5.0\", \"max_compatible_version\": \"\"}, \"message\": {\"a\": [1, \"b\"]}}");
    }

    @Test
    void propertiesAreThePubsubVariant() throws Exception {
        var props = publish().properties();

        assertThat(props.getAppId()).isEqualTo("v1.zpub");
        assertThat(props.getHeaders()).isEqualTo(Map.of("recipient", "", "proto", "VIP", "user", "zpub"));
        assertThat(props.getMessageId()).isEqualTo("0.5.123");
        assertThat(props.getType()).isEqualTo("pubsub");
        assertThat(props.getContentType()).isEqualTo("application/json");
        assertThat(props.getUserId()).isEqualTo("v1.zmq.proxy.router");
        assertThat(props.getDeliveryMode()).isEqualTo(2);
    }

    @Test
    void aPubsubOpOtherThanPublishFails() {
        assertThatThrownBy(() -> mapper.mapPublish(VipToAmqpTest.vip("zpub", "", "", "m", "pubsub", "subscribe",
                "{\"prefix\": \"devices\"}", "x")))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(Reason.BAD_PUBLISH);
    }

    @Test
    void aPublishWhoseBodyIsNotAnObjectFails() {
        assertThatThrownBy(() -> mapper.mapPublish(VipToAmqpTest.vip("zpub", "", "", "m", "pubsub", "publish",
                TOPIC, "[1]")))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(Reason.BAD_PUBLISH);
    }
}
