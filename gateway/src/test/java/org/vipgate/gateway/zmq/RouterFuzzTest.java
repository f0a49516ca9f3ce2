package org.vipgate.gateway.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.vipgate.gateway.vip.MalformedReason;
import org.vipgate.gateway.vip.VipCodec;
import org.vipgate.testkit.vip.VipTestPeer;

/**
 * Several peers send 100,000 random and malformed frame sets; afterwards the router still answers hello, its drop
 * counters account for every one of them by reason, and its thread is alive.
 */
class RouterFuzzTest {

    private static final int PEERS = 4;
    private static final int PER_PEER = 25_000;
    private static final VipCodec.Limits SMALL = new VipCodec.Limits(32, 16 * 1024, 16 * 1024);
    private static final byte[] VIP1 = "VIP1".getBytes(StandardCharsets.US_ASCII);

    @Test
    void hundredThousandMalformedFrameSetsAreCountedAndTheRouterStaysUp() throws Exception {
        try (RouterFixture fixture = new RouterFixture(Map.of(), SMALL)) {
            List<VipTestPeer> peers = new ArrayList<>();
            for (int p = 0; p < PEERS; p++) {
                peers.add(fixture.peer("fuzz-" + p));
            }
            ExecutorService pool = Executors.newFixedThreadPool(PEERS);
            List<Future<Map<MalformedReason, Integer>>> sent = new ArrayList<>();
            for (int p = 0; p < PEERS; p++) {
                VipTestPeer peer = peers.get(p);
                long seed = 1_000 + p;
                sent.add(pool.submit(() -> fuzz(peer, new Random(seed))));
            }
            Map<MalformedReason, Integer> expected = new EnumMap<>(MalformedReason.class);
            for (Future<Map<MalformedReason, Integer>> f : sent) {
                f.get().forEach((reason, n) -> expected.merge(reason, n, Integer::sum));
            }
            pool.shutdown();
            long total = expected.values().stream().mapToLong(Integer::longValue).sum();
            assertThat(total).isEqualTo((long) PEERS * PER_PEER);

            Awaitility.await("every frame set counted").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> fixture.stats.droppedTotal() >= total);
            for (MalformedReason reason : MalformedReason.values()) {
                assertThat(fixture.stats.dropped(reason)).as(reason.text())
                        .isEqualTo(expected.getOrDefault(reason, 0).longValue());
            }
            assertThat(fixture.router.isRunning()).as("router thread alive").isTrue();
            VipTestPeer after = fixture.peer("after");
            assertThat(after.hello(Duration.ofSeconds(5)).args()).startsWith("welcome", "1.0");
        }
    }

    /** Sends PER_PEER malformed frame sets of random kinds; returns how many of each reason it sent. */
    private static Map<MalformedReason, Integer> fuzz(VipTestPeer peer, Random random) {
        Map<MalformedReason, Integer> counts = new EnumMap<>(MalformedReason.class);
        for (int i = 0; i < PER_PEER; i++) {
            List<byte[]> frames = new ArrayList<>();
            MalformedReason reason = MalformedReason.values()[random.nextInt(MalformedReason.values().length)];
            switch (reason) {
                case TOO_FEW_FRAMES -> {
                    // 2-4 frames (the router sees 3-5); never [x] alone, which would look like a probe.
                    int n = 2 + random.nextInt(3);
                    for (int f = 0; f < n; f++) {
                        frames.add(randomBytes(random, 40));
                    }
                }
                case BAD_SIGNATURE -> {
                    frames.add(randomBytes(random, 20));
                    byte[] signature = randomBytes(random, 6);
                    frames.add(java.util.Arrays.equals(signature, VIP1) ? new byte[] {'X'} : signature);
                    for (int f = 0; f < 3 + random.nextInt(6); f++) {
                        frames.add(randomBytes(random, 60));
                    }
                }
                case EMPTY_SUBSYSTEM -> {
                    frames.add(randomBytes(random, 20));
                    frames.add(VIP1);
                    frames.add(randomBytes(random, 10));
                    frames.add(randomBytes(random, 20));
                    frames.add(random.nextBoolean() ? new byte[0] : " \t ".getBytes(StandardCharsets.US_ASCII));
                    for (int f = 0; f < random.nextInt(4); f++) {
                        frames.add(randomBytes(random, 60));
                    }
                }
                case TOO_MANY_FRAMES -> {
                    int n = SMALL.maxFrames() + random.nextInt(40);
                    for (int f = 0; f < n; f++) {
                        frames.add(randomBytes(random, 8));
                    }
                }
                case MESSAGE_TOO_LARGE -> {
                    frames.add(new byte[0]);
                    frames.add(VIP1);
                    frames.add(new byte[0]);
                    frames.add(new byte[0]);
                    frames.add("RPC".getBytes(StandardCharsets.US_ASCII));
                    frames.add(new byte[(int) SMALL.maxMessageBytes() / 2 + 1]);
                    frames.add(new byte[(int) SMALL.maxMessageBytes() / 2 + 1]);
                }
                default -> throw new IllegalStateException(reason.toString());
            }
            peer.sendRaw(frames);
            counts.merge(reason, 1, Integer::sum);
        }
        return counts;
    }

    private static byte[] randomBytes(Random random, int maxLength) {
        byte[] b = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(b);
        return b;
    }
}
