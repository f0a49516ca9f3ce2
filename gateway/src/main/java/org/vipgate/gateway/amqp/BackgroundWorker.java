package org.vipgate.gateway.amqp;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One daemon thread with a bounded queue, for slow calls (the management API) that must not hold up the thread that
 * asks for them. A task that does not fit is not run: {@link #submit} says so and counts it.
 */
final class BackgroundWorker implements AutoCloseable {

    private final ThreadPoolExecutor executor;
    private final AtomicLong rejected = new AtomicLong();

    BackgroundWorker(String threadName, int capacity) {
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(capacity), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues the task; false (and counted) when the queue is full or the worker is closed. */
    boolean submit(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            rejected.incrementAndGet();
            return false;
        }
    }

    /** Tasks not run because the queue was full. */
    long rejected() {
        return rejected.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
