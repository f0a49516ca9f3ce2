package org.vipgate.gateway.zmq.pubsub;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Statistics of the pubsub service. The router thread updates them; any thread may read them.
 *
 * <ul>
 *   <li>published: publish requests fanned out (protected-topic refusals not included)</li>
 *   <li>delivered: copies handed to subscribers ({@code SENT})</li>
 *   <li>undelivered: copies a subscriber could not take (EHOSTUNREACH or EAGAIN)</li>
 *   <li>refused: publishes refused for a protected topic (error -32001)</li>
 *   <li>malformed: requests answered with an error because they could not be understood (unknown op, missing
 *       frames, bad JSON)</li>
 *   <li>overLimit: subscribe/synchronize requests refused by the subscription bounds</li>
 *   <li>ignored: requests deliberately not acted on (external_* ops, auth updates from a sender other than
 *       {@code platform.auth}, synchronize that is not {@code connected}, ...)</li>
 * </ul>
 */
public final class PubSubCounters {

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong overLimit = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();

    public long published() {
        return published.get();
    }

    public long delivered() {
        return delivered.get();
    }

    public long undelivered() {
        return undelivered.get();
    }

    public long refused() {
        return refused.get();
    }

    public long malformed() {
        return malformed.get();
    }

    public long overLimit() {
        return overLimit.get();
    }

    public long ignored() {
        return ignored.get();
    }

    void addPublished() {
        published.incrementAndGet();
    }

    void addDelivered(long n) {
        delivered.addAndGet(n);
    }

    void addUndelivered() {
        undelivered.incrementAndGet();
    }

    void addRefused() {
        refused.incrementAndGet();
    }

    void addMalformed() {
        malformed.incrementAndGet();
    }

    void addOverLimit() {
        overLimit.incrementAndGet();
    }

    void addIgnored() {
        ignored.incrementAndGet();
    }

    @Override
    public String toString() {
        return "published=" + published() + " delivered=" + delivered() + " undelivered=" + undelivered()
                + " refused=" + refused() + " malformed=" + malformed() + " overLimit=" + overLimit()
                + " ignored=" + ignored();
    }
}
