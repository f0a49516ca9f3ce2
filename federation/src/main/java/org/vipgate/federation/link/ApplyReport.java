package org.vipgate.federation.link;

import java.util.List;

/** Everything one apply or remove did, in order. */
public record ApplyReport(List<ObjectOutcome> outcomes) {

    public ApplyReport {
        outcomes = List.copyOf(outcomes);
    }

    public boolean anyFailed() {
        return outcomes.stream().anyMatch(o -> o instanceof ObjectOutcome.Failed);
    }

    public boolean anyPending() {
        return outcomes.stream().anyMatch(o -> o instanceof ObjectOutcome.Pending);
    }

    /** True when something was created, updated or deleted. */
    public boolean changedAnything() {
        return outcomes.stream().anyMatch(o -> o instanceof ObjectOutcome.Created || o instanceof ObjectOutcome.Updated
                || o instanceof ObjectOutcome.Deleted);
    }
}
