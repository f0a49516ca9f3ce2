package org.vipgate.gateway.amqp.bridge;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.amqp.VolttronTopology;
import org.vipgate.gateway.amqp.mapping.AmqpMessage;

/**
 * Publishes to exchange {@code volttron} on a thread and channel of its own, with publisher confirms and a bounded
 * in-flight window, so that nothing handed to it is lost silently.
 *
 * <p>{@link #offer} never blocks: it returns false when the queue is full, and the caller (the VIP router) answers
 * the sender with VIP error 11 (DESIGN.md, "Threads and back-pressure"). A message leaves the publisher's care
 * only when the broker confirmed it. Nacked messages, and those unconfirmed when the connection is lost, are
 * published again (at least once: duplicates are possible and counted, losses are not).
 *
 * <p>One thread at a time uses the channel: whoever holds {@code publishLock}. When nothing waits in the queue, the
 * window is open and the channel is up, {@link #offer} publishes on the caller's thread (it only tries the lock, so
 * it never waits for the publisher thread): one message at a time then costs no hand-over to another thread. The
 * publisher thread takes a message from the queue and publishes it under the same lock, so a caller that finds the
 * queue empty under the lock knows that everything it offered before is published: the order of one caller's
 * messages is kept.
 */
public final class ConfirmingPublisher implements AutoCloseable {

    /** Messages waiting to be published. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    /** Published but not yet confirmed. */
    public static final int DEFAULT_WINDOW = 2_000;
    /** How long the publisher waits for the connection to come back before trying again. */
    public static final long RETRY_MILLIS = 500;

    private static final Logger LOG = LoggerFactory.getLogger(ConfirmingPublisher.class);

    private final Connection connection;
    private final BlockingQueue<AmqpMessage> queue;
    private final int window;
    private final ConcurrentNavigableMap<Long, AmqpMessage> inFlight = new ConcurrentSkipListMap<>();
    /** inFlight's size: ConcurrentSkipListMap.size() walks the whole map, too slow to ask for every message. */
    private final AtomicInteger inFlightCount = new AtomicInteger();
    /** True while {@code retry} holds messages; written under windowLock. */
    private volatile boolean retryPending;
    private final Deque<AmqpMessage> retry = new ArrayDeque<>();
    private final Object windowLock = new Object();
    private final AtomicLong confirmed = new AtomicLong();
    private final AtomicLong republished = new AtomicLong();
    private final AtomicLong nacked = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Channel channel;
    private volatile Channel stale;
    /** Held by whoever publishes on the channel; callers of {@link #offer} only try it. */
    private final ReentrantLock publishLock = new ReentrantLock();
    /** True while the publisher thread is parked or about to park: only then does {@link #offer} unpark it. */
    private volatile boolean idle;
    /** The broker blocked the connection (resource alarm): a publish could block, so callers never publish then. */
    private volatile boolean blocked;
    private final AtomicLong direct = new AtomicLong();

    public ConfirmingPublisher(Connection connection, int queueCapacity, int window) {
        this.connection = connection;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.window = window;
        connection.addBlockedListener(reason -> {
            blocked = true;
            LOG.warn("RabbitMQ blocked publishing ({}); messages wait in the publisher queue", reason);
        }, () -> {
            blocked = false;
            LOG.info("RabbitMQ unblocked publishing");
        });
        this.thread = new Thread(this::loop, "amqp-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Hands a message over; false when the queue is full (answer the sender with error 11). Never waits for the
     * publisher thread: when the queue is empty, the window open and the channel up, the message is published on
     * the caller's thread (a socket write, as the caller's own acks are).
     */
    public boolean offer(AmqpMessage message) {
        if (!running) {
            return false;
        }
        if (publishDirectly(message)) {
            return true;
        }
        if (!queue.offer(message)) {
            return false;
        }
        if (idle) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** True when {@code message} was taken on the caller's thread (published, or kept for publishing again). */
    private boolean publishDirectly(AmqpMessage message) {
        Channel ch = channel;
        if (blocked || retryPending || ch == null || !ch.isOpen() || inFlightCount.get() >= window
                || !queue.isEmpty() || !publishLock.tryLock()) {
            return false;
        }
        try {
            // under the lock: nothing offered before waits in the queue, and the channel is still the current one
            if (!queue.isEmpty() || retryPending || ch != channel || !ch.isOpen() || inFlightCount.get() >= window) {
                return false;
            }
            try {
                publish(ch, message);
                direct.incrementAndGet();
            } catch (IOException e) {
                // in flight already, so published again with the others by the publisher thread
                LOG.warn("publishing to RabbitMQ failed: {}; {} unconfirmed message(s) will be published again once"
                        + " the connection is back", e.getMessage(), inFlight.size());
                closeChannel();
                requeueInFlight();
                LockSupport.unpark(thread);
            }
            return true;
        } finally {
            publishLock.unlock();
        }
    }

    /** Messages published on the caller's thread of {@link #offer} (no hand-over to the publisher thread). */
    public long publishedDirectly() {
        return direct.get();
    }

    /** Messages the broker confirmed. */
    public long confirmed() {
        return confirmed.get();
    }

    /** Messages published again after a nack or a lost connection (each may be a duplicate downstream). */
    public long republished() {
        return republished.get();
    }

    public long nacked() {
        return nacked.get();
    }

    /** Waiting or unconfirmed messages. */
    public int pending() {
        synchronized (windowLock) {
            return queue.size() + inFlightCount.get() + retry.size();
        }
    }

    private void loop() {
        while (running) {
            try {
                awaitWindow();
                if (!publishNext()) {
                    awaitWork();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | ShutdownSignalException e) {
                LOG.warn("publishing to RabbitMQ failed: {}; {} unconfirmed message(s) will be published again once"
                        + " the connection is back", e.getMessage(), inFlight.size());
                requeueInFlight();
                closeChannel();
                sleep(RETRY_MILLIS);
            }
        }
    }

    private void awaitWindow() throws InterruptedException {
        if (inFlightCount.get() >= window) { // the common case takes no lock
            synchronized (windowLock) {
                while (inFlightCount.get() >= window && running) {
                    windowLock.wait(100);
                }
            }
        }
    }

    /**
     * Takes the next message (those to publish again first) and publishes it, both under the publish lock, so that
     * a caller of {@link #offer} that finds the queue empty knows it was published. False when there was none.
     */
    private boolean publishNext() throws IOException, InterruptedException {
        publishLock.lockInterruptibly();
        try {
            AmqpMessage next = null;
            if (retryPending) {
                synchronized (windowLock) {
                    next = retry.poll();
                    retryPending = !retry.isEmpty();
                }
            }
            if (next == null) {
                next = queue.poll();
            }
            if (next == null) {
                return false;
            }
            Channel ch;
            try {
                ch = channel();
            } catch (IOException | RuntimeException | InterruptedException e) {
                keepForRetry(next); // not in flight yet: it must not be lost
                throw e;
            }
            publish(ch, next);
            return true;
        } finally {
            publishLock.unlock();
        }
    }

    /** Parks until {@link #offer} hands something over (or a time-out, to look up for a stop). */
    private void awaitWork() {
        idle = true;
        if (queue.isEmpty() && !retryPending) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
        }
        idle = false;
    }

    private void keepForRetry(AmqpMessage m) {
        synchronized (windowLock) {
            retry.addFirst(m);
            retryPending = true;
        }
    }

    private void publish(Channel ch, AmqpMessage message) throws IOException {
        long seq = ch.getNextPublishSeqNo();
        inFlight.put(seq, message);
        inFlightCount.incrementAndGet();
        try {
            ch.basicPublish(VolttronTopology.EXCHANGE, message.routingKey(), false, message.properties(),
                    message.body());
        } catch (IOException | RuntimeException e) {
            // Unconfirmed by definition: it goes back with the others.
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    private Channel channel() throws IOException, InterruptedException {
        Channel ch = channel;
        if (ch != null && ch.isOpen()) {
            return ch;
        }
        Channel old = stale;
        stale = null;
        if (old != null && old.isOpen()) {
            abortQuietly(old); // amqp-client recovered it, but its confirms start over: use a fresh one
        }
        while (!connection.isOpen()) {
            if (!running) {
                throw new IOException("publisher closed");
            }
            Thread.sleep(RETRY_MILLIS);
        }
        ch = connection.createChannel();
        ch.confirmSelect();
        Channel current = ch;
        ch.addConfirmListener((seq, multiple) -> settle(current, seq, multiple, true),
                (seq, multiple) -> settle(current, seq, multiple, false));
        ch.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication() && channel == current) {
                LOG.warn("publisher channel closed: {}; {} unconfirmed message(s) will be published again",
                        cause.getMessage(), inFlight.size());
                channel = null;
                stale = current;
                requeueInFlight();
            }
        });
        channel = ch;
        return ch;
    }

    private void settle(Channel from, long seq, boolean multiple, boolean ack) {
        if (from != channel) {
            return; // a late confirm for a channel we already gave up on; its messages were requeued
        }
        Map<Long, AmqpMessage> done = multiple ? inFlight.headMap(seq, true) : singleton(seq);
        synchronized (windowLock) {
            int n = done.size();
            if (ack) {
                confirmed.addAndGet(n);
            } else {
                nacked.addAndGet(n);
                republished.addAndGet(n);
                retry.addAll(done.values());
                retryPending = true;
                LOG.warn("RabbitMQ nacked {} message(s); publishing them again", n);
            }
            done.clear();
            inFlightCount.addAndGet(-n);
            windowLock.notifyAll();
        }
    }

    private Map<Long, AmqpMessage> singleton(long seq) {
        return inFlight.subMap(seq, true, seq, true);
    }

    private void requeueInFlight() {
        synchronized (windowLock) {
            int n = inFlight.size();
            republished.addAndGet(n);
            retry.addAll(inFlight.values());
            retryPending = !retry.isEmpty();
            inFlight.clear();
            inFlightCount.addAndGet(-n);
            windowLock.notifyAll();
        }
    }

    private void closeChannel() {
        Channel ch = channel;
        channel = null;
        if (ch != null && ch.isOpen()) {
            abortQuietly(ch);
        }
    }

    private static void abortQuietly(Channel ch) {
        try {
            ch.abort();
        } catch (IOException | AlreadyClosedException e) {
            LOG.debug("aborting a publisher channel: {}", e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for everything handed over to be confirmed, then stops. What is still
     * unconfirmed then is logged with its count.
     */
    public void close(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (pending() > 0 && System.currentTimeMillis() < deadline) {
            sleep(20);
        }
        int left = pending();
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeChannel();
        if (left > 0) {
            LOG.warn("publisher stopped with {} message(s) not confirmed by RabbitMQ", left);
        }
    }

    @Override
    public void close() {
        close(5_000);
    }
}
