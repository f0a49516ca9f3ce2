package org.vipgate.gateway.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vipgate.testkit.vip.VipTestPeer;
import org.vipgate.testkit.vip.VipTestPeer.Received;

/** The router's wire behaviour, one behaviour per test, driven by scripted VIP peers over real sockets. */
class VipRouterTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private final RouterFixture fixture = new RouterFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void helloIsAnsweredWithWelcomeAndTheSameMsgId() {
        VipTestPeer agent = fixture.peer("agent.a");
        agent.send("", "hello", "connect.hello.1", "hello");

        Received welcome = agent.expect("hello", "connect.hello.1", WAIT);

        assertThat(welcome.sender()).isEmpty();
        assertThat(welcome.signature()).isEqualTo("VIP1");
        assertThat(welcome.user()).isEqualTo("agent.a");
        assertThat(welcome.args()).containsExactly("welcome", "1.0", fixture.router.routerId(), "agent.a");
    }

    @Test
    void pingIsAnsweredWithPongAndTheExtrasEchoed() {
        VipTestPeer agent = fixture.peer("agent.a");
        agent.send("", "ping", "p1", "drop", "agent.a", "extra");

        Received pong = agent.expect("ping", "p1", WAIT);

        assertThat(pong.user()).isEqualTo("agent.a");
        assertThat(pong.args()).containsExactly("pong", "agent.a", "extra");
    }

    @Test
    void aJoiningPeerIsAnnouncedToTheOthersAndListed() {
        VipTestPeer a = fixture.peer("a");
        a.hello(WAIT);
        VipTestPeer b = fixture.peer("b");
        b.hello(WAIT);

        Received add = a.expect(r -> "peerlist".equals(r.subsystem()), WAIT);
        assertThat(add.sender()).isEmpty();
        assertThat(add.msgId()).isEmpty();
        assertThat(add.args()).containsExactly("add", "b");

        b.send("", "peerlist", "l1", "list");
        Received listing = b.expect("peerlist", "l1", WAIT);
        assertThat(listing.user()).isEmpty();
        assertThat(listing.args()).containsExactly("listing", "a", "b");
    }

    @Test
    void agentstopIsAnnouncedAsDropAndTheAgentIsNoLongerListed() {
        VipTestPeer a = fixture.peer("a");
        a.hello(WAIT);
        VipTestPeer b = fixture.peer("b");
        b.hello(WAIT);
        a.expect(r -> r.args().equals(List.of("add", "b")), WAIT);

        b.send("", "agentstop", "", "b");

        Received drop = a.expect(r -> "peerlist".equals(r.subsystem()), WAIT);
        assertThat(drop.args()).containsExactly("drop", "b");
        a.send("", "peerlist", "l2", "list");
        assertThat(a.expect("peerlist", "l2", WAIT).args()).containsExactly("listing", "a");
    }

    @Test
    void anAgentMayNotStopAnother() {
        VipTestPeer a = fixture.peer("a");
        a.hello(WAIT);
        VipTestPeer b = fixture.peer("b");
        b.hello(WAIT);

        b.send("", "agentstop", "", "a");
        b.send("", "peerlist", "l3", "list");

        assertThat(b.expect("peerlist", "l3", WAIT).args()).containsExactly("listing", "a", "b");
    }

    @Test
    void peerlistWithoutOrWithAnUnknownOperationIsAnError() {
        VipTestPeer a = fixture.peer("a");
        a.send("", "peerlist", "m1");
        assertThat(a.expect("peerlist", "m1", WAIT).args()).containsExactly("error", "missing operation");
        a.send("", "peerlist", "m2", "add");
        assertThat(a.expect("peerlist", "m2", WAIT).args()).containsExactly("error", "unknown operation");
    }

    @Test
    void queryAnswersThePlatformValues() {
        VipTestPeer a = fixture.peer("a");
        String[][] expected = {
            {"instance-name", "site1"},
            {"serverkey", "FSG7LHhy3v8tdNz3gK35G6-oxUcyln54pYRKu5fBJzU"},
            {"bind-web-address", "https://site1:8443"},
            {"platform-version", "9.0.4"},
            {"message-bus", "zmq"},
            {"local_address", fixture.address},
            {"addresses", "[\"" + fixture.address + "\"]"},
            {"volttron-central-address", "https://vc:8443"},
            {"volttron-central-serverkey", ""},
            {"no-such-name", ""},
        };
        for (String[] q : expected) {
            a.send("", "query", "q-" + q[0], q[0]);
            Received reply = a.expect("query", "q-" + q[0], WAIT);
            assertThat(reply.user()).isEmpty();
            assertThat(reply.args()).as(q[0]).containsExactly("", q[1]);
        }
    }

    @Test
    void anUnknownRecipientIsReported113WithAMsgIdTheCallersJsonDecodingGivesBack() {
        VipTestPeer a = fixture.peer("a");
        a.send("nobody", "RPC", "1716400000.87", "{\"jsonrpc\": \"2.0\"}");

        // a msg-id that json.loads would read as a number comes back as a JSON string literal of itself
        Received error = a.expect("error", "\"1716400000.87\"", WAIT);

        assertThat(error.sender()).isEmpty();
        assertThat(error.user()).isEqualTo("a");
        assertThat(error.args()).containsExactly("113", "No route to host", "nobody", "RPC");
    }

    @Test
    void anUnknownSubsystemIsReported93() {
        VipTestPeer a = fixture.peer("a");
        a.send("", "no.such.subsystem", "u1", "x");

        Received error = a.expect("error", "u1", WAIT);

        assertThat(error.user()).isEmpty();
        assertThat(error.args()).containsExactly("93", "Protocol not supported", "", "no.such.subsystem");
    }

    @Test
    void quitFromAnyoneButControlIsRefusedWith93() {
        VipTestPeer a = fixture.peer("a");
        a.send("", "quit", "q1");
        assertThat(a.expect("error", "q1", WAIT).args()).containsExactly("93", "Protocol not supported", "", "quit");
        assertThat(fixture.quits.get()).isZero();

        VipTestPeer control = fixture.peer("control");
        control.send("", "quit", "q2");
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> fixture.quits.get() == 1);
    }

    @Test
    void messagesBetweenPeersAreForwardedByteForByteWithTheSenderAsUserId() {
        VipTestPeer caller = fixture.peer("caller");
        VipTestPeer callee = fixture.peer("callee");
        callee.hello(WAIT);
        byte[] binary = {0, (byte) 0xff, (byte) 0x80, 'x', 0};
        byte[] json = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[1.0, null, true],\"id\":\"7.1\"}"
                .getBytes(StandardCharsets.UTF_8);
        caller.sendRaw(bytes("callee"), bytes("VIP1"), bytes("forged-user"), bytes("1716400000.87"), bytes("RPC"),
                json, binary, new byte[0]);

        Received got = callee.expect(r -> "RPC".equals(r.subsystem()), WAIT);

        assertThat(got.sender()).isEqualTo("caller");
        assertThat(got.signature()).isEqualTo("VIP1");
        assertThat(got.user()).as("USER_ID is the sender, never what the client put there").isEqualTo("caller");
        assertThat(got.msgId()).isEqualTo("1716400000.87");
        assertThat(got.rawArg(0)).isEqualTo(json);
        assertThat(got.rawArg(1)).isEqualTo(binary);
        assertThat(got.rawArg(2)).isEmpty();
        assertThat(got.frames()).hasSize(8);

        // And the reply goes back the same way.
        callee.sendRaw(bytes("caller"), bytes("VIP1"), new byte[0], bytes("1716400000.87"), bytes("RPC"),
                bytes("{\"result\": 1}"));
        Received reply = caller.expect("RPC", "1716400000.87", WAIT);
        assertThat(reply.sender()).isEqualTo("callee");
        assertThat(reply.args()).containsExactly("{\"result\": 1}");
    }

    @Test
    void aSecondConnectionWithAnIdentityInUseDoesNotTakeOver() {
        VipTestPeer first = fixture.peer("same");
        first.hello(WAIT);
        VipTestPeer second = fixture.peer("same");
        second.send("", "hello", "second.hello", "hello");
        assertThat(second.receive(Duration.ofSeconds(1))).as("the impostor gets nothing").isNull();

        VipTestPeer other = fixture.peer("other");
        other.hello(WAIT);
        other.send("same", "ping", "to-first", "ping");
        Received atFirst = first.expect("ping", "to-first", WAIT);
        assertThat(atFirst.sender()).isEqualTo("other");
    }

    @Test
    void malformedFrameSetsAreCountedAndDropped() {
        VipTestPeer a = fixture.peer("a");
        a.sendRaw(bytes(""), bytes("VIP1"), bytes(""));
        a.sendRaw(bytes(""), bytes("VIP2"), bytes(""), bytes("m"), bytes("hello"));
        a.sendRaw(bytes(""), bytes("VIP1"), bytes(""), bytes("m"), bytes("  "));
        a.hello(WAIT);

        assertThat(fixture.stats.dropped(org.vipgate.gateway.vip.MalformedReason.TOO_FEW_FRAMES)).isEqualTo(1);
        assertThat(fixture.stats.dropped(org.vipgate.gateway.vip.MalformedReason.BAD_SIGNATURE)).isEqualTo(1);
        assertThat(fixture.stats.dropped(org.vipgate.gateway.vip.MalformedReason.EMPTY_SUBSYSTEM)).isEqualTo(1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
