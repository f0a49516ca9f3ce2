package org.vipgate.gateway.amqp.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vipgate.gateway.amqp.mapping.MappingException.Reason;
import org.vipgate.gateway.vip.VipMessage;

class AmqpToVipTest {

    private final AmqpToVip mapper = new AmqpToVip();

    /** Properties as VOLTTRON's RMQ agent sends them (vip-rabbitmq.md §1.4); headers arrive as LongString. */
    static AMQP.BasicProperties rmqProps(String appId, String user, String msgId, String type) {
        return new AMQP.BasicProperties.Builder()
                .appId(appId)
                .headers(Map.of("recipient", LongStringHelper.asLongString("v1.zagent"),
                        "proto", LongStringHelper.asLongString("VIP"),
                        "user", LongStringHelper.asLongString(user)))
                .messageId(msgId)
                .type(type)
                .contentType("application/json")
                .build();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] frame) {
        return VipMessage.text(frame);
    }

    @Test
    void rmqAgentRpcBodyBecomesOneFrameHoldingTheRequestText() throws Exception {
        String body = "[\"{\\\"jsonrpc\\\": \\\"2.0\\\", \\\"id\\\": \\\"5\\\", \\\"result\\\": 42}\"]";

        VipMessage m = mapper.map("v1.zagent", rmqProps("v1.ragent", "", "1716400000.87", "RPC"), utf8(body));

        assertThat(m.args()).hasSize(1);
        assertThat(m.arg(0)).isEqualTo("{\"jsonrpc\": \"2.0\", \"id\": \"5\", \"result\": 42}");
    }

    @Test
    void framesComeFromRoutingKeyAppIdHeadersAndProperties() throws Exception {
        VipMessage m = mapper.map("v1.zagent", rmqProps("v1.ragent", "v1.ragent", "1716400000.87", "RPC"),
                utf8("[]"));

        assertThat(text(m.recipient())).isEqualTo("zagent");
        assertThat(text(m.sender())).isEqualTo("ragent");
        assertThat(text(m.userId())).isEqualTo("v1.ragent");
        assertThat(text(m.msgId())).isEqualTo("1716400000.87");
        assertThat(text(m.subsystem())).isEqualTo("RPC");
        assertThat(m.args()).isEmpty();
    }

    @Test
    void dotsAfterTheFirstAreKeptInRecipientAndSender() throws Exception {
        VipMessage m = mapper.map("v1.my.zagent", rmqProps("v2.platform.driver", "", "m", "RPC"), utf8("[]"));

        assertThat(m.recipientName()).isEqualTo("my.zagent");
        assertThat(m.senderName()).isEqualTo("platform.driver");
    }

    @Test
    void objectElementBecomesItsJsonText() throws Exception {
        String body = "[{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[1,2.5,true,null],\"id\":\"é\"}]";

        VipMessage m = mapper.map("v1.zagent", rmqProps("v1.ragent", "", "m", "RPC"), utf8(body));

        // Python json.dumps(dict) as the ZMQ frame codec writes it (vip-zmq.md §1.3): ASCII escapes, ", " and ": "
        assertThat(m.args()).hasSize(1);
        assertThat(m.arg(0))
                .isEqualTo("{\"jsonrpc\": \"2.0\", \"method\": \"m\", \"params\": [1, 2.5, true, null], \"id\": \"\\u00e9\"}");
    }

    @Test
    void numberBoolAndNullElementsBecomeJsonTextOrEmptyFrames() throws Exception {
        VipMessage m = mapper.map("v1.zagent", rmqProps("v1.router", "", "m", "error"),
                utf8("[113, true, null, \"RPC\"]"));

        assertThat(m.args()).extracting(VipMessage::text).containsExactly("113", "true", "", "RPC");
    }

    @Test
    void missingHeadersGiveAnEmptyUserFrame() throws Exception {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().appId("v1.ragent").type("RPC").build();

        VipMessage m = mapper.map("v1.zagent", props, utf8("[]"));

        assertThat(m.userId()).isEmpty();
        assertThat(m.msgId()).isEmpty();
    }

    @Test
    void appIdWithoutADotFails() {
        assertThatThrownBy(() -> mapper.map("v1.zagent", rmqProps("ragent", "", "m7", "RPC"), utf8("[]")))
                .asInstanceOf(type(MappingException.class))
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(Reason.BAD_APP_ID);
                    assertThat(e.getMessage()).contains("v1.zagent").contains("m7");
                    assertThat(e.routingKey()).isEqualTo("v1.zagent");
                    assertThat(e.msgId()).isEqualTo("m7");
                });
    }

    @Test
    void missingAppIdFails() {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().type("RPC").build();

        assertThatThrownBy(() -> mapper.map("v1.zagent", props, utf8("[]")))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(Reason.BAD_APP_ID);
    }

    @Test
    void nonArrayBodyFails() {
        assertThatThrownBy(() -> mapper.map("v1.zagent", rmqProps("v1.ragent", "", "m", "RPC"),
                utf8("{\"a\": 1}")))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(Reason.BAD_BODY);
    }

    @Test
    void bodyThatIsNotJsonFails() {
        assertThatThrownBy(() -> mapper.map("v1.zagent", rmqProps("v1.ragent", "", "m", "RPC"), utf8("[\"a\"")))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(Reason.BAD_BODY);
    }

    @Test
    void bodyWithTrailingDataFails() {
        assertThatThrownBy(() -> mapper.map("v1.zagent", rmqProps("v1.ragent", "", "m", "RPC"), utf8("[] []")))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(Reason.BAD_BODY);
    }

    @Test
    void emptyBodyFails() {
        assertThatThrownBy(() -> mapper.map("v1.zagent", rmqProps("v1.ragent", "", "m", "RPC"), new byte[0]))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(Reason.BAD_BODY);
    }

    @Test
    void missingTypeFails() {
        assertThatThrownBy(() -> mapper.map("v1.zagent", rmqProps("v1.ragent", "", "m", null), utf8("[]")))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(Reason.MISSING_TYPE);
    }

    @Test
    void routingKeyWithoutRecipientFails() {
        assertThatThrownBy(() -> mapper.map("v1", rmqProps("v1.ragent", "", "m", "RPC"), utf8("[]")))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(Reason.BAD_ROUTING_KEY);
    }

    @Test
    void nonStringUserHeaderFails() {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().appId("v1.ragent").type("RPC")
                .headers(Map.of("user", 5)).build();

        assertThatThrownBy(() -> mapper.map("v1.zagent", props, utf8("[]")))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(Reason.BAD_HEADER);
    }

    @Test
    void stringOutsideLatin1Fails() {
        assertThatThrownBy(() -> mapper.map("v1.zagent", rmqProps("v1.ragent", "", "m", "RPC"),
                utf8("[\"\u20ac\"]")))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(Reason.NOT_LATIN1);
    }

    @Test
    void bodyAboveTheLimitFails() {
        AmqpToVip small = new AmqpToVip(new MappingLimits(8, 10));

        assertThatThrownBy(() -> small.map("v1.zagent", rmqProps("v1.ragent", "", "m", "RPC"),
                utf8("[\"123456\"]")))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(Reason.BODY_TOO_LARGE);
    }

    @Test
    void moreElementsThanTheDefaultLimitFail() {
        String body = "[" + "1,".repeat(1_024) + "1]";

        assertThatThrownBy(() -> mapper.map("v1.zagent", rmqProps("v1.ragent", "", "m", "RPC"), utf8(body)))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(Reason.TOO_MANY_ELEMENTS);
    }

    @Test
    void exactlyTheDefaultElementLimitIsAccepted() throws Exception {
        String body = "[" + "1,".repeat(1_023) + "1]";

        VipMessage m = mapper.map("v1.zagent", rmqProps("v1.ragent", "", "m", "RPC"), utf8(body));

        assertThat(m.args()).hasSize(1_024);
    }
}
