package org.vipgate.gateway.zmq.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Refused authentication attempts, for an operator to review and approve (VOLTTRON's {@code vctl auth pending} /
 * {@code approve}; vip-zmq.md §5.4). Attempts with the same domain, address, mechanism and credentials are
 * counted in one record. At most {@code capacity} records are kept: when full, the record seen least recently is
 * evicted. Kept in memory only. Thread-safe.
 */
public final class PendingAuthentications {

    /** Default number of records kept. */
    public static final int DEFAULT_CAPACITY = 1_000;

    /**
     * One refused peer.
     *
     * @param domain      ZAP domain
     * @param address     peer IP address
     * @param mechanism   CURVE, NULL or PLAIN
     * @param credentials the 43-character public key for CURVE, the user name for PLAIN, empty for NULL
     * @param identity    the identity frame of the ZAP request (libzmq and jeromq put the server socket's
     *                    routing id there, so it usually says nothing about the client)
     * @param firstSeen   first refused attempt
     * @param lastSeen    latest refused attempt
     * @param count       number of refused attempts
     */
    public record Attempt(String domain, String address, String mechanism, String credentials, String identity,
                          Instant firstSeen, Instant lastSeen, long count) {
    }

    private record Key(String domain, String address, String mechanism, String credentials) {
    }

    private final int capacity;
    private final Clock clock;
    private final LinkedHashMap<Key, Attempt> attempts; // guarded by this; access order = least recently seen first

    /** Keeps {@link #DEFAULT_CAPACITY} records. */
    public PendingAuthentications() {
        this(DEFAULT_CAPACITY, Clock.systemUTC());
    }

    /**
     * @param capacity the most records kept (at least 1)
     * @param clock    the source of first/last seen times
     */
    public PendingAuthentications(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.attempts = new LinkedHashMap<>(16, 0.75f, true);
    }

    /**
     * Counts one refused attempt.
     *
     * @return the record after counting (count 1 for a peer not seen before, or evicted since)
     */
    public synchronized Attempt record(String domain, String address, String mechanism, String credentials,
                                       String identity) {
        Key key = new Key(nullToEmpty(domain), nullToEmpty(address), nullToEmpty(mechanism),
                nullToEmpty(credentials));
        Instant now = clock.instant();
        Attempt previous = attempts.get(key);
        Attempt updated = previous == null
                ? new Attempt(key.domain(), key.address(), key.mechanism(), key.credentials(),
                        nullToEmpty(identity), now, now, 1)
                : new Attempt(key.domain(), key.address(), key.mechanism(), key.credentials(),
                        nullToEmpty(identity), previous.firstSeen(), now, previous.count() + 1);
        attempts.put(key, updated);
        if (attempts.size() > capacity) {
            Iterator<Key> eldest = attempts.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        return updated;
    }

    /** A snapshot of the records, least recently seen first. */
    public synchronized List<Attempt> list() {
        return List.copyOf(attempts.values());
    }

    /** The records for one mechanism and credentials, e.g. a CURVE key (any domain or address). */
    public synchronized List<Attempt> find(String mechanism, String credentials) {
        return attempts.values().stream()
                .filter(a -> a.mechanism().equals(mechanism) && a.credentials().equals(credentials))
                .toList();
    }

    /**
     * Forgets the records for one mechanism and credentials (after an approval or a denial).
     *
     * @return the records removed
     */
    public synchronized List<Attempt> remove(String mechanism, String credentials) {
        List<Attempt> removed = find(mechanism, credentials);
        for (Iterator<Map.Entry<Key, Attempt>> it = attempts.entrySet().iterator(); it.hasNext(); ) {
            Attempt a = it.next().getValue();
            if (a.mechanism().equals(mechanism) && a.credentials().equals(credentials)) {
                it.remove();
            }
        }
        return removed;
    }

    /** The record for one exact peer, if any. */
    public synchronized Optional<Attempt> get(String domain, String address, String mechanism, String credentials) {
        Key key = new Key(nullToEmpty(domain), nullToEmpty(address), nullToEmpty(mechanism),
                nullToEmpty(credentials));
        // Look without touching the access order.
        return attempts.entrySet().stream().filter(e -> e.getKey().equals(key)).map(Map.Entry::getValue).findFirst();
    }

    /** Number of records. */
    public synchronized int size() {
        return attempts.size();
    }

    /** The most records kept. */
    public int capacity() {
        return capacity;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
