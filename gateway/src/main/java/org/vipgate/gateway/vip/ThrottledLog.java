package org.vipgate.gateway.vip;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Warnings about bad network input without flooding the log: for each kind (a fixed string chosen by the caller,
 * never taken from the input) the first warning is logged at once, then at most one every {@code interval}, which
 * says how many like it were not logged since. What was dropped is counted elsewhere; this only bounds the log.
 */
public final class ThrottledLog {

    /** The usual interval between two warnings of one kind. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private final Logger log;
    private final long intervalNanos;
    /** kind → {last logged (nanoTime), not logged since}. */
    private final Map<String, long[]> kinds = new HashMap<>();

    public ThrottledLog(Logger log, Duration interval) {
        this.log = Objects.requireNonNull(log, "log");
        this.intervalNanos = interval.toNanos();
    }

    public ThrottledLog(Logger log) {
        this(log, DEFAULT_INTERVAL);
    }

    /** Logs {@code format} with {@code args} at WARN unless a warning of {@code kind} was logged recently. */
    public synchronized void warn(String kind, String format, Object... args) {
        long now = System.nanoTime();
        long[] state = kinds.computeIfAbsent(kind, k -> new long[] {now - intervalNanos, 0});
        if (now - state[0] < intervalNanos) {
            state[1]++;
            return;
        }
        if (state[1] == 0) {
            log.warn(format, args);
        } else {
            Object[] more = Arrays.copyOf(args, args.length + 1);
            more[args.length] = state[1];
            log.warn(format + " ({} more like it since the last such warning, not logged)", more);
        }
        state[0] = now;
        state[1] = 0;
    }
}
