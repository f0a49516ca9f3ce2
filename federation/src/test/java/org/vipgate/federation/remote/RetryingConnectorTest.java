package org.vipgate.federation.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The back-off of {@link RetryingConnector} with a scripted connector, a recording sleeper and a manual clock. */
class RetryingConnectorTest {

    private static final URI WEB = URI.create("https://v2.example:8443");
    private static final RemoteConnection PENDING = new RemoteConnection.Pending("v2.v1.a", WEB);

    private final ManualClock clock = new ManualClock();
    private final List<Duration> sleeps = new ArrayList<>();
    private final RetryingConnector.Sleeper sleeper = d -> {
        sleeps.add(d);
        clock.advance(d);
    };

    @Test
    void waitsLongerEachTimeUpToTheCapAndGivesUpAtTheDeadline() {
        RetryingConnector retrying = new RetryingConnector((w, l, i) -> PENDING,
                new RetryingConnector.Policy(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(20)),
                sleeper, clock);

        RemoteConnection outcome = retrying.connect(WEB, "v1", "a");

        assertThat(sleeps).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 4L, 4L, 4L);
        assertThat(outcome).isEqualTo(new RemoteConnection.TimedOut(WEB, Duration.ofSeconds(19), PENDING));
    }

    @Test
    void deniedStopsAtOnce() {
        RemoteConnection denied = new RemoteConnection.Denied("v2.v1.a", WEB);
        Deque<RemoteConnection> script = new ArrayDeque<>(List.of(PENDING, denied, PENDING));
        RetryingConnector retrying = new RetryingConnector((w, l, i) -> script.poll(),
                RetryingConnector.Policy.defaults(), sleeper, clock);

        assertThat(retrying.connect(WEB, "v1", "a")).isEqualTo(denied);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void failuresAreRetriedLikePending() {
        RemoteConnection denied = new RemoteConnection.Denied("v2.v1.a", WEB);
        Deque<RemoteConnection> script = new ArrayDeque<>(List.of(new RemoteConnection.Failed("unreachable"),
                PENDING, denied));
        RetryingConnector retrying = new RetryingConnector((w, l, i) -> script.poll(),
                RetryingConnector.Policy.defaults(), sleeper, clock);

        assertThat(retrying.connect(WEB, "v1", "a")).isEqualTo(denied);
        assertThat(sleeps).extracting(Duration::toSeconds).containsExactly(1L, 2L);
    }

    @Test
    void anInterruptEndsTheWaitWithFailedAndKeepsTheFlag() {
        RetryingConnector retrying = new RetryingConnector((w, l, i) -> PENDING,
                RetryingConnector.Policy.defaults(), d -> {
                    throw new InterruptedException();
                }, clock);
        try {
            assertThat(retrying.connect(WEB, "v1", "a")).isInstanceOfSatisfying(RemoteConnection.Failed.class,
                    f -> assertThat(f.reason()).contains("interrupted").contains(WEB.toString()));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2024-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
