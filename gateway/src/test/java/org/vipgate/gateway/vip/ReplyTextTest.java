package org.vipgate.gateway.vip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which frames vipgate quotes so that a client's {@code json.loads} gives back the text it sent. */
class ReplyTextTest {

    private static String reply(String text) {
        return VipMessage.text(ReplyText.frame(VipMessage.frame(text)));
    }

    @Test
    void textThatPythonWouldReadAsJsonBecomesAStringLiteralOfItself() {
        assertThat(reply("1796205633.8776995685497")).isEqualTo("\"1796205633.8776995685497\"");
        assertThat(reply("42")).isEqualTo("\"42\"");
        assertThat(reply("-1")).isEqualTo("\"-1\"");
        assertThat(reply("NaN")).isEqualTo("\"NaN\"");
        assertThat(reply("true")).isEqualTo("\"true\"");
        assertThat(reply("null")).isEqualTo("\"null\"");
        assertThat(reply("\"quoted\"")).isEqualTo("\"\\\"quoted\\\"\"");
        assertThat(reply("[1, 2]")).isEqualTo("\"[1, 2]\"");
        assertThat(reply(" 7 ")).isEqualTo("\" 7 \"");
    }

    @Test
    void idsThatAreNotJsonPassUnchanged() {
        assertThat(reply("connect.hello.0")).isEqualTo("connect.hello.0");
        assertThat(reply("1716400000.000000.123.000000")).isEqualTo("1716400000.000000.123.000000");
        assertThat(reply("")).isEmpty();
        assertThat(reply("vipgate.RpcService.1")).isEqualTo("vipgate.RpcService.1");
        assertThat(reply("1.2.3")).isEqualTo("1.2.3");
        assertThat(reply("nobody")).isEqualTo("nobody");
        assertThat(reply("caf\u00e9 1")).isEqualTo("caf\u00e9 1");
    }

    @Test
    void nonAsciiInsideAQuotedIdIsEscapedAsPythonWould() {
        assertThat(reply("[\"\u00e9\"]")).isEqualTo("\"[\\\"\\u00e9\\\"]\"");
    }
}
