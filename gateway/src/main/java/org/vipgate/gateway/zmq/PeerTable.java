package org.vipgate.gateway.zmq;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vipgate.gateway.vip.VipMessage;

/**
 * The VIP identities the router knows (vip-zmq.md §1.6 step 3): a peer becomes known on its first valid message
 * and is forgotten on {@code agentstop} or when it cannot be reached. Only the router thread uses it.
 *
 * <p>Each peer is kept as text and as its routing-id frame, so that the router finds a known peer from the frame it
 * received without making text, and addresses it without encoding its identity again.
 */
final class PeerTable {

    /** A known peer: its identity and the routing-id frame that reaches it (latin-1 of the identity). */
    record Peer(String identity, byte[] frame) {
    }

    /** Frame content as a hash key; {@link #probe} is reused for look-ups and never stored. */
    private static final class FrameKey {
        private byte[] bytes;
        private int hash;

        FrameKey set(byte[] frame) {
            bytes = frame;
            hash = Arrays.hashCode(frame);
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FrameKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final Map<String, Peer> byIdentity = new LinkedHashMap<>();
    private final Map<FrameKey, Peer> byFrame = new HashMap<>();
    private final Collection<Peer> view = Collections.unmodifiableCollection(byIdentity.values());
    private final FrameKey probe = new FrameKey();

    /** True when the identity was not known before. */
    boolean add(String identity) {
        if (byIdentity.containsKey(identity)) {
            return false;
        }
        Peer p = new Peer(identity, VipMessage.frame(identity));
        byIdentity.put(identity, p);
        byFrame.put(new FrameKey().set(p.frame()), p);
        return true;
    }

    /** True when the identity was known. */
    boolean remove(String identity) {
        Peer p = byIdentity.remove(identity);
        if (p == null) {
            return false;
        }
        byFrame.remove(new FrameKey().set(p.frame()));
        return true;
    }

    boolean contains(String identity) {
        return byIdentity.containsKey(identity);
    }

    /** The identity of the known peer whose routing id is {@code frame}, or null (no text is made). */
    String identityOf(byte[] frame) {
        Peer p = byFrame.get(probe.set(frame));
        probe.bytes = null;
        return p == null ? null : p.identity();
    }

    /** A copy, in the order they joined. */
    List<String> list() {
        return byIdentity.keySet().stream().toList();
    }

    /**
     * The peers in the order they joined, without a copy: a live view, so the caller must not add or remove peers
     * while it iterates.
     */
    Collection<Peer> view() {
        return view;
    }

    int size() {
        return byIdentity.size();
    }
}
