package org.vipgate.gateway.amqp.bridge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the router thread, which polls {@link #channel()}, when other threads handed it something: one byte into a
 * pipe per batch instead of one per message (a message handed over while a wake-up is pending costs no system call).
 *
 * <p>Protocol: a producer hands its item over (a queue offer) and then calls {@link #signal()}; the router calls
 * {@link #clear()} before it takes items, and takes until the queue is empty (or calls {@link #signal()} itself when
 * it stops early). An item offered before {@code clear()} is seen by the router's take; one offered after finds no
 * wake-up pending and writes a byte. No item waits for a poll time-out.
 */
final class WakeSignal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WakeSignal.class);

    private final Pipe pipe;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final ByteBuffer one = ByteBuffer.allocate(1);
    private final ByteBuffer sink = ByteBuffer.allocate(256);

    WakeSignal() throws IOException {
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
    }

    /** What the router thread polls for readability. */
    SelectableChannel channel() {
        return pipe.source();
    }

    /** Any thread, after handing an item over: writes a byte unless a wake-up is already pending. */
    void signal() {
        if (!pending.compareAndSet(false, true)) {
            return;
        }
        try {
            synchronized (one) {
                one.clear();
                pipe.sink().write(one);
            }
            written.incrementAndGet();
        } catch (IOException e) {
            LOG.debug("waking the router: {}", e.toString());
        }
    }

    /**
     * Router thread, before it takes the items handed over: the pending wake-up is consumed. The pipe is drained
     * before the flag is reset: the other order lets a producer write its byte in between, which the drain then
     * swallows while the flag stays set, and every later signal is lost until the next poll time-out.
     */
    void clear() {
        try {
            while (pipe.source().read(sink) > 0) {
                sink.clear();
            }
        } catch (IOException e) {
            LOG.debug("draining the wake-up pipe: {}", e.toString());
        }
        pending.set(false);
    }

    /** Bytes written so far (at most one per {@link #clear()}). */
    long written() {
        return written.get();
    }

    @Override
    public void close() {
        try {
            pipe.source().close();
            pipe.sink().close();
        } catch (IOException e) {
            LOG.debug("closing the wake-up pipe: {}", e.toString());
        }
    }
}
