package org.vipgate.gateway.amqp;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential back-off between connection attempts: {@code initial}, doubled each attempt, capped at {@code max}.
 */
public record Backoff(Duration initial, Duration max) {

    /** First retry after one second. */
    public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < initial <= max, got " + initial + ", " + max);
        }
    }

    /** From one second up to VOLTTRON's {@code reconnect-delay} (vip-rabbitmq.md §7.1, §7.5). */
    public static Backoff upTo(Duration max) {
        return new Backoff(DEFAULT_INITIAL.compareTo(max) < 0 ? DEFAULT_INITIAL : max, max);
    }

    /** The delay before attempt {@code attempt + 1}, for {@code attempt >= 1}. */
    public Duration delay(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long millis = initial.toMillis() << shift;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
