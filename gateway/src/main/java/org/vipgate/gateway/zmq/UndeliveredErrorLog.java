package org.vipgate.gateway.zmq;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs VIP errors that could not be sent because the peer's queue was full, at most once every
 * {@link MalformedLog#INTERVAL_NANOS} with the number since, so that a peer that stopped reading cannot flood the log.
 */
final class UndeliveredErrorLog {

    private static final Logger LOG = LoggerFactory.getLogger(UndeliveredErrorLog.class);

    private long lastLogged = System.nanoTime() - MalformedLog.INTERVAL_NANOS;
    private long since;

    void dropped(String peer, int errno, String msgId) {
        since++;
        long now = System.nanoTime();
        if (now - lastLogged >= MalformedLog.INTERVAL_NANOS) {
            LOG.warn("{} VIP error(s) could not be sent: the peers' queues were full; latest: error {} for msg-id {}"
                    + " to '{}', whose message was refused. That peer sends faster than it reads its replies",
                    since, errno, msgId, peer);
            lastLogged = now;
            since = 0;
        }
    }
}
