package org.vipgate.certs.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed logins per client address: after {@link #MAX_FAILURES} within {@link #WINDOW}, that address is refused
 * (429) until the oldest failure leaves the window. Remembers at most {@link #MAX_ADDRESSES} addresses, dropping
 * the least recently failed. Thread-safe.
 */
final class LoginThrottle {

    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private final Map<String, ArrayDeque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Instant>> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** True when {@code address} may try to log in now. */
    synchronized boolean allowed(String address) {
        ArrayDeque<Instant> recent = failures.get(address);
        if (recent == null) {
            return true;
        }
        prune(recent);
        return recent.size() < MAX_FAILURES;
    }

    synchronized void failed(String address) {
        ArrayDeque<Instant> recent = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        prune(recent);
        if (recent.size() >= MAX_FAILURES) {
            recent.pollFirst();
        }
        recent.addLast(clock.instant());
    }

    synchronized void succeeded(String address) {
        failures.remove(address);
    }

    private void prune(ArrayDeque<Instant> recent) {
        Instant cutoff = clock.instant().minus(WINDOW);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(cutoff)) {
            recent.pollFirst();
        }
    }
}
