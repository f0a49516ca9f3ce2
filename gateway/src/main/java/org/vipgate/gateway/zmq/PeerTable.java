package org.vipgate.gateway.zmq;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The VIP identities the router knows (vip-zmq.md §1.6 step 3): a peer becomes known on its first valid message
 * and is forgotten on {@code agentstop} or when it cannot be reached. Only the router thread uses it.
 */
final class PeerTable {

    private final Set<String> peers = new LinkedHashSet<>();

    /** True when the identity was not known before. */
    boolean add(String identity) {
        return peers.add(identity);
    }

    /** True when the identity was known. */
    boolean remove(String identity) {
        return peers.remove(identity);
    }

    boolean contains(String identity) {
        return peers.contains(identity);
    }

    /** In the order they joined. */
    List<String> list() {
        return List.copyOf(peers);
    }

    int size() {
        return peers.size();
    }
}
