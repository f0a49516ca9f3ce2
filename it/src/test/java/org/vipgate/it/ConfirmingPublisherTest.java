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
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vipgate.gateway.amqp.VolttronTopology;
import org.vipgate.gateway.amqp.bridge.ConfirmingPublisher;
import org.vipgate.gateway.amqp.mapping.AmqpMessage;
import org.vipgate.testkit.NodeOptions;
import org.vipgate.testkit.PrivateNode;

/**
 * The confirming publisher loses nothing when the broker restarts mid-stream: every message offered arrives at
 * least once; duplicates are counted and reported.
 */
class ConfirmingPublisherTest {

    private static final int MESSAGES = 20_000;

    @Test
    void everyMessageArrivesAtLeastOnceAcrossABrokerRestart() throws Exception {
        try (PrivateNode node = PrivateNode.start(NodeOptions.defaults())) {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(node.host());
            factory.setPort(node.amqpPort());
            factory.setUsername(node.username());
            factory.setPassword(node.password());
            factory.setAutomaticRecoveryEnabled(true);
            factory.setNetworkRecoveryInterval(500);
            factory.setTopologyRecoveryEnabled(false);
            try (Connection connection = factory.newConnection("publisher-test")) {
                VolttronTopology.declare(connection, "/");
                try (Channel setup = connection.createChannel()) {
                    setup.queueDeclare("v1.sink", true, false, false, Map.of());
                    setup.queueBind("v1.sink", VolttronTopology.EXCHANGE, "v1.sink");
                }
                ConfirmingPublisher publisher = new ConfirmingPublisher(connection, 50_000, 1_000);
                int restartAt = MESSAGES / 3;
                for (int i = 0; i < MESSAGES; i++) {
                    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                            .messageId(Integer.toString(i)).deliveryMode(2).build();
                    while (!publisher.offer(new AmqpMessage("v1.sink", props,
                            ("m" + i).getBytes(StandardCharsets.US_ASCII)))) {
                        Thread.sleep(1); // back-pressure: the queue is full
                    }
                    if (i == restartAt) {
                        node.stop();
                        node.start();
                    }
                }
                await("all confirmed").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> publisher.pending() == 0);
                publisher.close();

                Set<String> seen = new HashSet<>();
                int received = 0;
                try (Connection reader = factory.newConnection("reader"); Channel ch = reader.createChannel()) {
                    for (GetResponse r = ch.basicGet("v1.sink", true); r != null; r = ch.basicGet("v1.sink", true)) {
                        seen.add(r.getProps().getMessageId());
                        received++;
                    }
                }
                int duplicates = received - seen.size();
                System.out.printf("confirming publisher across a broker restart: offered %d, received %d,"
                        + " unique %d, lost %d, duplicates %d, republished %d%n", MESSAGES, received, seen.size(),
                        MESSAGES - seen.size(), duplicates, publisher.republished());
                assertThat(seen).as("lost = 0").hasSize(MESSAGES);
                assertThat(publisher.confirmed()).isGreaterThanOrEqualTo(MESSAGES - publisher.republished());
            }
        }
    }
}
