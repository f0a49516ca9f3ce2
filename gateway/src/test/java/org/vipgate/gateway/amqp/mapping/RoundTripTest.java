package org.vipgate.gateway.amqp.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vipgate.gateway.vip.VipMessage;

class RoundTripTest {

    @Test
    void latin1FramesSurviveVipToAmqpToVipByteForByte() throws Exception {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < 256; i++) {
            allBytes[i] = (byte) i;
        }
        byte[] rpc = VipMessage.frame("{\"jsonrpc\": \"2.0\", \"method\": \"caf\u00e9\", \"id\": \"\u00ff\"}");
        byte[] sender = {'z', (byte) 0xe9};
        byte[] recipient = {'r', (byte) 0xfc};
        byte[] msgId = {'1', '.', (byte) 0xb5};
        VipMessage in = new VipMessage(sender, recipient, new byte[0], msgId, VipMessage.frame("RPC"),
                List.of(rpc, allBytes, new byte[0]));

        AmqpMessage amqp = new VipToAmqp("v1", "v1.gw").map(in);
        VipMessage out = new AmqpToVip().map(amqp.routingKey(), asReceived(amqp.properties()), amqp.body());

        assertThat(out.sender()).isEqualTo(sender);
        assertThat(out.recipient()).isEqualTo(recipient);
        assertThat(VipMessage.text(out.userId())).as("headers.user is <instance>.<sender>").isEqualTo("v1." + VipMessage.text(sender));
        assertThat(out.msgId()).isEqualTo(msgId);
        assertThat(out.subsystemName()).isEqualTo("RPC");
        assertThat(out.args()).hasSize(3);
        assertThat(out.args().get(0)).isEqualTo(rpc);
        assertThat(out.args().get(1)).isEqualTo(allBytes);
        assertThat(out.args().get(2)).isEmpty();
    }

    /** Header strings come back from the broker as LongString. */
    private static AMQP.BasicProperties asReceived(AMQP.BasicProperties props) {
        Map<String, Object> headers = new HashMap<>();
        props.getHeaders().forEach((k, v) -> headers.put(k, v instanceof String s
                ? LongStringHelper.asLongString(s) : v));
        return props.builder().headers(headers).build();
    }
}
