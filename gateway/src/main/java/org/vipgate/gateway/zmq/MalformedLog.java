package org.vipgate.gateway.zmq;

import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.vip.MalformedReason;

/**
 * Logs dropped malformed messages without flooding the log: the first of each reason at once, then at most
 * one line per reason every {@link #INTERVAL_NANOS} with the number dropped since.
 */
final class MalformedLog {

    static final long INTERVAL_NANOS = 10_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(MalformedLog.class);

    private final Map<MalformedReason, Long> lastLogged = new EnumMap<>(MalformedReason.class);
    private final Map<MalformedReason, Long> since = new EnumMap<>(MalformedReason.class);

    void dropped(MalformedReason reason, String peer, int frames) {
        long now = System.nanoTime();
        long count = since.merge(reason, 1L, Long::sum);
        Long last = lastLogged.get(reason);
        if (last == null || now - last >= INTERVAL_NANOS) {
            LOG.warn("dropped {} malformed message(s) ({}), latest from '{}' with {} frame(s); VIP needs at least"
                    + " 6 frames with 'VIP1' third (vip-zmq.md §1.1): check that peer's client", count, reason.text(),
                    peer, frames);
            lastLogged.put(reason, now);
            since.put(reason, 0L);
        }
    }
}
