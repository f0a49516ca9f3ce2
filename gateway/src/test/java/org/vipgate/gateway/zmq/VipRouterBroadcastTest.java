package org.vipgate.gateway.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vipgate.testkit.vip.VipTestPeer;
import org.vipgate.testkit.vip.VipTestPeer.Received;

/** {@code peerlist add/drop} broadcasts: every other peer hears of each change, with the right identity, once. */
class VipRouterBroadcastTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int PEERS = 6;
    private final RouterFixture fixture = new RouterFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void eachPeerHearsOfEveryLaterPeerInJoinOrderAndNeverOfItself() {
        List<VipTestPeer> peers = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            VipTestPeer p = fixture.peer("agent." + i);
            p.hello(WAIT);
            peers.add(p);
        }
        // the last one lists everyone: it was added once the others had been told
        peers.get(PEERS - 1).send("", "peerlist", "l", "list");
        assertThat(peers.get(PEERS - 1).expect("peerlist", "l", WAIT).args())
                .containsExactly("listing", "agent.0", "agent.1", "agent.2", "agent.3", "agent.4", "agent.5");
        for (int i = 0; i < PEERS; i++) {
            List<String> heard = new ArrayList<>();
            Received r;
            while ((r = peers.get(i).receive(Duration.ofMillis(300))) != null) {
                if ("peerlist".equals(r.subsystem())) {
                    assertThat(r.sender()).isEmpty();
                    assertThat(r.args()).hasSize(2).first().isEqualTo("add");
                    heard.add(r.arg(1));
                }
            }
            List<String> later = new ArrayList<>();
            for (int j = i + 1; j < PEERS; j++) {
                later.add("agent." + j);
            }
            assertThat(heard).as("peerlist add heard by agent.%d", i).isEqualTo(later);
        }
    }

    @Test
    void aStoppedPeerIsAnnouncedAsDropToEachRemainingPeerOnce() {
        VipTestPeer a = fixture.peer("a");
        a.hello(WAIT);
        VipTestPeer b = fixture.peer("b");
        b.hello(WAIT);
        VipTestPeer c = fixture.peer("c");
        c.hello(WAIT);
        b.send("", "agentstop", "s", "b");

        for (VipTestPeer p : List.of(a, c)) {
            Received drop = p.expect(r -> "peerlist".equals(r.subsystem()) && "drop".equals(r.arg(0)), WAIT);
            assertThat(drop.args()).containsExactly("drop", "b");
        }
        c.send("", "peerlist", "l", "list");
        assertThat(c.expect("peerlist", "l", WAIT).args()).containsExactly("listing", "a", "c");
    }
}
