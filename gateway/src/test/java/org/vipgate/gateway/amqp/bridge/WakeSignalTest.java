package org.vipgate.gateway.amqp.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The hand-off from RabbitMQ's consumer threads to the router thread: every item handed over wakes the router in
 * time (a lost wake-up leaves the router in its 10 s select here, and the test fails), and signals coalesce.
 */
class WakeSignalTest {

    private static final int PRODUCERS = 3;
    private static final int ITEMS = 20_000;
    /** Far longer than any scheduling delay: a select that lasts this long missed a wake-up. */
    private static final long SELECT_MILLIS = 10_000;

    @Test
    void everyItemHandedOverIsTakenWithoutWaitingForATimeOut() throws Exception {
        ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
        try (WakeSignal wake = new WakeSignal(); Selector selector = Selector.open()) {
            wake.channel().register(selector, SelectionKey.OP_READ);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int base = p * ITEMS;
                Thread t = new Thread(() -> {
                    for (int i = 0; i < ITEMS; i++) {
                        queue.add(base + i);
                        wake.signal();
                        if (i % 1_000 == 0) {
                            Thread.yield();
                        }
                    }
                });
                producers.add(t);
                t.start();
            }
            Set<Integer> taken = new HashSet<>();
            int turns = 0;
            while (taken.size() < PRODUCERS * ITEMS) {
                long start = System.nanoTime();
                int ready = selector.select(SELECT_MILLIS);
                selector.selectedKeys().clear();
                assertThat(ready).as("woken (not timed out) with %d of %d items taken",
                        taken.size(), PRODUCERS * ITEMS).isPositive();
                assertThat(System.nanoTime() - start).isLessThan(SELECT_MILLIS * 1_000_000);
                // as AmqpBridge.deliver: clear, then take at most a batch, signal again when some are left
                wake.clear();
                for (int i = 0; i < 500; i++) {
                    Integer item = queue.poll();
                    if (item == null) {
                        break;
                    }
                    assertThat(taken.add(item)).as("item %d taken twice", item).isTrue();
                }
                if (!queue.isEmpty()) {
                    wake.signal();
                }
                turns++;
            }
            for (Thread t : producers) {
                t.join();
            }
            assertThat(taken).hasSize(PRODUCERS * ITEMS);
            assertThat(queue).isEmpty();
            assertThat(wake.written()).as("at most one byte per turn of the router").isLessThanOrEqualTo(turns + 1L);
        }
    }

    @Test
    void aSignalWhileOneIsPendingWritesNothing() throws Exception {
        try (WakeSignal wake = new WakeSignal()) {
            wake.signal();
            wake.signal();
            wake.signal();
            assertThat(wake.written()).isEqualTo(1);
            wake.clear();
            wake.signal();
            assertThat(wake.written()).isEqualTo(2);
        }
    }
}
