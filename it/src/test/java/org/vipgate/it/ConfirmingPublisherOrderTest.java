package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vipgate.gateway.amqp.VolttronTopology;
import org.vipgate.gateway.amqp.bridge.ConfirmingPublisher;
import org.vipgate.gateway.amqp.mapping.AmqpMessage;
import org.vipgate.testkit.RabbitBroker;
import org.vipgate.testkit.RabbitBrokerExtension;

/**
 * The confirming publisher publishes on the caller's thread when nothing waits in its queue, and on its own thread
 * otherwise: with both paths in use by several callers at once, every message arrives exactly once and each caller's
 * messages arrive in the order it offered them.
 */
@ExtendWith(RabbitBrokerExtension.class)
class ConfirmingPublisherOrderTest {

    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 5_000;
    private static final int ONE_AT_A_TIME = 200;

    @Test
    void everyCallersMessagesArriveOnceAndInOrderOverBothPaths(RabbitBroker broker) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(broker.host());
        factory.setPort(broker.amqpPort());
        factory.setUsername(broker.username());
        factory.setPassword(broker.password());
        String queue = "publisher-order-" + UUID.randomUUID();
        try (Connection connection = factory.newConnection("publisher-order-test")) {
            VolttronTopology.declare(connection, "/");
            try (Channel setup = connection.createChannel()) {
                setup.queueDeclare(queue, false, false, true, Map.of());
                setup.queueBind(queue, VolttronTopology.EXCHANGE, queue);
            }
            ConfirmingPublisher publisher = new ConfirmingPublisher(connection, 1_000, 200);
            // one at a time: each offer finds the queue empty and the window open
            for (int i = 0; i < ONE_AT_A_TIME; i++) {
                offer(publisher, queue, "solo", i);
                await().atMost(Duration.ofSeconds(10)).until(() -> publisher.pending() == 0);
            }
            assertThat(publisher.publishedDirectly()).as("published on the caller's thread").isPositive();
            // several callers at once, in bursts: the queue fills and empties, both paths interleave
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                String name = "p" + p;
                Thread t = new Thread(() -> {
                    for (int i = 0; i < PER_PRODUCER; i++) {
                        offer(publisher, queue, name, i);
                        if (i % 250 == 0) {
                            pause(2);
                        }
                    }
                });
                producers.add(t);
                t.start();
            }
            for (Thread t : producers) {
                t.join();
            }
            await("all confirmed").atMost(Duration.ofSeconds(60)).until(() -> publisher.pending() == 0);
            long direct = publisher.publishedDirectly();
            publisher.close();

            Map<String, Integer> next = new HashMap<>();
            int received = 0;
            try (Channel ch = connection.createChannel()) {
                for (GetResponse r = ch.basicGet(queue, true); r != null; r = ch.basicGet(queue, true)) {
                    String[] id = r.getProps().getMessageId().split(":");
                    int expected = next.getOrDefault(id[0], 0);
                    assertThat(Integer.parseInt(id[1])).as("next message of %s (lost, duplicated or reordered?)",
                            id[0]).isEqualTo(expected);
                    next.put(id[0], expected + 1);
                    received++;
                }
            }
            System.out.printf("confirming publisher, both paths: %d messages, %d published on the caller's thread,"
                    + " %d republished%n", received, direct, publisher.republished());
            assertThat(next.get("solo")).isEqualTo(ONE_AT_A_TIME);
            for (int p = 0; p < PRODUCERS; p++) {
                assertThat(next.get("p" + p)).as("messages of p%d", p).isEqualTo(PER_PRODUCER);
            }
            assertThat(received).isEqualTo(ONE_AT_A_TIME + PRODUCERS * PER_PRODUCER);
        }
    }

    private static void offer(ConfirmingPublisher publisher, String key, String producer, int i) {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId(producer + ":" + i).build();
        AmqpMessage m = new AmqpMessage(key, props, ("m" + i).getBytes(StandardCharsets.US_ASCII));
        while (!publisher.offer(m)) {
            pause(1); // back-pressure: the queue is full
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
