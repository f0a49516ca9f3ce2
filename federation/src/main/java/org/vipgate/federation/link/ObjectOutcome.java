package org.vipgate.federation.link;

/**
 * What apply or remove did to one broker object (a parameter, a policy, a queue, a binding, a user) or one
 * upstream/remote, e.g. {@code parameter federation-upstream/upstream-v2-volttron}.
 */
public sealed interface ObjectOutcome {

    /** The object, e.g. {@code policy volttron-federation}. */
    String object();

    /** A word for the CLI: created, updated, unchanged, deleted, absent, kept, pending, failed. */
    String word();

    /** Why, for pending, failed and kept; else empty. */
    default String reason() {
        return "";
    }

    record Created(String object) implements ObjectOutcome {
        public String word() {
            return "created";
        }
    }

    record Updated(String object) implements ObjectOutcome {
        public String word() {
            return "updated";
        }
    }

    record Unchanged(String object) implements ObjectOutcome {
        public String word() {
            return "unchanged";
        }
    }

    record Deleted(String object) implements ObjectOutcome {
        public String word() {
            return "deleted";
        }
    }

    /** Nothing to delete: it did not exist. */
    record Absent(String object) implements ObjectOutcome {
        public String word() {
            return "absent";
        }
    }

    /** Deliberately not deleted, e.g. a queue that still holds messages. */
    record Kept(String object, String reason) implements ObjectOutcome {
        public String word() {
            return "kept";
        }
    }

    /** Waiting for something outside vipgate, e.g. a remote administrator approving a certificate. */
    record Pending(String object, String reason) implements ObjectOutcome {
        public String word() {
            return "pending";
        }
    }

    record Failed(String object, String reason) implements ObjectOutcome {
        public String word() {
            return "failed";
        }
    }
}
