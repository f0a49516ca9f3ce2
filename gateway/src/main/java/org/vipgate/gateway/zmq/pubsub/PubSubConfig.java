package org.vipgate.gateway.zmq.pubsub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link PubSubService}.
 *
 * @param allowUnknownPublishers        a publisher with no entry in the {@code auth_update} map may publish to a
 *                                      protected topic. {@code true} is VOLTTRON's behaviour (vip-zmq.md §3.2, §8);
 *                                      {@code false} refuses such publishes with error -32001
 * @param maxPrefixesPerPeer            subscriptions one peer may hold (each scope/bus/prefix counts once)
 * @param maxTotalSubscriptions         subscriptions of all peers together
 * @param protectedTopicsFile           {@code $VOLTTRON_HOME/protected_topics.json}, or null for none
 * @param protectedTopicsCheckInterval  how often, at most, a publish checks the file's mtime ({@code ZERO}: on every
 *                                      publish)
 */
public record PubSubConfig(boolean allowUnknownPublishers, int maxPrefixesPerPeer, int maxTotalSubscriptions,
                           Path protectedTopicsFile, Duration protectedTopicsCheckInterval) {

    public static final int DEFAULT_MAX_PREFIXES_PER_PEER = 10_000;
    public static final int DEFAULT_MAX_TOTAL_SUBSCRIPTIONS = 1_000_000;
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);

    public PubSubConfig {
        Objects.requireNonNull(protectedTopicsCheckInterval, "protectedTopicsCheckInterval");
        if (maxPrefixesPerPeer < 1 || maxTotalSubscriptions < 1) {
            throw new IllegalArgumentException("subscription limits must be >= 1, got " + maxPrefixesPerPeer
                    + ", " + maxTotalSubscriptions);
        }
        if (protectedTopicsCheckInterval.isNegative()) {
            throw new IllegalArgumentException("negative protectedTopicsCheckInterval " + protectedTopicsCheckInterval);
        }
    }

    /** VOLTTRON-compatible defaults, no protected-topics file. */
    public static PubSubConfig defaults() {
        return new PubSubConfig(true, DEFAULT_MAX_PREFIXES_PER_PEER, DEFAULT_MAX_TOTAL_SUBSCRIPTIONS, null,
                DEFAULT_CHECK_INTERVAL);
    }

    /** Defaults with {@code <volttronHome>/protected_topics.json}. */
    public static PubSubConfig forVolttronHome(Path volttronHome) {
        return defaults().withProtectedTopicsFile(volttronHome.resolve(ProtectedTopicsFile.FILE_NAME));
    }

    public PubSubConfig withAllowUnknownPublishers(boolean allow) {
        return new PubSubConfig(allow, maxPrefixesPerPeer, maxTotalSubscriptions, protectedTopicsFile,
                protectedTopicsCheckInterval);
    }

    public PubSubConfig withLimits(int perPeer, int total) {
        return new PubSubConfig(allowUnknownPublishers, perPeer, total, protectedTopicsFile,
                protectedTopicsCheckInterval);
    }

    public PubSubConfig withProtectedTopicsFile(Path file) {
        return new PubSubConfig(allowUnknownPublishers, maxPrefixesPerPeer, maxTotalSubscriptions, file,
                protectedTopicsCheckInterval);
    }

    public PubSubConfig withProtectedTopicsCheckInterval(Duration interval) {
        return new PubSubConfig(allowUnknownPublishers, maxPrefixesPerPeer, maxTotalSubscriptions,
                protectedTopicsFile, interval);
    }
}
