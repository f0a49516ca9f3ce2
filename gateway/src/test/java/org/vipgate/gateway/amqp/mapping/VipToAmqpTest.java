package org.vipgate.gateway.amqp.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vipgate.gateway.vip.VipMessage;

class VipToAmqpTest {

    static final String RPC_TEXT =
            "{\"jsonrpc\": \"2.0\", \"method\": \"get_status\", \"params\": [1, \"a\"], \"id\": \"7.123\"}";
    private final VipToAmqp mapper = new VipToAmqp("v1", "v1.zmq.proxy.router");

    static VipMessage vip(String sender, String recipient, String userId, String msgId, String subsystem,
                          String... args) {
        List<byte[]> frames = new ArrayList<>();
        for (String a : args) {
            frames.add(VipMessage.frame(a));
        }
        return new VipMessage(VipMessage.frame(sender), VipMessage.frame(recipient), VipMessage.frame(userId),
                VipMessage.frame(msgId), VipMessage.frame(subsystem), frames);
    }

    @Test
    void rpcRequestFromZmqAgentToRmqAgentSetsEveryPropertyAndHeader() throws Exception {
        AmqpMessage out = mapper.map(vip("zagent", "ragent", "", "1716400000.87", "RPC", RPC_TEXT));

        assertThat(out.routingKey()).isEqualTo("v1.ragent");
        var props = out.properties();
        assertThat(props.getAppId()).isEqualTo("v1.zagent");
        // an AMQP table has no order: exactly these four entries
        assertThat(props.getHeaders()).isEqualTo(Map.of(
                "sender", "zagent",
                "recipient", "v1.ragent",
                "proto", "VIP",
                "user", "v1.zagent"));
        assertThat(props.getMessageId()).isEqualTo("1716400000.87");
        assertThat(props.getType()).isEqualTo("RPC");
        assertThat(props.getContentType()).isEqualTo("application/json");
        assertThat(props.getUserId()).isEqualTo("v1.zmq.proxy.router");
        assertThat(props.getDeliveryMode()).isEqualTo(2);
        assertThat(props.getCorrelationId()).isNull();
        assertThat(props.getReplyTo()).isNull();
        assertThat(props.getExpiration()).isNull();
        assertThat(props.getPriority()).isNull();
    }

    @Test
    void rpcBodyIsAnArrayHoldingTheRequestTextAsOneString() throws Exception {
        AmqpMessage out = mapper.map(vip("zagent", "ragent", "", "1716400000.87", "RPC", RPC_TEXT));

        JsonNode body = new ObjectMapper().readTree(out.body());
        assertThat(body.isArray()).isTrue();
        assertThat(body).hasSize(1);
        assertThat(body.get(0).isTextual()).isTrue();
        assertThat(body.get(0).textValue()).isEqualTo(RPC_TEXT);
        // what Python's json.dumps([request], ensure_ascii=False) prints
        assertThat(new String(out.body(), StandardCharsets.UTF_8)).isEqualTo(
                "[\"{\\\"jsonrpc\\\": \\\"2.0\\\", \\\"method\\\": \\\"get_status\\\", \\\"params\\\": "
                        + "[1, \\\"a\\\"], \\\"id\\\": \\\"7.123\\\"}\"]");
    }

    @Test
    void severalArgsAreSeparatedLikePythonJsonDumps() throws Exception {
        AmqpMessage out = mapper.map(vip("zagent", "ragent", "", "", "error", "113", "No route", "x", "RPC"));

        assertThat(new String(out.body(), StandardCharsets.UTF_8))
                .isEqualTo("[\"113\", \"No route\", \"x\", \"RPC\"]");
    }

    @Test
    void noArgsGiveAnEmptyArray() throws Exception {
        AmqpMessage out = mapper.map(vip("zagent", "ragent", "", "", "ping"));

        assertThat(new String(out.body(), StandardCharsets.UTF_8)).isEqualTo("[]");
    }

    @Test
    void emptyRecipientGoesToTheRouter() throws Exception {
        AmqpMessage out = mapper.map(vip("zagent", "", "", "m1", "peerlist", "list"));

        assertThat(out.routingKey()).isEqualTo("v1.router");
        assertThat(out.properties().getHeaders()).containsEntry("recipient", "v1.router");
    }

    @Test
    void recipientWithDotsIsNotEscaped() throws Exception {
        AmqpMessage out = mapper.map(vip("zagent", "platform.driver", "", "m1", "RPC", RPC_TEXT));

        assertThat(out.routingKey()).isEqualTo("v1.platform.driver");
    }

    @Test
    void senderWithDotsIsKeptInAppId() throws Exception {
        AmqpMessage out = mapper.map(vip("my.zagent", "ragent", "", "m1", "RPC", RPC_TEXT));

        assertThat(out.properties().getAppId()).isEqualTo("v1.my.zagent");
    }

    @Test
    void aForgedUserFrameIsReplacedByTheSenderIdentity() throws Exception {
        AmqpMessage out = mapper.map(vip("zagent", "ragent", "platform.auth", "m1", "RPC", RPC_TEXT));

        assertThat(out.properties().getHeaders()).containsEntry("user", "v1.zagent");
    }

    @Test
    void controlAndNonAsciiCharactersAreEscapedLikePython() throws Exception {
        AmqpMessage out = mapper.map(vip("zagent", "ragent", "", "m1", "x", "a\"b\\c\n\u0001\u00e9\u007f"));

        // ensure_ascii=False: é and DEL stay as they are (UTF-8 in the body), controls are escaped
        assertThat(new String(out.body(), StandardCharsets.UTF_8))
                .isEqualTo("[\"a\\\"b\\\\c\\n\\u0001\u00e9\u007f\"]");
    }

    @Test
    void emptySenderFails() {
        assertThatThrownBy(() -> mapper.map(vip("", "ragent", "", "m1", "RPC", RPC_TEXT)))
                .asInstanceOf(type(MappingException.class))
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(MappingException.Reason.BAD_APP_ID);
                    assertThat(e.getMessage()).contains("v1.ragent").contains("m1");
                });
    }

    @Test
    void emptySubsystemFails() {
        assertThatThrownBy(() -> mapper.map(vip("zagent", "ragent", "", "m1", " ")))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(MappingException.Reason.MISSING_TYPE);
    }

    @Test
    void tooManyArgsFail() {
        String[] args = new String[3];
        java.util.Arrays.fill(args, "a");
        VipToAmqp small = new VipToAmqp("v1", "v1.gw", new MappingLimits(1_000, 2));

        assertThatThrownBy(() -> small.map(vip("zagent", "ragent", "", "m1", "RPC", args)))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(MappingException.Reason.TOO_MANY_ELEMENTS);
    }

    @Test
    void tooLargeBodyFails() {
        VipToAmqp small = new VipToAmqp("v1", "v1.gw", new MappingLimits(10, 5));

        assertThatThrownBy(() -> small.map(vip("zagent", "ragent", "", "m1", "RPC", "0123456789")))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(MappingException.Reason.BODY_TOO_LARGE);
    }

    @Test
    void msgIdLongerThanAnAmqpShortStringFails() {
        assertThatThrownBy(() -> mapper.map(vip("zagent", "ragent", "", "x".repeat(256), "RPC", RPC_TEXT)))
                .asInstanceOf(type(MappingException.class))
                .extracting(MappingException::reason).isEqualTo(MappingException.Reason.FIELD_TOO_LONG);
    }

    @Test
    void instanceNameWithADotIsRefused() {
        assertThatThrownBy(() -> new VipToAmqp("v1.x", "v1.gw")).isInstanceOf(IllegalArgumentException.class);
    }
}
