package org.vipgate.certs.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Session expiry and the bound, with a clock the test moves. */
class AdminSessionsTest {

    /** A clock the test sets. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    }

    @Test
    void tokensAreLongRandomAndUrlSafe() {
        Sessions sessions = new Sessions(Clock.systemUTC());
        String a = sessions.create("admin");
        assertThat(a).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(sessions.create("admin"));
    }

    @Test
    void idleSessionExpires() {
        MutableClock clock = new MutableClock();
        Sessions sessions = new Sessions(clock);
        String token = sessions.create("admin");
        clock.advance(Duration.ofMinutes(14));
        assertThat(sessions.use(token)).isPresent();
        clock.advance(Duration.ofMinutes(14));
        assertThat(sessions.use(token)).isPresent();
        clock.advance(Duration.ofMinutes(15));
        assertThat(sessions.use(token)).isEmpty();
    }

    @Test
    void busySessionEndsAtTheAbsoluteLimit() {
        MutableClock clock = new MutableClock();
        Sessions sessions = new Sessions(clock);
        String token = sessions.create("admin");
        for (int i = 0; i < 8 * 6 - 1; i++) {
            clock.advance(Duration.ofMinutes(10));
            assertThat(sessions.use(token)).isPresent();
        }
        clock.advance(Duration.ofMinutes(10));
        assertThat(sessions.use(token)).isEmpty();
    }

    @Test
    void oldestSessionIsEvictedWhenFull() {
        Sessions sessions = new Sessions(Clock.systemUTC(), Duration.ofMinutes(15), Duration.ofHours(8), 3);
        String first = sessions.create("a");
        sessions.create("b");
        sessions.create("c");
        sessions.create("d");
        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.use(first)).isEmpty();
    }

    @Test
    void logoutEndsTheSession() {
        Sessions sessions = new Sessions(Clock.systemUTC());
        String token = sessions.create("admin");
        sessions.end(token);
        assertThat(sessions.use(token)).isEmpty();
    }
}
