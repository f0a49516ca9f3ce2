package org.vipgate.gateway.amqp.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The router's acks: a run of deliveries is acked with one {@code multiple=true} frame, never beyond the last
 * delivery the router is done with, on the channel the deliveries came from, and never more than
 * {@link DeliveryAcks#MAX_PENDING} deliveries late.
 */
class DeliveryAcksTest {

    /** One basic.ack as the broker would see it. */
    private record Ack(String channel, long tag, boolean multiple) {
    }

    private final List<Ack> sent = new ArrayList<>();

    private Channel channel(String name) {
        return (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(), new Class<?>[] {Channel.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("basicAck")) {
                        sent.add(new Ack(name, (Long) args[0], (Boolean) args[1]));
                        return null;
                    }
                    if (method.getName().equals("toString")) {
                        return name;
                    }
                    if (method.getName().equals("equals")) {
                        return proxy == args[0];
                    }
                    if (method.getName().equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aRunOfDeliveriesIsAckedOnceUpToTheLastOneDone() {
        Channel ch = channel("c1");
        DeliveryAcks acks = new DeliveryAcks();
        for (long tag = 1; tag <= 7; tag++) {
            acks.done(ch, tag);
        }
        assertThat(sent).as("nothing acked before the flush: the batch's sends come first").isEmpty();
        acks.flush();
        acks.flush();
        assertThat(sent).containsExactly(new Ack("c1", 7, true));
    }

    @Test
    void aTagLeftOutByTheRouterIsNeverCoveredBeforeTheRouterIsDoneWithAHigherOne() {
        Channel ch = channel("c1");
        DeliveryAcks acks = new DeliveryAcks();
        acks.done(ch, 1);
        acks.done(ch, 2);
        // tag 3 was nacked (requeued) by the router: only tags up to 2 are acked
        acks.flush();
        acks.done(ch, 4);
        acks.flush();
        assertThat(sent).containsExactly(new Ack("c1", 2, true), new Ack("c1", 4, true));
    }

    @Test
    void anotherChannelFlushesTheRunOfTheFirst() {
        Channel old = channel("old");
        Channel fresh = channel("fresh");
        DeliveryAcks acks = new DeliveryAcks();
        acks.done(old, 41);
        acks.done(old, 42);
        acks.done(fresh, 1); // after a recovery: tags start over on the new channel
        acks.done(fresh, 2);
        acks.flush();
        assertThat(sent).containsExactly(new Ack("old", 42, true), new Ack("fresh", 2, true));
    }

    @Test
    void aLongBatchIsAckedAsItGoesSoThatThePrefetchWindowKeepsMoving() {
        Channel ch = channel("c1");
        DeliveryAcks acks = new DeliveryAcks();
        int n = DeliveryAcks.MAX_PENDING * 2 + 5;
        for (long tag = 1; tag <= n; tag++) {
            acks.done(ch, tag);
        }
        assertThat(sent).containsExactly(new Ack("c1", DeliveryAcks.MAX_PENDING, true),
                new Ack("c1", DeliveryAcks.MAX_PENDING * 2L, true));
        acks.flush();
        assertThat(sent).last().isEqualTo(new Ack("c1", n, true));
        assertThat(acks.frames()).isEqualTo(3);
    }
}
