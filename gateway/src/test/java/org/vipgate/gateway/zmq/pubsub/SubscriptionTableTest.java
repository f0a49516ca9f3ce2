package org.vipgate.gateway.zmq.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionTableTest {

    @Test
    void manyPrefixesAreMatchedByProbingTheTopicsOwnPrefixes() throws Exception {
        SubscriptionTable table = new SubscriptionTable(10_000, 10_000);
        List<Subscription> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add(new Subscription(Scope.INTERNAL, "", "topic/" + i));
        }
        many.add(new Subscription(Scope.INTERNAL, "", ""));
        many.add(new Subscription(Scope.INTERNAL, "", "a/b"));
        table.add("many", many);
        table.add("exact", List.of(new Subscription(Scope.ALL, "", "a/b/c")));

        assertThat(table.subscribers("", "a/b/c")).containsExactlyInAnyOrder("many", "exact");
        assertThat(table.subscribers("", "topic/42/x")).containsExactly("many");
        assertThat(table.subscribers("other", "a/b/c")).isEmpty();
    }

    @Test
    void removingTheLastSubscriberOfAPrefixForgetsThePrefix() throws Exception {
        SubscriptionTable table = new SubscriptionTable(10, 10);
        Subscription s = new Subscription(Scope.INTERNAL, "", "t");
        table.add("p", List.of(s));

        assertThat(table.remove("p", s)).isTrue();
        assertThat(table.list("p", Scope.INTERNAL, null, "", false, false)).isEmpty();
        assertThat(table.size()).isZero();
        assertThat(table.peerCount()).isZero();
    }
}
