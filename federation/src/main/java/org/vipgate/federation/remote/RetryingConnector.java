package org.vipgate.federation.remote;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects again and again, with back-off, until {@link RemoteConnection.Connected}, {@link RemoteConnection.Denied}
 * (at once: asking again is pointless) or the deadline ({@link RemoteConnection.TimedOut}). VOLTTRON leaves retrying
 * to each caller: every 10 s for VolttronCentralPlatform, 12 times 10 s for the federation CLI
 * (certs-csr-discovery.md §2.1 step 7); here the wait starts short and doubles up to a cap. Thread-safe.
 */
public final class RetryingConnector implements RemoteConnector {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingConnector.class);

    /** Waits between attempts; injectable so that tests need not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * @param initialDelay the first wait, doubled after each attempt
     * @param maxDelay     the longest wait
     * @param deadline     how long to keep trying, from the first attempt
     */
    public record Policy(Duration initialDelay, Duration maxDelay, Duration deadline) {

        public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);
        public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);
        /** About the federation CLI's 12 × 10 s (certs-csr-discovery.md §2.1 step 7). */
        public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(2);

        public Policy {
            if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0
                    || deadline.isNegative()) {
                throw new IllegalArgumentException("need 0 < initialDelay <= maxDelay and deadline >= 0, got "
                        + initialDelay + ", " + maxDelay + ", " + deadline);
            }
        }

        public static Policy defaults() {
            return new Policy(DEFAULT_INITIAL_DELAY, DEFAULT_MAX_DELAY, DEFAULT_DEADLINE);
        }
    }

    private final RemoteConnector connector;
    private final Policy policy;
    private final Sleeper sleeper;
    private final Clock clock;

    public RetryingConnector(RemoteConnector connector) {
        this(connector, Policy.defaults(), Sleeper.REAL, Clock.systemUTC());
    }

    public RetryingConnector(RemoteConnector connector, Policy policy, Sleeper sleeper, Clock clock) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @return {@link RemoteConnection.Connected}, {@link RemoteConnection.Denied}, {@link RemoteConnection.TimedOut}
     *         with the last outcome, or {@link RemoteConnection.Failed} when interrupted (the flag is set again)
     */
    @Override
    public RemoteConnection connect(URI webAddress, String localInstance, String identity) {
        Instant start = clock.instant();
        Instant deadline = start.plus(policy.deadline());
        Duration delay = policy.initialDelay();
        int attempt = 0;
        while (true) {
            attempt++;
            RemoteConnection outcome = connector.connect(webAddress, localInstance, identity);
            if (outcome instanceof RemoteConnection.Connected || outcome instanceof RemoteConnection.Denied
                    || outcome instanceof RemoteConnection.TimedOut) {
                return outcome;
            }
            Instant now = clock.instant();
            if (!now.plus(delay).isBefore(deadline)) {
                Duration waited = Duration.between(start, now);
                LOG.warn("gave up connecting '{}.{}' to {} after {} attempts in {}: last {}", localInstance,
                        identity, webAddress, attempt, waited, outcome);
                return new RemoteConnection.TimedOut(webAddress, waited, outcome);
            }
            LOG.info("attempt {} to connect '{}.{}' to {}: {}; trying again in {}", attempt, localInstance,
                    identity, webAddress, describe(outcome), delay);
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new RemoteConnection.Failed("interrupted while waiting to connect '" + localInstance + "."
                        + identity + "' to " + webAddress + " again (last: " + describe(outcome) + ")");
            }
            delay = delay.multipliedBy(2).compareTo(policy.maxDelay()) > 0 ? policy.maxDelay()
                    : delay.multipliedBy(2);
        }
    }

    private static String describe(RemoteConnection outcome) {
        if (outcome instanceof RemoteConnection.Pending p) {
            return "the request '" + p.commonName() + "' is pending";
        }
        if (outcome instanceof RemoteConnection.Failed f) {
            return "failed: " + f.reason();
        }
        return outcome.toString();
    }
}
