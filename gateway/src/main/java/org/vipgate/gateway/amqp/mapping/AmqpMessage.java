package org.vipgate.gateway.amqp.mapping;

import com.rabbitmq.client.AMQP;
import java.util.Objects;

/**
 * One message to publish to the topic exchange {@code volttron} (vip-rabbitmq.md §1.1: all VIP traffic goes through
 * it).
 *
 * <p>The body array is not copied: treat it as read-only. {@code equals} compares array identity (record default).
 *
 * @param routingKey the routing key, e.g. {@code v1.ragent} or {@code __pubsub__.v1.devices.x.#}
 * @param properties the AMQP properties, headers included
 * @param body       the UTF-8 JSON body
 */
public record AmqpMessage(String routingKey, AMQP.BasicProperties properties, byte[] body) {

    public AmqpMessage {
        Objects.requireNonNull(routingKey, "routingKey");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(body, "body");
    }
}
