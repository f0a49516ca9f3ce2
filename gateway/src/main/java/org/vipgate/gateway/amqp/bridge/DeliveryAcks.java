package org.vipgate.gateway.amqp.bridge;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acks a run of deliveries the router thread is done with in one {@code basic.ack multiple=true} instead of one
 * frame (and socket write) each. Router thread only.
 *
 * <p>Sound because deliveries reach the router in the order of their tags per channel (one consumer dispatch queue
 * per channel, one FIFO hand-over queue): when the router is done with tag {@code t}, every lower tag of that
 * channel was handed over before it and is done too, or was settled by the consumer thread already (rejected,
 * acked, or nacked), which a multiple ack leaves alone. A delivery is acked only once the router is done with it;
 * what is never acked (the process dies first) is redelivered by the broker.
 */
final class DeliveryAcks {

    /** At most this many done deliveries wait for their ack, so that the broker's prefetch window keeps moving. */
    static final int MAX_PENDING = 100;

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAcks.class);

    private Channel channel;
    private long highest;
    private int pending;
    private long frames;

    /** The router is done with delivery {@code tag} of {@code ch}: ack it (now or with the next flush). */
    void done(Channel ch, long tag) {
        if (ch != channel) {
            flush();
            channel = ch;
        }
        highest = tag;
        if (++pending >= MAX_PENDING) {
            flush();
        }
    }

    /** Sends the waiting ack; call at the end of every batch. */
    void flush() {
        if (pending == 0) {
            return;
        }
        Channel ch = channel;
        long tag = highest;
        int n = pending;
        pending = 0;
        try {
            ch.basicAck(tag, true);
            frames++;
        } catch (IOException | RuntimeException e) {
            // The channel is gone; the broker redelivers what was not acked.
            LOG.warn("acknowledging {} delivery(ies) up to tag {} failed: {}; the broker redelivers them", n, tag,
                    e.toString());
        }
    }

    /** Ack frames sent so far. */
    long frames() {
        return frames;
    }
}
