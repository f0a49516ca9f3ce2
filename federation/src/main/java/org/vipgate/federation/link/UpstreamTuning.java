package org.vipgate.federation.link;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * vipgate's optional federation-upstream knobs, which VOLTTRON leaves at RabbitMQ's defaults (vip-rabbitmq.md §5.4
 * step 2: {@code uri} is the only key it sets). Each one present is written into the upstream parameter's value
 * under the same key.
 *
 * @param ackMode        {@code ack-mode}: on-confirm, on-publish or no-ack
 * @param prefetchCount  {@code prefetch-count}
 * @param reconnectDelay {@code reconnect-delay}, seconds
 * @param maxHops        {@code max-hops}
 * @param queueType      {@code queue-type}: classic or quorum (RabbitMQ 3.13 and later)
 */
public record UpstreamTuning(Optional<String> ackMode, Optional<Integer> prefetchCount,
                             Optional<Integer> reconnectDelay, Optional<Integer> maxHops,
                             Optional<String> queueType) {

    public static final UpstreamTuning NONE = new UpstreamTuning(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    /** Adds the knobs that are set to an upstream parameter's value. */
    void writeInto(ObjectNode value) {
        ackMode.ifPresent(v -> value.put("ack-mode", v));
        prefetchCount.ifPresent(v -> value.put("prefetch-count", v));
        reconnectDelay.ifPresent(v -> value.put("reconnect-delay", v));
        maxHops.ifPresent(v -> value.put("max-hops", v));
        queueType.ifPresent(v -> value.put("queue-type", v));
    }
}
