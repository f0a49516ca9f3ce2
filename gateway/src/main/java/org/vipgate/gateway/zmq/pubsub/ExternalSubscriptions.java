package org.vipgate.gateway.zmq.pubsub;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code all_platforms} prefixes other platforms told us with {@code external_list} (vip-zmq.md §4.4), one list
 * per platform, each list replacing the previous one. Bounded: at most {@link #MAX_PLATFORMS} platforms, and per
 * platform at most {@code maxPrefixes} prefixes of at most {@link #MAX_PREFIX_CHARS} characters. Router thread only.
 */
final class ExternalSubscriptions {

    static final int MAX_PLATFORMS = 256;
    static final int MAX_PREFIX_CHARS = 1_024;

    private final int maxPrefixes;
    private final Map<String, List<String>> byPlatform = new LinkedHashMap<>();

    ExternalSubscriptions(int maxPrefixes) {
        this.maxPrefixes = maxPrefixes;
    }

    /** Replaces a platform's prefixes; throws when a bound would be broken (nothing is changed then). */
    void replace(String platform, List<String> prefixes) throws SubscriptionLimitException {
        if (!byPlatform.containsKey(platform) && byPlatform.size() >= MAX_PLATFORMS) {
            throw new SubscriptionLimitException("more than " + MAX_PLATFORMS + " external platforms");
        }
        if (prefixes.size() > maxPrefixes) {
            throw new SubscriptionLimitException(prefixes.size() + " prefixes from platform '" + platform
                    + "', at most " + maxPrefixes);
        }
        for (String p : prefixes) {
            if (p.length() > MAX_PREFIX_CHARS) {
                throw new SubscriptionLimitException("a prefix of " + p.length() + " characters from platform '"
                        + platform + "', at most " + MAX_PREFIX_CHARS);
            }
        }
        if (prefixes.isEmpty()) {
            byPlatform.remove(platform);
        } else {
            byPlatform.put(platform, List.copyOf(prefixes));
        }
    }

    /** The platforms with a prefix that {@code topic} starts with, in the order they were first told. */
    List<String> platformsFor(String topic) {
        List<String> out = new ArrayList<>();
        byPlatform.forEach((platform, prefixes) -> {
            for (String p : prefixes) {
                if (topic.startsWith(p)) {
                    out.add(platform);
                    return;
                }
            }
        });
        return out;
    }

    /** A copy, sorted by platform. */
    Map<String, List<String>> snapshot() {
        return new TreeMap<>(byPlatform);
    }
}
