package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.vipgate.testkit.ManagementProbe;
import org.vipgate.testkit.RabbitBroker;

/**
 * A RabbitMQ agent on amqp-client as VOLTTRON's RMQ core is (vip-rabbitmq.md §1.2, §1.4): an exclusive queue
 * {@code <inst>.<id>} bound to the same key on exchange {@code volttron}, messages sent with VOLTTRON's properties.
 */
final class RmqTestAgent implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    final Connection connection;
    final Channel channel;
    final BlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
    final String instance;
    final String identity;

    RmqTestAgent(RabbitBroker broker, String vhost, String instance, String identity) throws Exception {
        this.instance = instance;
        this.identity = identity;
        connection = factory(broker, vhost).newConnection(instance + "." + identity);
        channel = connection.createChannel();
        String queue = instance + "." + identity;
        channel.queueDeclare(queue, false, true, true, null);
        channel.queueBind(queue, "volttron", queue);
        channel.basicConsume(queue, true, (tag, d) -> inbox.add(d), tag -> { });
    }

    /** A connection factory for the broker's vhost, logged in as its test user. */
    static ConnectionFactory factory(RabbitBroker broker, String vhost) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(broker.host());
        f.setPort(broker.amqpPort());
        f.setUsername(broker.username());
        f.setPassword(broker.password());
        f.setVirtualHost(vhost);
        return f;
    }

    /** vip-rabbitmq.md §1.4: send_vip to {@code key} ({@code <platform>.<peer>}). */
    void send(String key, String subsystem, String msgId, String... args) throws IOException {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .appId(instance + "." + identity)
                .headers(Map.of("recipient", key, "proto", "VIP", "user", instance + "." + identity))
                .messageId(msgId).type(subsystem).contentType("application/json").build();
        channel.basicPublish("volttron", key, props, JSON.writeValueAsBytes(args));
    }

    /** Waits until some queue of {@code vhost} is bound to {@code volttron} with {@code routingKey}. */
    static void awaitBinding(RabbitBroker broker, String vhost, String routingKey) {
        ManagementProbe mgmt = broker.management();
        Awaitility.await("a binding " + routingKey).atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> mgmt.get("bindings/" + ManagementProbe.segment(vhost)).findValuesAsText("routing_key")
                        .contains(routingKey));
    }

    /** The next delivery; fails when none comes within {@link #WAIT}. */
    Delivery next() throws InterruptedException {
        Delivery d = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(d).as("a delivery for %s within %s", identity, WAIT).isNotNull();
        return d;
    }

    /** hello to the router, and the welcome for it (vip-rabbitmq.md §4.2). */
    Delivery hello() throws Exception {
        send(instance + ".router", "hello", "connect.hello.0", "hello");
        return next();
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
