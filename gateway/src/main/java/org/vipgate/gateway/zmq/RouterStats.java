package org.vipgate.gateway.zmq;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
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

    private final Map<String, Map<String, Map<String, Long>>> sections = new LinkedHashMap<>();
    private final Instant start = Instant.now();

    public RouterStats() {
        for (String s : new String[] {"error", "unroutable", "incoming", "outgoing"}) {
            sections.put(s, new LinkedHashMap<>());
        }
    }

    /** A message received: peer = sender, user = USER_ID, subsystem. */
    public synchronized void incoming(String peer, String user, String subsystem) {
        hit("incoming", "peer", peer);
        hit("incoming", "user", user);
        hit("incoming", "subsystem", subsystem);
    }

    /** A message sent: peer = recipient. */
    public synchronized void outgoing(String peer, String user, String subsystem) {
        hit("outgoing", "peer", peer);
        hit("outgoing", "user", user);
        hit("outgoing", "subsystem", subsystem);
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
        return sections.get("unroutable").getOrDefault("error", Map.of()).getOrDefault(reason.text(), 0L);
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
            section.forEach((k, v) -> s.put(k, new TreeMap<>(v)));
            copy.put(name, s);
        });
        copy.put("start", start.toString());
        return copy;
    }

    private void hit(String section, String key, String value) {
        Map<String, Long> counts = sections.get(section).computeIfAbsent(key, k -> new HashMap<>());
        String k = counts.containsKey(value) || counts.size() < MAX_KEYS ? value : OTHER;
        counts.merge(k, 1L, Long::sum);
    }
}
