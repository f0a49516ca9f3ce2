package org.vipgate.certs;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificate serial numbers from the clock, as VOLTTRON makes them (certs-csr-discovery.md §1.2, §1.3), but
 * strictly increasing within the process: two certificates issued in the same 0.1 ms get different serials.
 */
final class SerialNumbers {

    /** The last leaf serial handed out in this process, shared by every CA instance. */
    private static final AtomicLong LAST_LEAF = new AtomicLong();

    private SerialNumbers() {
    }

    /** certs-csr-discovery.md §1.2: root CA serial = {@code int(time.time())}, epoch seconds. */
    static BigInteger forCa(Clock clock) {
        return BigInteger.valueOf(clock.instant().getEpochSecond());
    }

    /** certs-csr-discovery.md §1.3: serial = epoch seconds x 10 000 (0.1 ms units), here never repeated. */
    static BigInteger forLeaf(Clock clock) {
        Instant now = clock.instant();
        long fromClock = now.getEpochSecond() * 10_000L + now.getNano() / 100_000;
        return BigInteger.valueOf(LAST_LEAF.updateAndGet(last -> Math.max(last + 1, fromClock)));
    }
}
