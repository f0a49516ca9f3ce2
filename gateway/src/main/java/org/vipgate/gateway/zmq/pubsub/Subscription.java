package org.vipgate.gateway.zmq.pubsub;

import java.util.Objects;

/**
 * One subscribed prefix of one peer: topics on {@code bus} that start with {@code prefix} (vip-zmq.md §3.2).
 *
 * @param scope  the map it is kept in ({@code internal} or {@code all})
 * @param bus    the bus name, compared exactly; VOLTTRON's default bus is {@code ""}
 * @param prefix the topic prefix, compared with {@code topic.startsWith(prefix)}
 */
public record Subscription(Scope scope, String bus, String prefix) {

    public Subscription {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(bus, "bus");
        Objects.requireNonNull(prefix, "prefix");
    }
}
