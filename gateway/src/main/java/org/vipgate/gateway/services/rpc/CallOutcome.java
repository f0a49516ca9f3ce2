package org.vipgate.gateway.services.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/** What became of a call a platform service made to an agent. */
public sealed interface CallOutcome {

    /** The agent answered with a result. */
    record Returned(JsonNode result) implements CallOutcome {
    }

    /** The agent answered with an error. */
    record Failed(RpcError error) implements CallOutcome {
    }

    /** The router could not deliver the call (VIP error, e.g. 113 when the agent is gone). */
    record Undelivered(int errno, String text) implements CallOutcome {
    }

    /** No answer within the time-out. */
    record TimedOut() implements CallOutcome {
    }
}
