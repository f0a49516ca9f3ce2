package org.vipgate.gateway.amqp.mapping;

import org.vipgate.gateway.vip.PythonJsonWriter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vipgate.gateway.amqp.mapping.MappingException.Reason;
import org.vipgate.gateway.vip.VipMessage;

/**
 * Maps VIP messages from ZMQ peers to AMQP messages for the exchange {@code volttron}, the way VOLTTRON's
 * {@code ZMQProxyRouter} does (vip-rabbitmq.md §1.9, vip-zmq.md §4.5), with these deliberate differences:
 * <ul>
 *   <li>{@code delivery_mode} is 2 (persistent): vipgate must not lose messages. VOLTTRON leaves it unset (§1.4).</li>
 *   <li>{@code headers.user} is always the sender's VIP identity, which is what vipgate's router writes into USER_ID
 *       (vip-zmq.md §1.4). The USER_ID frame the peer sent is ignored, so a peer cannot claim another identity.</li>
 *   <li>ARGS are sent as JSON strings (each frame latin-1 decoded), not JSON-parsed as the Python proxy does; RMQ
 *       receivers accept both (§1.5).</li>
 * </ul>
 * Every method either returns a complete message or throws {@link MappingException}; it never throws an unchecked
 * exception for bad input. Thread-safe.
 */
public final class VipToAmqp {

    /** vip-rabbitmq.md §1.4. */
    static final String CONTENT_TYPE = "application/json";
    /** Persistent; VOLTTRON leaves delivery_mode unset (transient), vipgate does not (see class doc). */
    static final int PERSISTENT = 2;

    private final String instance;
    private final String amqpUser;
    private final MappingLimits limits;

    /**
     * @param instance the local instance name, e.g. {@code v1}; must be non-empty and have no {@code .}
     *                 (§1.7 splits {@code app_id} at its first dot)
     * @param amqpUser the gateway's authenticated RabbitMQ user (its certificate CN, e.g.
     *                 {@code v1.zmq.proxy.router}); written to {@code user_id}, which RabbitMQ checks (§1.6)
     */
    public VipToAmqp(String instance, String amqpUser) {
        this(instance, amqpUser, MappingLimits.DEFAULTS);
    }

    public VipToAmqp(String instance, String amqpUser, MappingLimits limits) {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(amqpUser, "amqpUser");
        if (instance.isEmpty() || instance.indexOf('.') >= 0) {
            throw new IllegalArgumentException("instance name must be non-empty and contain no '.': " + instance);
        }
        if (amqpUser.isEmpty()) {
            throw new IllegalArgumentException("amqpUser must be non-empty");
        }
        this.instance = instance;
        this.amqpUser = amqpUser;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Maps a message from a ZMQ peer to a recipient that is not a ZMQ peer (vip-rabbitmq.md §1.9 {@code _route_to_agent}).
     *
     * @return the message to publish to {@code volttron} with key {@code <instance>.<recipient>}
     * @throws MappingException if the sender or subsystem is empty, a short string is over 255 bytes, or the
     *                          ARGS exceed the limits
     */
    public AmqpMessage map(VipMessage m) throws MappingException {
        return map(m, instance);
    }

    /**
     * As {@link #map(VipMessage)}, for a sender on platform {@code senderPlatform}: {@code app_id} and
     * {@code headers.user} are {@code <senderPlatform>.<sender>} (vip-rabbitmq.md §1.7), as a reply from another
     * platform carries them; the recipient is still on this instance.
     */
    public AmqpMessage map(VipMessage m, String senderPlatform) throws MappingException {
        String msgId = m.msgIdText();
        // vip-rabbitmq.md §1.3: "<platform>.<peer>", empty peer -> "router", no escaping of dots
        String recipient = m.isForRouter() ? "router" : m.recipientName();
        String routingKey = instance + "." + recipient;
        String sender = m.senderName();
        if (sender.isEmpty()) {
            throw new MappingException(Reason.BAD_APP_ID, "the sender identity is empty", routingKey, msgId);
        }
        String subsystem = m.subsystemName();
        if (subsystem.isBlank()) {
            throw new MappingException(Reason.MISSING_TYPE, "the subsystem is empty", routingKey, msgId);
        }
        if (m.args().size() > limits.maxElements()) {
            throw new MappingException(Reason.TOO_MANY_ELEMENTS, m.args().size() + " args, more than "
                    + limits.maxElements(), routingKey, msgId);
        }
        List<String> args = new ArrayList<>(m.args().size());
        for (byte[] frame : m.args()) {
            args.add(VipMessage.text(frame));
        }
        // vip-rabbitmq.md §1.5: json.dumps(args, ensure_ascii=False); an RPC arg (JSON-RPC text) becomes one string
        byte[] body = utf8(PythonJsonWriter.dumpsStrings(args, false), routingKey, msgId);

        // vip-rabbitmq.md §1.9 / vip-zmq.md §4.5: the headers the proxy sets
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("sender", sender);
        headers.put("recipient", routingKey);
        headers.put("proto", "VIP");
        // vip-rabbitmq.md §1.6: an RMQ agent's send_vip puts '<inst>.<id>' here, and RPC capability checks strip
        // the first word; the ZMQ sender (vip-zmq.md §1.4: USER_ID = sender identity) gets the same form.
        headers.put("user", senderPlatform + "." + sender);
        return message(routingKey, senderPlatform + "." + sender, headers, msgId, subsystem, body);
    }

    /**
     * Maps a ZMQ pubsub publish (vip-zmq.md §3.2: RECIPIENT empty, subsystem {@code pubsub}, args
     * {@code publish, topic, {"bus", "headers", "message"}}) to an RMQ publish (vip-rabbitmq.md §2.1, §2.2).
     * The JSON frame is read as latin-1 text, as Python peers do (vip-zmq.md §1.3).
     *
     * @throws MappingException {@link Reason#BAD_PUBLISH} if the args are not a publish, and as
     *                          {@link #mapPublish(String, String, String, String, JsonNode, JsonNode)}
     */
    public AmqpMessage mapPublish(VipMessage m) throws MappingException {
        String msgId = m.msgIdText();
        if (!"pubsub".equals(m.subsystemName()) || m.args().size() < 3 || !"publish".equals(m.arg(0))) {
            throw new MappingException(Reason.BAD_PUBLISH, "not a pubsub publish (need args publish, topic, body)",
                    null, msgId);
        }
        String topic = m.arg(1);
        String routingKey = pubsubRoutingKey(topic);
        if (m.args().get(2).length > limits.maxBodyBytes()) {
            throw new MappingException(Reason.BODY_TOO_LARGE, "publish body of " + m.args().get(2).length
                    + " bytes, more than " + limits.maxBodyBytes(), routingKey, msgId);
        }
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(m.arg(2));
        } catch (JsonProcessingException e) {
            throw new MappingException(Reason.BAD_PUBLISH, "publish body is not JSON: " + e.getOriginalMessage(),
                    routingKey, msgId, e);
        }
        if (request == null || !request.isObject()) {
            throw new MappingException(Reason.BAD_PUBLISH, "publish body is not a JSON object", routingKey, msgId);
        }
        JsonNode bus = request.path("bus");
        if (!bus.isMissingNode() && !bus.isNull() && !bus.isTextual()) {
            throw new MappingException(Reason.BAD_PUBLISH, "publish 'bus' is not a string", routingKey, msgId);
        }
        JsonNode headers = request.path("headers");
        if (!headers.isMissingNode() && !headers.isNull() && !headers.isObject()) {
            throw new MappingException(Reason.BAD_PUBLISH, "publish 'headers' is not an object", routingKey, msgId);
        }
        return mapPublish(m.senderName(), msgId, topic, bus.isTextual() ? bus.textValue() : "",
                headers.isObject() ? headers : null, request.get("message"));
    }

    /**
     * Builds an RMQ pubsub publish (vip-rabbitmq.md §2.1 key, §2.2 body, §1.4 properties).
     *
     * @param sender  the publisher's VIP identity; goes to the body's {@code sender} (the real publisher, not
     *                {@code zmq.proxy.router} as in VOLTTRON's proxy, §1.9), {@code app_id} and {@code headers.user}
     * @param msgId   the publisher's MSG_ID, sent as {@code message_id}
     * @param topic   the VOLTTRON topic, e.g. {@code devices/campus/building/all}
     * @param bus     the bus, usually {@code ""}
     * @param headers the publisher's headers, or null for none; copied, and given {@code min_compatible_version} "5.0"
     *                and {@code max_compatible_version} "" when absent (§2.2)
     * @param message the payload, any JSON; null means JSON null
     * @throws MappingException if the sender is empty, a short string is over 255 bytes, or the body exceeds the limit
     */
    public AmqpMessage mapPublish(String sender, String msgId, String topic, String bus, JsonNode headers,
                                  JsonNode message) throws MappingException {
        return mapPublish(instance, sender, msgId, topic, bus, headers, message);
    }

    /**
     * As {@link #mapPublish(String, String, String, String, JsonNode, JsonNode)} for a publish made on platform
     * {@code platform}: the key is {@code __pubsub__.<platform>.<topic>.#} (vip-rabbitmq.md §2.1), which the
     * {@code all_platforms} subscribers' bindings {@code __pubsub__.*.<prefix>.#} match (§2.4) and the local ones
     * do not, and {@code app_id} is {@code <platform>.<sender>}.
     */
    public AmqpMessage mapPublish(String platform, String sender, String msgId, String topic, String bus,
                                  JsonNode headers, JsonNode message) throws MappingException {
        String routingKey = pubsubRoutingKey(platform, topic);
        if (sender == null || sender.isEmpty()) {
            throw new MappingException(Reason.BAD_APP_ID, "the publisher identity is empty", routingKey, msgId);
        }
        ObjectNode pubHeaders = headers != null && headers.isObject()
                ? ((ObjectNode) headers).deepCopy() : JsonNodeFactory.instance.objectNode();
        if (!pubHeaders.has("min_compatible_version")) {
            pubHeaders.put("min_compatible_version", "5.0");
        }
        if (!pubHeaders.has("max_compatible_version")) {
            pubHeaders.put("max_compatible_version", "");
        }
        // vip-rabbitmq.md §2.2: {"sender", "bus", "headers", "message"}
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("sender", sender);
        body.put("bus", bus == null ? "" : bus);
        body.set("headers", pubHeaders);
        body.set("message", message == null ? NullNode.instance : message);
        byte[] bytes = utf8(PythonJsonWriter.dumps(body, false), routingKey, msgId);

        // vip-rabbitmq.md §1.4 (pubsub variant): recipient '', user = bare identity
        Map<String, Object> amqpHeaders = new LinkedHashMap<>();
        amqpHeaders.put("recipient", "");
        amqpHeaders.put("proto", "VIP");
        amqpHeaders.put("user", sender);
        return message(routingKey, platform + "." + sender, amqpHeaders, msgId == null ? "" : msgId, "pubsub",
                bytes);
    }

    /**
     * vip-rabbitmq.md §2.1: append {@code .#}, replace every {@code /} with {@code .}, prefix
     * {@code __pubsub__.<instance>.}; {@code ""} gives {@code __pubsub__.<instance>.#}.
     */
    public String pubsubRoutingKey(String topic) {
        return pubsubRoutingKey(instance, topic);
    }

    private static String pubsubRoutingKey(String platform, String topic) {
        String t = topic == null ? "" : topic;
        String withHash = t.isEmpty() ? "#" : t + ".#";
        return "__pubsub__." + platform + "." + withHash.replace('/', '.');
    }

    /**
     * vip-rabbitmq.md §2.1, subscribe with {@code all_platforms}: {@code __pubsub__.*.<prefix words>.#}, so that a
     * prefix matches whole topic words on every platform, as for RabbitMQ agents. Trailing {@code /} are dropped (a
     * VOLTTRON agent would bind an empty word); {@code ""} gives {@code __pubsub__.*.#}.
     */
    public static String allPlatformsBindingKey(String prefix) {
        String p = prefix == null ? "" : prefix;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return "__pubsub__.*." + (p.isEmpty() ? "#" : p.replace('/', '.') + ".#");
    }

    private AmqpMessage message(String routingKey, String appId, Map<String, Object> headers, String msgId,
                                String type, byte[] body) throws MappingException {
        shortString("routing key", routingKey, routingKey, msgId);
        shortString("app_id", appId, routingKey, msgId);
        shortString("message_id", msgId, routingKey, msgId);
        shortString("type", type, routingKey, msgId);
        shortString("user_id", amqpUser, routingKey, msgId);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .appId(appId)
                .headers(Collections.unmodifiableMap(headers))
                .messageId(msgId)
                .type(type)
                .contentType(CONTENT_TYPE)
                .userId(amqpUser) // vip-rabbitmq.md §1.6: must equal the authenticated user
                .deliveryMode(PERSISTENT)
                .build();
        return new AmqpMessage(routingKey, props, body);
    }

    private byte[] utf8(String json, String routingKey, String msgId) throws MappingException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        if (body.length > limits.maxBodyBytes()) {
            throw new MappingException(Reason.BODY_TOO_LARGE, "body of " + body.length + " bytes, more than "
                    + limits.maxBodyBytes(), routingKey, msgId);
        }
        return body;
    }

    /** AMQP 0-9-1 short strings are at most 255 bytes; amqp-client would throw an unchecked exception at publish. */
    private static void shortString(String field, String value, String routingKey, String msgId)
            throws MappingException {
        int length = value.getBytes(StandardCharsets.UTF_8).length;
        if (length > 255) {
            throw new MappingException(Reason.FIELD_TOO_LONG, field + " is " + length + " bytes, more than 255",
                    routingKey, msgId);
        }
    }
}
