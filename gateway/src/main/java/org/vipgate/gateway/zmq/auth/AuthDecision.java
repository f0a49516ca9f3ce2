package org.vipgate.gateway.zmq.auth;

import java.util.Objects;

/** The outcome of matching one ZAP request against auth.json (vip-zmq.md §5.4). */
public sealed interface AuthDecision {

    /**
     * The peer may connect.
     *
     * @param entry  the allow entry that matched
     * @param userId the user id to hand to the router (the entry's, never null)
     */
    record Allowed(AuthEntry entry, String userId) implements AuthDecision {
        public Allowed {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(userId, "userId");
        }
    }

    /**
     * The peer is refused.
     *
     * @param reason    one line saying why, for the log
     * @param denyEntry the enabled {@code deny} entry that matched, or null when no allow entry matched
     */
    record Denied(String reason, AuthEntry denyEntry) implements AuthDecision {
        public Denied {
            Objects.requireNonNull(reason, "reason");
        }

        /** Refused because no allow entry matched. */
        public Denied(String reason) {
            this(reason, null);
        }

        /** True when an explicit deny entry refused the peer (rather than a missing allow entry). */
        public boolean byDenyEntry() {
            return denyEntry != null;
        }
    }
}
