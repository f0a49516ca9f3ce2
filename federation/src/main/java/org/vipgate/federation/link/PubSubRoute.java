package org.vipgate.federation.link;

import java.util.Objects;

/** One topic of a shovel's {@code pubsub} block: the local publisher identity and the topic (vip-rabbitmq.md §6.1). */
public record PubSubRoute(String publisher, String topic) {

    public PubSubRoute {
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(topic, "topic");
    }
}
