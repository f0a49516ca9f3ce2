package org.vipgate.gateway.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vipgate.gateway.vip.MalformedReason;

/** The statistics {@code vipgate stats} shows: counted from frames, shown as text, bounded. */
class RouterStatsTest {

    private static byte[] f(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void framesAreCountedByContentAndShownAsTextInEachSection() {
        RouterStats stats = new RouterStats();
        stats.incoming(f("a"), f(""), f("RPC"));
        stats.incoming(f("a"), new byte[0], f("RPC"));
        stats.incoming(f("b\u00e9"), f("b\u00e9"), f("pubsub"));
        stats.outgoing(f("b\u00e9"), f("a"), f("RPC"));
        stats.error(113, "a", "", "RPC");
        stats.unroutable(MalformedReason.BAD_SIGNATURE.text(), "x");

        Map<String, Object> snapshot = stats.snapshot();
        assertThat(snapshot).containsOnlyKeys("error", "unroutable", "incoming", "outgoing", "start");
        assertThat(snapshot.get("incoming")).isEqualTo(Map.of(
                "peer", Map.of("a", 2L, "b\u00e9", 1L),
                "user", Map.of("", 2L, "b\u00e9", 1L),
                "subsystem", Map.of("RPC", 2L, "pubsub", 1L)));
        assertThat(snapshot.get("outgoing")).isEqualTo(Map.of(
                "peer", Map.of("b\u00e9", 1L), "user", Map.of("a", 1L), "subsystem", Map.of("RPC", 1L)));
        assertThat(snapshot.get("error")).isEqualTo(Map.of(
                "error", Map.of("113", 1L), "peer", Map.of("a", 1L), "user", Map.of("", 1L),
                "subsystem", Map.of("RPC", 1L)));
        assertThat(stats.dropped(MalformedReason.BAD_SIGNATURE)).isEqualTo(1);
        assertThat(stats.dropped(MalformedReason.TOO_FEW_FRAMES)).isZero();
        assertThat(stats.droppedTotal()).isEqualTo(1);
    }

    @Test
    void aSnapshotIsACopyThatLaterCountsDoNotChange() {
        RouterStats stats = new RouterStats();
        stats.incoming(f("a"), f(""), f("RPC"));
        Map<String, Object> before = stats.snapshot();
        stats.incoming(f("a"), f(""), f("RPC"));
        assertThat(before.get("incoming")).isEqualTo(Map.of(
                "peer", Map.of("a", 1L), "user", Map.of("", 1L), "subsystem", Map.of("RPC", 1L)));
    }

    @Test
    void keysPastTheBoundAreCountedTogetherAndKnownKeysKeepCounting() {
        RouterStats stats = new RouterStats();
        for (int i = 0; i < RouterStats.MAX_KEYS + 50; i++) {
            stats.outgoing(f("peer." + i), f(""), f("RPC"));
        }
        stats.outgoing(f("peer.0"), f(""), f("RPC"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Long>> outgoing = (Map<String, Map<String, Long>>) stats.snapshot().get("outgoing");
        Map<String, Long> peers = outgoing.get("peer");
        assertThat(peers).hasSize(RouterStats.MAX_KEYS + 1);
        assertThat(peers.get(RouterStats.OTHER)).isEqualTo(50L);
        assertThat(peers.get("peer.0")).isEqualTo(2L);
        assertThat(peers.get("peer." + (RouterStats.MAX_KEYS - 1))).isEqualTo(1L);
        assertThat(peers).doesNotContainKey("peer." + RouterStats.MAX_KEYS);
        assertThat(outgoing.get("subsystem")).isEqualTo(Map.of("RPC", (long) RouterStats.MAX_KEYS + 51));
    }
}
