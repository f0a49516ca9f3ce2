package org.vipgate.gateway.zmq.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * The table's matcher against the definition (VOLTTRON's rule: a subscriber gets a publish when one of its prefixes
 * on the publish's bus starts the topic), after random subscribes, unsubscribes, synchronizes and drops. Short
 * prefixes and topics over a three-letter alphabet make equal, nested and empty prefixes common.
 */
class SubscriptionMatchingTest {

    private static final String[] PEERS = {"p0", "p1", "p2", "p3", "p4"};
    private static final String[] BUSES = {"", "b"};

    /** The definition: every (peer, subscription) held, matched by startsWith. */
    private static final class Naive {
        final Map<String, Set<Subscription>> held = new HashMap<>();

        Set<String> subscribers(String bus, String topic, Set<Scope> scopes) {
            Set<String> out = new HashSet<>();
            held.forEach((peer, subs) -> {
                for (Subscription s : subs) {
                    if (scopes.contains(s.scope()) && s.bus().equals(bus) && topic.startsWith(s.prefix())) {
                        out.add(peer);
                    }
                }
            });
            return out;
        }
    }

    @RepeatedTest(20)
    void agreesWithTheDefinitionAfterRandomChanges(RepetitionInfo repetition) throws Exception {
        long seed = 14_000L + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        SubscriptionTable table = new SubscriptionTable(1_000, 10_000);
        Naive naive = new Naive();
        for (int step = 0; step < 400; step++) {
            String peer = PEERS[random.nextInt(PEERS.length)];
            Set<Subscription> mine = naive.held.computeIfAbsent(peer, k -> new LinkedHashSet<>());
            switch (random.nextInt(10)) {
                case 0, 1, 2, 3 -> {
                    List<Subscription> subs = new ArrayList<>();
                    for (int i = random.nextInt(4); i >= 0; i--) {
                        subs.add(subscription(random));
                    }
                    table.add(peer, subs);
                    mine.addAll(subs);
                }
                case 4, 5 -> {
                    Subscription s = random.nextBoolean() && !mine.isEmpty()
                            ? new ArrayList<>(mine).get(random.nextInt(mine.size())) : subscription(random);
                    assertThat(table.remove(peer, s)).as("seed %d step %d remove", seed, step)
                            .isEqualTo(mine.remove(s));
                }
                case 6 -> {
                    Scope scope = random.nextBoolean() ? Scope.INTERNAL : Scope.ALL;
                    String bus = BUSES[random.nextInt(BUSES.length)];
                    int expected = (int) mine.stream().filter(s -> s.scope() == scope && s.bus().equals(bus)).count();
                    assertThat(table.removeBus(peer, scope, bus)).isEqualTo(expected);
                    mine.removeIf(s -> s.scope() == scope && s.bus().equals(bus));
                }
                case 7, 8 -> {
                    Set<Subscription> subs = new LinkedHashSet<>();
                    for (int i = random.nextInt(5); i > 0; i--) {
                        subs.add(subscription(random));
                    }
                    table.replace(peer, subs);
                    mine.clear();
                    mine.addAll(subs);
                }
                default -> {
                    assertThat(table.drop(peer)).isEqualTo(mine.size());
                    mine.clear();
                }
            }
            for (int probe = 0; probe < 10; probe++) {
                String bus = BUSES[random.nextInt(BUSES.length)];
                String topic = text(random, 5);
                for (Set<Scope> scopes : List.of(EnumSet.allOf(Scope.class), EnumSet.of(Scope.ALL),
                        EnumSet.of(Scope.INTERNAL))) {
                    assertThat(table.subscribers(bus, topic, scopes))
                            .as("seed %d step %d: bus '%s' topic '%s' scopes %s; held %s", seed, step, bus, topic,
                                    scopes, naive.held)
                            .containsExactlyInAnyOrderElementsOf(naive.subscribers(bus, topic, scopes));
                }
            }
            assertThat(table.size()).isEqualTo(naive.held.values().stream().mapToInt(Set::size).sum());
        }
    }

    @Test
    void aPrefixAsLongAsTheTopicMatchesOnlyThatTopicAndAnEmptyPrefixMatchesAll() throws Exception {
        SubscriptionTable table = new SubscriptionTable(10, 10);
        table.add("exact", List.of(new Subscription(Scope.INTERNAL, "", "devices/a")));
        table.add("everything", List.of(new Subscription(Scope.ALL, "", "")));
        table.add("longer", List.of(new Subscription(Scope.INTERNAL, "", "devices/ab")));

        assertThat(table.subscribers("", "devices/a")).containsExactlyInAnyOrder("exact", "everything");
        assertThat(table.subscribers("", "devices/ab")).containsExactlyInAnyOrder("exact", "everything", "longer");
        assertThat(table.subscribers("", "devices/")).containsExactly("everything");
        assertThat(table.subscribers("", "")).containsExactly("everything");
        assertThat(table.subscribers("b", "devices/a")).isEmpty();
    }

    @Test
    void aPeerSubscribedThroughSeveralPrefixesIsNamedOnce() throws Exception {
        SubscriptionTable table = new SubscriptionTable(10, 10);
        table.add("p", List.of(new Subscription(Scope.INTERNAL, "", "a"), new Subscription(Scope.INTERNAL, "", "ab"),
                new Subscription(Scope.ALL, "", "a")));

        assertThat(table.subscribers("", "abc")).containsExactly("p");
    }

    private static Subscription subscription(Random random) {
        return new Subscription(random.nextBoolean() ? Scope.INTERNAL : Scope.ALL, BUSES[random.nextInt(BUSES.length)],
                text(random, 3));
    }

    private static String text(Random random, int maxLength) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            b.append("ab/".charAt(random.nextInt(3)));
        }
        return b.toString();
    }
}
