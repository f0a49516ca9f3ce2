package org.vipgate.gateway.zmq.pubsub;

/**
 * Which subscription map a prefix lives in (vip-zmq.md §3.2: {@code subscriptions[all if all_platforms else internal]}).
 * Local publishes reach both; only {@link #ALL} would be announced to other platforms (§4.4, not implemented yet).
 */
public enum Scope {
    INTERNAL("internal"),
    ALL("all");

    private final String key;

    Scope(String key) {
        this.key = key;
    }

    /** The JSON key used on the wire ({@code "internal"} or {@code "all"}). */
    public String key() {
        return key;
    }

    /** The scope for a wire key, or null when the key is neither {@code internal} nor {@code all}. */
    public static Scope ofKey(String key) {
        for (Scope s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** vip-zmq.md §3.2: {@code all_platforms} true → {@code all}, else {@code internal}. */
    public static Scope of(boolean allPlatforms) {
        return allPlatforms ? ALL : INTERNAL;
    }
}
