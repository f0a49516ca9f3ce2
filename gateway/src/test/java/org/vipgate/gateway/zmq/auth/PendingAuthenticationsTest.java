package org.vipgate.gateway.zmq.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PendingAuthenticationsTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void countsRepeatedAttemptsInOneRecord() {
        PendingAuthentications pending = new PendingAuthentications(10, clock);
        Instant first = now.get();

        pending.record("vip", "127.0.0.1", "CURVE", "key-a", "");
        now.set(first.plus(Duration.ofSeconds(5)));
        PendingAuthentications.Attempt second = pending.record("vip", "127.0.0.1", "CURVE", "key-a", "");

        assertThat(second.count()).isEqualTo(2);
        assertThat(second.firstSeen()).isEqualTo(first);
        assertThat(second.lastSeen()).isEqualTo(first.plusSeconds(5));
        assertThat(pending.list()).containsExactly(second);
        assertThat(pending.get("vip", "127.0.0.1", "CURVE", "key-a")).contains(second);
        // Another address is another record, found by key.
        pending.record("vip", "10.0.0.2", "CURVE", "key-a", "");
        assertThat(pending.find("CURVE", "key-a")).hasSize(2);
        assertThat(pending.remove("CURVE", "key-a")).hasSize(2);
        assertThat(pending.size()).isZero();
    }

    @Test
    void keepsAtMostCapacityRecordsEvictingTheLeastRecentlySeen() {
        PendingAuthentications pending = new PendingAuthentications(3, clock);

        pending.record("vip", "a", "CURVE", "1", null);
        pending.record("vip", "b", "CURVE", "2", null);
        pending.record("vip", "c", "CURVE", "3", null);
        pending.record("vip", "a", "CURVE", "1", null); // seen again: now the most recent
        pending.record("vip", "d", "CURVE", "4", null);

        assertThat(pending.list()).extracting(PendingAuthentications.Attempt::address).containsExactly("c", "a", "d");
        assertThat(pending.list()).hasSize(3);
        assertThatThrownBy(() -> new PendingAuthentications(0, clock)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isSafeUnderConcurrentUse() throws Exception {
        PendingAuthentications pending = new PendingAuthentications(50, Clock.systemUTC());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    pending.record("vip", "h" + (i % 100), "CURVE", "k" + id, null);
                    pending.list();
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(pending.size()).isEqualTo(50);
    }
}
