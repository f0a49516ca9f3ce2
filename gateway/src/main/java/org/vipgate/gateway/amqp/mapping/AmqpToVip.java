package org.vipgate.gateway.amqp.mapping;

import org.vipgate.gateway.vip.PythonJsonWriter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vipgate.gateway.amqp.mapping.MappingException.Reason;
import org.vipgate.gateway.vip.VipMessage;

/**
 * Maps AMQP deliveries for ZMQ peers back to VIP messages, like VOLTTRON's proxy
 * ({@code outbound_response_handler}, vip-rabbitmq.md §1.7, §1.9; vip-zmq.md §4.5):
 * <ul>
 *   <li>RECIPIENT = routing key after the first {@code .}; SENDER = {@code app_id} after the first {@code .}
 *       (both must exist and be non-empty);</li>
 *   <li>USER_ID = {@code headers.user}, empty when the headers or the entry are missing (Python would fail on missing
 *       headers, §1.7; vipgate tolerates it);</li>
 *   <li>MSG_ID = {@code message_id} or empty; SUBSYSTEM = {@code type}, required;</li>
 *   <li>ARGS: the body must be a JSON array. A string element becomes one frame (its latin-1 bytes); JSON null an
 *       empty frame; any other element (object, array, number, bool) becomes its JSON text, written like Python's
 *       {@code json.dumps} with ASCII escapes (vip-zmq.md §1.3 does the same for list/dict). Numbers and bools are
 *       sent as JSON text rather than packed as 4-byte/1-byte structs: Python peers JSON-parse every frame, so text
 *       gives them the same value. Unlike the proxy, every element becomes a frame (the proxy keeps only a JSON-string
 *       first element, §1.9).</li>
 * </ul>
 * The {@code platform} part of {@code app_id} is not kept (a VIP frame set has no place for it).
 * Every method either returns a result or throws {@link MappingException}; it never throws an unchecked exception for
 * bad input. Thread-safe.
 */
public final class AmqpToVip {

    private static final String PUBSUB_PREFIX = "__pubsub__";

    private final MappingLimits limits;

    public AmqpToVip() {
        this(MappingLimits.DEFAULTS);
    }

    public AmqpToVip(MappingLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Maps one delivery to the VIP message to send to the ZMQ peer named by the routing key.
     *
     * @param routingKey the delivery's routing key, {@code <instance>.<recipient>}
     * @param props      the delivery's properties; null is treated as empty (and fails for the missing {@code type})
     * @param body       the delivery's body
     * @throws MappingException see {@link Reason}: bad routing key or {@code app_id}, missing {@code type}, a
     *                          non-string {@code headers.user}, a body that is not a JSON array or is too large, too
     *                          many elements, or text outside latin-1
     */
    public VipMessage map(String routingKey, AMQP.BasicProperties props, byte[] body) throws MappingException {
        AMQP.BasicProperties p = props == null ? new AMQP.BasicProperties() : props;
        String msgId = p.getMessageId() == null ? "" : p.getMessageId();

        // vip-zmq.md §4.5: to = routing key after the first '.'
        int dot = routingKey == null ? -1 : routingKey.indexOf('.');
        if (dot < 0 || dot == routingKey.length() - 1) {
            throw new MappingException(Reason.BAD_ROUTING_KEY, "routing key names no recipient", routingKey, msgId);
        }
        String recipient = routingKey.substring(dot + 1);

        // vip-rabbitmq.md §1.7: platform, peer = app_id.split('.', 1); app_id must contain a dot
        String appId = p.getAppId();
        int appDot = appId == null ? -1 : appId.indexOf('.');
        if (appDot < 0 || appDot == appId.length() - 1) {
            throw new MappingException(Reason.BAD_APP_ID, "app_id '" + appId + "' is not <platform>.<sender>",
                    routingKey, msgId);
        }
        String sender = appId.substring(appDot + 1);

        // vip-rabbitmq.md §1.7: msg.subsystem = type
        String type = p.getType();
        if (type == null || type.isBlank()) {
            throw new MappingException(Reason.MISSING_TYPE, "type (the subsystem) is missing", routingKey, msgId);
        }

        String user = user(p.getHeaders(), routingKey, msgId);
        List<byte[]> args = args(body, routingKey, msgId);
        return new VipMessage(latin1("sender", sender, routingKey, msgId),
                latin1("recipient", recipient, routingKey, msgId),
                latin1("headers.user", user, routingKey, msgId),
                latin1("message_id", msgId, routingKey, msgId),
                latin1("type", type, routingKey, msgId),
                args);
    }

    /**
     * Recovers the VOLTTRON topic from a pubsub routing key (vip-rabbitmq.md §2.1 {@code _get_original_topic}): drops
     * the first two words and the last one and joins the rest with {@code /}. Like VOLTTRON it drops the last word
     * whatever it is (publishers always end the key with {@code #}); a topic segment that held a {@code .} comes
     * back split (quirk, §2.1).
     *
     * @return e.g. {@code devices/campus/building/all} for {@code __pubsub__.v1.devices.campus.building.all.#}, and
     *         {@code ""} for {@code __pubsub__.v1.#}
     * @throws MappingException {@link Reason#BAD_ROUTING_KEY} unless the key starts with {@code __pubsub__.} and has at
     *                          least three words
     */
    public static String topicOf(String pubsubRoutingKey) throws MappingException {
        String[] words = pubsubRoutingKey == null ? new String[0] : pubsubRoutingKey.split("\\.", -1);
        if (words.length < 3 || !PUBSUB_PREFIX.equals(words[0])) {
            throw new MappingException(Reason.BAD_ROUTING_KEY, "not a pubsub routing key", pubsubRoutingKey, null);
        }
        return String.join("/", Arrays.asList(words).subList(2, words.length - 1));
    }

    private static String user(Map<String, Object> headers, String routingKey, String msgId)
            throws MappingException {
        Object user = headers == null ? null : headers.get("user");
        if (user == null) {
            return "";
        }
        if (user instanceof LongString || user instanceof String) {
            return user.toString(); // LongString.toString() decodes UTF-8, as pika does
        }
        throw new MappingException(Reason.BAD_HEADER, "headers.user is a " + user.getClass().getSimpleName()
                + ", not a string", routingKey, msgId);
    }

    private List<byte[]> args(byte[] body, String routingKey, String msgId) throws MappingException {
        if (body == null) {
            throw new MappingException(Reason.BAD_BODY, "no body", routingKey, msgId);
        }
        if (body.length > limits.maxBodyBytes()) {
            throw new MappingException(Reason.BODY_TOO_LARGE, "body of " + body.length + " bytes, more than "
                    + limits.maxBodyBytes(), routingKey, msgId);
        }
        JsonNode array;
        try {
            // vip-rabbitmq.md §1.7: msg.args = json.loads(body)
            array = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MappingException(Reason.BAD_BODY, "body is not JSON: " + e.getOriginalMessage(), routingKey,
                    msgId, e);
        } catch (IOException e) {
            throw new MappingException(Reason.BAD_BODY, "body is not readable JSON: " + e.getMessage(), routingKey,
                    msgId, e);
        }
        if (array == null || !array.isArray()) {
            throw new MappingException(Reason.BAD_BODY, "body is not a JSON array", routingKey, msgId);
        }
        if (array.size() > limits.maxElements()) {
            throw new MappingException(Reason.TOO_MANY_ELEMENTS, array.size() + " elements, more than "
                    + limits.maxElements(), routingKey, msgId);
        }
        List<byte[]> frames = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            if (element.isTextual()) {
                // vip-rabbitmq.md §1.5: an RPC body is ["<json-rpc text>"]; the text is the frame
                frames.add(latin1("body element", element.textValue(), routingKey, msgId));
            } else if (element.isNull()) {
                frames.add(new byte[0]); // vip-zmq.md §1.3: None -> empty frame
            } else {
                // vip-rabbitmq.md §1.5: an already decoded dict element is accepted; send its JSON text
                frames.add(VipMessage.frame(PythonJsonWriter.dumps(element, true)));
            }
        }
        return frames;
    }

    /** vip-zmq.md §1.3: text frames are latin-1; a character above U+00FF has no frame form. */
    private static byte[] latin1(String what, String text, String routingKey, String msgId) throws MappingException {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xff) {
                throw new MappingException(Reason.NOT_LATIN1, what + " has character U+"
                        + String.format("%04X", (int) text.charAt(i)) + " at " + i + ", not latin-1", routingKey,
                        msgId);
            }
        }
        return VipMessage.frame(text);
    }
}
