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
}
