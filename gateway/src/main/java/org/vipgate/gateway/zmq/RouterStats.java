package org.vipgate.gateway.zmq;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vipgate.gateway.vip.MalformedReason;

/**
 * The router's statistics in the structure of VOLTTRON's Tracker (vip-zmq.md §6), with string keys (the Python
 * tracker's bytes keys cannot be sent as JSON), plus a count of every message dropped as malformed, by reason.
 *
 * <p>Only the router thread updates it; {@link #snapshot()} may be called from any thread. Each map keeps at
 * most {@link #MAX_KEYS} distinct keys; further keys are counted under {@value #OTHER}, so that a peer sending
 * random identities cannot grow it without bound.
 */
public final class RouterStats {

    /** Distinct keys per map before further ones are counted together. */
    public static final int MAX_KEYS = 1_000;
    /** The key that counts everything past {@link #MAX_KEYS}. */
    public static final String OTHER = "<other>";

    private static final byte[] OTHER_FRAME = OTHER.getBytes(StandardCharsets.ISO_8859_1);

    /** Section name to key to counts, each in the order first counted (as {@code snapshot} shows them). */
    private final Map<String, Map<String, FrameCounts>> sections = new LinkedHashMap<>();
    private final Instant start = Instant.now();
    /** The counts every routed message touches, looked up once. */
    private final FrameCounts[] incoming = new FrameCounts[3];
    private final FrameCounts[] outgoing = new FrameCounts[3];

    public RouterStats() {
        for (String s : new String[] {"error", "unroutable", "incoming", "outgoing"}) {
            sections.put(s, new LinkedHashMap<>());
        }
    }

    /** A message received: peer = sender, user = USER_ID, subsystem; the frames as received (no text made). */
    public synchronized void incoming(byte[] peer, byte[] user, byte[] subsystem) {
        hitEach(incoming, "incoming", peer, user, subsystem);
    }

    /** A message sent: peer = recipient, user = USER_ID, subsystem; the frames as sent (no text made). */
    public synchronized void outgoing(byte[] peer, byte[] user, byte[] subsystem) {
        hitEach(outgoing, "outgoing", peer, user, subsystem);
    }

    /** A message received: peer = sender, user = USER_ID, subsystem. */
    public void incoming(String peer, String user, String subsystem) {
        incoming(frame(peer), frame(user), frame(subsystem));
    }

    /** A message sent: peer = recipient. */
    public void outgoing(String peer, String user, String subsystem) {
        outgoing(frame(peer), frame(user), frame(subsystem));
    }

    /** A VIP error sent back, e.g. errno 113. */
    public synchronized void error(int errno, String peer, String user, String subsystem) {
        hit("error", "error", Integer.toString(errno));
        hit("error", "peer", peer);
        hit("error", "user", user);
        hit("error", "subsystem", subsystem);
    }

    /**
     * A VIP error that could not be sent because the peer's queue was full (it does not read its socket); the
     * message it answered was refused and not carried.
     */
    public synchronized void errorUndelivered(int errno, String peer) {
        hit("error", "undelivered", Integer.toString(errno));
        hit("error", "undelivered_peer", peer);
    }

    /** A frame set dropped as malformed (or a router probe, which VOLTTRON also counts here). */
    public synchronized void unroutable(String reason, String peer) {
        hit("unroutable", "error", reason);
        hit("unroutable", "peer", peer);
    }

    /** Dropped messages for one reason so far. */
    public synchronized long dropped(MalformedReason reason) {
        FrameCounts counts = sections.get("unroutable").get("error");
        return counts == null ? 0 : counts.get(frame(reason.text()));
    }

    /** Dropped messages for every reason so far. */
    public synchronized long droppedTotal() {
        long total = 0;
        for (MalformedReason r : MalformedReason.values()) {
            total += dropped(r);
        }
        return total;
    }

    /** A deep copy, ready for JSON: {@code {error: {...}, unroutable: {...}, incoming, outgoing, start}}. */
    public synchronized Map<String, Object> snapshot() {
        Map<String, Object> copy = new LinkedHashMap<>();
        sections.forEach((name, section) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            section.forEach((k, v) -> s.put(k, v.toMap()));
            copy.put(name, s);
        });
        copy.put("start", start.toString());
        return copy;
    }

    private void hitEach(FrameCounts[] cached, String section, byte[] peer, byte[] user, byte[] subsystem) {
        if (cached[0] == null) {
            cached[0] = counts(section, "peer");
            cached[1] = counts(section, "user");
            cached[2] = counts(section, "subsystem");
        }
        cached[0].hit(peer);
        cached[1].hit(user);
        cached[2].hit(subsystem);
    }

    private void hit(String section, String key, String value) {
        counts(section, key).hit(frame(value));
    }

    private FrameCounts counts(String section, String key) {
        return sections.get(section).computeIfAbsent(key, k -> new FrameCounts(MAX_KEYS, OTHER_FRAME));
    }

    /** Keys are frames as text (latin-1, as frames are), so that text and frame name the same key. */
    private static byte[] frame(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
