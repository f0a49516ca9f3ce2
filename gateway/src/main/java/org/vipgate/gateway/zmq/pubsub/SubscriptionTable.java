package org.vipgate.gateway.zmq.pubsub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is subscribed to what (vip-zmq.md §3.2: {@code subscriptions[internal|all][bus][prefix] = {peers}}), with a
 * per-peer index for drops and bounds. Not thread-safe: the router thread only.
 *
 * <p>Bounds: at most {@code maxPerPeer} subscriptions per peer and {@code maxTotal} in all (a subscription = one
 * (scope, bus, prefix) of one peer). A change that would exceed them is refused whole.
 */
final class SubscriptionTable {

    /** One line of a {@code list} answer: {@code [bus, prefix, is_member]}. */
    record ListEntry(String bus, String prefix, boolean member) {
    }

    private final int maxPerPeer;
    private final int maxTotal;
    private final Map<Scope, Map<String, Map<String, Set<String>>>> index = new EnumMap<>(Scope.class);
    /**
     * Per scope and bus, how many distinct prefixes have each length: a publish probes the topic's prefixes of these
     * lengths only, so its cost grows with the number of distinct lengths (a handful), not with the number of
     * prefixes.
     */
    private final Map<Scope, Map<String, PrefixLengths>> lengths = new EnumMap<>(Scope.class);
    private final Map<String, Set<Subscription>> byPeer = new HashMap<>();
    private int total;

    SubscriptionTable(int maxPerPeer, int maxTotal) {
        if (maxPerPeer < 1 || maxTotal < 1) {
            throw new IllegalArgumentException("subscription bounds must be >= 1, got " + maxPerPeer + ", " + maxTotal);
        }
        this.maxPerPeer = maxPerPeer;
        this.maxTotal = maxTotal;
        for (Scope s : Scope.values()) {
            index.put(s, new LinkedHashMap<>());
            lengths.put(s, new HashMap<>());
        }
    }

    /** Adds subscriptions of {@code peer}; already present ones are kept. All or nothing. */
    void add(String peer, Collection<Subscription> subs) throws SubscriptionLimitException {
        Set<Subscription> mine = byPeer.getOrDefault(peer, Set.of());
        Set<Subscription> fresh = new LinkedHashSet<>(subs);
        fresh.removeAll(mine);
        checkBounds(peer, mine.size() + fresh.size(), (long) total + fresh.size());
        for (Subscription s : fresh) {
            put(peer, s);
        }
    }

    /** Replaces all of {@code peer}'s subscriptions with exactly {@code subs}. All or nothing. */
    void replace(String peer, Set<Subscription> subs) throws SubscriptionLimitException {
        Set<Subscription> mine = byPeer.getOrDefault(peer, Set.of());
        checkBounds(peer, subs.size(), (long) total - mine.size() + subs.size());
        for (Subscription s : List.copyOf(mine)) {
            if (!subs.contains(s)) {
                remove(peer, s);
            }
        }
        for (Subscription s : subs) {
            put(peer, s);
        }
    }

    /** Removes one subscription; true when it existed. */
    boolean remove(String peer, Subscription s) {
        Map<String, Map<String, Set<String>>> buses = index.get(s.scope());
        Map<String, Set<String>> prefixes = buses.get(s.bus());
        if (prefixes == null) {
            return false;
        }
        Set<String> peers = prefixes.get(s.prefix());
        if (peers == null || !peers.remove(peer)) {
            return false;
        }
        if (peers.isEmpty()) {
            prefixes.remove(s.prefix());
            Map<String, PrefixLengths> byBus = lengths.get(s.scope());
            if (byBus.get(s.bus()).remove(s.prefix().length())) {
                byBus.remove(s.bus());
            }
            if (prefixes.isEmpty()) {
                buses.remove(s.bus());
            }
        }
        Set<Subscription> mine = byPeer.get(peer);
        mine.remove(s);
        if (mine.isEmpty()) {
            byPeer.remove(peer);
        }
        total--;
        return true;
    }

    /** Removes every prefix of {@code peer} on {@code bus} in {@code scope}; returns how many. */
    int removeBus(String peer, Scope scope, String bus) {
        int n = 0;
        for (Subscription s : subscriptionsOf(peer)) {
            if (s.scope() == scope && s.bus().equals(bus) && remove(peer, s)) {
                n++;
            }
        }
        return n;
    }

    /** Removes everything of {@code peer}; returns how many subscriptions it had. */
    int drop(String peer) {
        int n = 0;
        for (Subscription s : subscriptionsOf(peer)) {
            if (remove(peer, s)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The peers to receive a publish: union over both scopes (vip-zmq.md §8: VOLTTRON lets {@code internal} hide
     * {@code all} for the same prefix; we do not) of every prefix that starts {@code topic} on {@code bus}. Each peer
     * once, in a stable order. A new set: safe to iterate while the table changes.
     */
    Set<String> subscribers(String bus, String topic) {
        return subscribers(bus, topic, EnumSet.allOf(Scope.class));
    }

    /**
     * As {@link #subscribers(String, String)}, over the given scopes only. Looks up the topic's prefixes of each
     * length some subscription has: no walk over the subscriptions, no work for lengths nobody subscribed with.
     */
    Set<String> subscribers(String bus, String topic, Set<Scope> scopes) {
        Set<String> out = new LinkedHashSet<>();
        for (Scope scope : scopes) {
            Map<String, Set<String>> prefixes = index.get(scope).get(bus);
            if (prefixes == null) {
                continue;
            }
            PrefixLengths present = lengths.get(scope).get(bus);
            for (int length = 0; length <= topic.length(); length++) {
                if (present.has(length)) {
                    Set<String> peers = prefixes.get(length == topic.length() ? topic : topic.substring(0, length));
                    if (peers != null) {
                        out.addAll(peers);
                    }
                }
            }
        }
        return out;
    }

    /**
     * VOLTTRON's {@code _peer_list}: subscriptions of {@code scope} on {@code bus} (every bus when null) whose prefix
     * starts with {@code prefix}, or, with {@code reverse}, whose prefix {@code prefix} starts with (i.e. those that
     * a publish to topic {@code prefix} would reach). With {@code subscribedOnly}, only those {@code peer} holds.
     */
    List<ListEntry> list(String peer, Scope scope, String bus, String prefix, boolean reverse,
                         boolean subscribedOnly) {
        List<ListEntry> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Set<String>>> b : index.get(scope).entrySet()) {
            if (bus != null && !bus.equals(b.getKey())) {
                continue;
            }
            for (Map.Entry<String, Set<String>> p : b.getValue().entrySet()) {
                String sub = p.getKey();
                boolean matches = reverse ? prefix.startsWith(sub) : sub.startsWith(prefix);
                if (!matches) {
                    continue;
                }
                boolean member = p.getValue().contains(peer);
                if (!subscribedOnly || member) {
                    out.add(new ListEntry(b.getKey(), sub, member));
                }
            }
        }
        return out;
    }

    /** The distinct prefixes of {@code scope} over every bus, sorted. A new set. */
    Set<String> prefixes(Scope scope) {
        Set<String> out = new TreeSet<>();
        for (Map<String, Set<String>> byPrefix : index.get(scope).values()) {
            out.addAll(byPrefix.keySet());
        }
        return out;
    }

    /** A copy of {@code peer}'s subscriptions, in the order they were made. */
    Set<Subscription> subscriptionsOf(String peer) {
        Set<Subscription> mine = byPeer.get(peer);
        return mine == null ? Set.of() : new LinkedHashSet<>(mine);
    }

    /** Subscriptions of all peers. */
    int size() {
        return total;
    }

    /** Peers with at least one subscription. */
    int peerCount() {
        return byPeer.size();
    }

    private void put(String peer, Subscription s) {
        Map<String, Set<String>> prefixes = index.get(s.scope()).computeIfAbsent(s.bus(), k -> new LinkedHashMap<>());
        Set<String> peers = prefixes.get(s.prefix());
        if (peers == null) {
            peers = new LinkedHashSet<>();
            prefixes.put(s.prefix(), peers);
            lengths.get(s.scope()).computeIfAbsent(s.bus(), k -> new PrefixLengths()).add(s.prefix().length());
        }
        if (peers.add(peer)) {
            byPeer.computeIfAbsent(peer, k -> new LinkedHashSet<>()).add(s);
            total++;
        }
    }

    private void checkBounds(String peer, int peerCount, long newTotal) throws SubscriptionLimitException {
        if (peerCount > maxPerPeer) {
            throw new SubscriptionLimitException("peer '" + peer + "' would hold " + peerCount
                    + " subscriptions, more than the limit of " + maxPerPeer);
        }
        if (newTotal > maxTotal) {
            throw new SubscriptionLimitException("the gateway would hold " + newTotal
                    + " subscriptions, more than the limit of " + maxTotal);
        }
    }

    /** How many distinct prefixes of one scope and bus have each length. */
    private static final class PrefixLengths {
        private int[] counts = new int[16];
        private int distinct;

        void add(int length) {
            if (length >= counts.length) {
                counts = java.util.Arrays.copyOf(counts, Math.max(length + 1, counts.length * 2));
            }
            if (counts[length]++ == 0) {
                distinct++;
            }
        }

        /** Returns true when no length is left. */
        boolean remove(int length) {
            if (--counts[length] == 0) {
                distinct--;
            }
            return distinct == 0;
        }

        boolean has(int length) {
            return length < counts.length && counts[length] > 0;
        }
    }
}
