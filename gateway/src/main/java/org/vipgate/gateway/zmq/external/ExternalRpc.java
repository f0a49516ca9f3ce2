package org.vipgate.gateway.zmq.external;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.vip.PythonJsonWriter;
import org.vipgate.gateway.vip.SendResult;
import org.vipgate.gateway.vip.ThrottledLog;
import org.vipgate.gateway.vip.VipCodec;
import org.vipgate.gateway.vip.VipErrors;
import org.vipgate.gateway.vip.VipMessage;
import org.vipgate.gateway.vip.VipOutbox;
import org.vipgate.gateway.zmq.Bridge;
import org.vipgate.gateway.zmq.SubsystemHandler;

/**
 * The router's {@code external_rpc} subsystem (vip-zmq.md §4.3), on the router thread:
 * <ul>
 * <li>{@code send_platform} from a local peer: {@code from_platform}/{@code from_peer} are filled in and the message
 * goes on the outbound link to {@code to_platform} as {@code send_peer};</li>
 * <li>{@code send_peer} from another platform's link: delivered to {@code to_peer} with SENDER '' (the router), as
 * VOLTTRON does, so that the agent's answer ({@code send_platform} to '') travels back the same way.</li>
 * </ul>
 * Everything is validated first (VOLTTRON crashes on a message that is not exactly 8 frames or not a JSON object,
 * §8); a malformed request is counted and answered with error -32602 (93 when {@code to_platform} is missing, as
 * VOLTTRON), an unknown or unconnected platform with 113 (VOLTTRON drops it silently), a full link with 11.
 */
public final class ExternalRpc implements SubsystemHandler {

    /** The subsystem name. */
    public static final String SUBSYSTEM = "external_rpc";
    /** jsonrpc.py INVALID_PARAMS. */
    public static final int INVALID_PARAMS = -32602;
    /** Identities of other platforms' links start with this (vip-zmq.md §4.2). */
    static final String LINK_PREFIX = "instance.";

    private static final Logger LOG = LoggerFactory.getLogger(ExternalRpc.class);
    /** Warnings caused by what peers and other platforms send, bounded. */
    private static final ThrottledLog BAD_INPUT = new ThrottledLog(LOG);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] SEND_PEER = VipMessage.frame("send_peer");

    private final ExternalLinks links;
    private volatile Bridge bridge;
    private final AtomicLong toOtherBus = new AtomicLong();
    private final AtomicLong fromOtherBus = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();

    public ExternalRpc(ExternalLinks links) {
        this.links = links;
    }

    /**
     * The other bus (vip-zmq.md §4.5): a {@code send_peer} for a peer that is not a ZMQ peer goes to it as an
     * {@code RPC} message from {@code <from_platform>.<from_peer>}, so that a RabbitMQ agent answers it (or gets its
     * answer) as VOLTTRON's RMQ RPC does (vip-rabbitmq.md §3).
     */
    public void attach(Bridge otherBus) {
        this.bridge = otherBus;
    }

    /**
     * A call or reply from the other bus's {@code sender} to {@code recipient} on {@code platform}, sent to that
     * platform as {@code external_rpc send_peer} (vip-zmq.md §4.3 step 2 as the proxy would do it for an RMQ agent,
     * vip-rabbitmq.md §3: the RMQ agent published it to {@code <platform>.<recipient>}). Only {@code RPC} is
     * carried; {@code args} are the JSON-RPC texts. Router thread only.
     */
    public LinkSend fromOtherBus(String platform, VipMessage rpc) {
        ObjectNode body = JSON.createObjectNode();
        body.put("to_platform", platform);
        body.put("to_peer", rpc.recipientName());
        body.put("from_platform", links.ownName());
        body.put("from_peer", rpc.senderName());
        ArrayNode args = body.putArray("args");
        for (int i = 0; i < rpc.args().size(); i++) {
            args.add(rpc.arg(i));
        }
        byte[] frame = PythonJsonWriter.dumps(body, true).getBytes(StandardCharsets.ISO_8859_1);
        LinkSend result = links.send(platform, List.of(EMPTY, VipMessage.SIGNATURE, rpc.userId(), rpc.msgId(),
                VipMessage.frame(SUBSYSTEM), SEND_PEER, frame));
        if (result instanceof LinkSend.Sent) {
            fromOtherBus.incrementAndGet();
        } else {
            refused.incrementAndGet();
        }
        return result;
    }

    /** A request that is valid, ready to go on (vip-zmq.md §4.3 body). */
    private record Request(String toPlatform, String toPeer, ObjectNode body) {
    }

    /** Why a request cannot be carried: the VIP error to answer with. */
    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;

        Invalid(int errno, String message) {
            super(message, null, false, false);
            this.errno = errno;
        }
    }

    @Override
    public void handle(VipMessage m, VipOutbox out) {
        String op = m.arg(0);
        try {
            // vip-zmq.md §4.3/§8: exactly 8 frames in view B = op + one JSON body.
            if (m.args().size() != 2) {
                throw new Invalid(INVALID_PARAMS, "external_rpc needs exactly 8 frames ([op, JSON]), got "
                        + (6 + m.args().size()));
            }
            switch (op) {
                case "send_platform" -> sendPlatform(m, out, parse(m.arg(1)));
                case "send_peer" -> sendPeer(m, out, parse(m.arg(1)));
                default -> throw new Invalid(VipErrors.UNKNOWN_SUBSYSTEM, "unknown external_rpc op '" + op + "'");
            }
        } catch (Invalid e) {
            malformed.incrementAndGet();
            BAD_INPUT.warn("malformed", "external_rpc: {} from '{}' (msg-id '{}') refused: {}", op, m.senderName(),
                    m.msgIdText(), e.getMessage());
            error(m, out, e.errno, e.errno == VipErrors.UNKNOWN_SUBSYSTEM ? VipErrors.UNKNOWN_SUBSYSTEM_TEXT
                    : "invalid external_rpc request: " + e.getMessage());
        }
    }

    // vip-zmq.md §4.3 step 2.
    private void sendPlatform(VipMessage m, VipOutbox out, Request r) {
        r.body().put("from_platform", links.ownName());
        r.body().put("from_peer", m.senderName());
        byte[] body = PythonJsonWriter.dumps(r.body(), true).getBytes(StandardCharsets.ISO_8859_1);
        LinkSend result = links.send(r.toPlatform(), List.of(EMPTY, VipMessage.SIGNATURE, m.userId(), m.msgId(),
                m.subsystem(), SEND_PEER, body));
        if (result instanceof LinkSend.Sent) {
            forwarded.incrementAndGet();
            LOG.debug("external_rpc: '{}' -> '{}' on platform '{}' (msg-id '{}') sent", m.senderName(),
                    r.toPeer(), r.toPlatform(), m.msgIdText());
        } else if (result instanceof LinkSend.UnknownPlatform) {
            refuse(m, out, r, VipErrors.UNREACHABLE, VipErrors.UNREACHABLE_TEXT,
                    "platform not in external_platform_discovery.json");
        } else if (result instanceof LinkSend.NotConnected n) {
            refuse(m, out, r, VipErrors.UNREACHABLE, VipErrors.UNREACHABLE_TEXT, "its link is " + n.state());
        } else {
            refuse(m, out, r, VipErrors.AGAIN, VipErrors.AGAIN_TEXT, "its link queue is full");
        }
    }

    private void refuse(VipMessage m, VipOutbox out, Request r, int errno, String text, String why) {
        refused.incrementAndGet();
        BAD_INPUT.warn("refused " + errno, "external_rpc: call from '{}' to '{}' on platform '{}' (msg-id '{}')"
                + " refused with {}: {}", m.senderName(), r.toPeer(), r.toPlatform(), m.msgIdText(), errno, why);
        error(m, out, errno, text);
    }

    // vip-zmq.md §4.3 step 3: [to_peer, '', VIP1, <user>, msg_id, external_rpc, send_peer, JSON]; SENDER ''.
    private void sendPeer(VipMessage m, VipOutbox out, Request r) throws Invalid {
        if (!m.senderName().startsWith(LINK_PREFIX)) {
            throw new Invalid(INVALID_PARAMS, "send_peer is only accepted from another platform's link ('"
                    + LINK_PREFIX + "...'), local agents send send_platform");
        }
        SendResult result = out.send(VipCodec.fromRouter(VipMessage.frame(r.toPeer()), m.userId(), m.msgId(),
                m.subsystem(), m.args()));
        if (result == SendResult.SENT) {
            delivered.incrementAndGet();
        } else if (result == SendResult.UNREACHABLE && bridge != null) {
            toOtherBus(m, r);
        } else {
            // VOLTTRON only logs an unreachable peer; the caller's platform gets nothing back either.
            refused.incrementAndGet();
            BAD_INPUT.warn("undeliverable", "external_rpc: call from '{}' on platform '{}' to local peer '{}'"
                    + " (msg-id '{}') dropped: {}", r.body().path("from_peer").asText(),
                    r.body().path("from_platform").asText(), r.toPeer(), m.msgIdText(),
                    result == SendResult.UNREACHABLE ? "no such peer" : "its queue is full");
        }
    }

    /** vip-zmq.md §4.5: {@code send_peer} for a peer on the other bus, as RPC from the remote peer. */
    private void toOtherBus(VipMessage m, Request r) {
        String fromPlatform = r.body().path("from_platform").asText("");
        String fromPeer = r.body().path("from_peer").asText("");
        List<byte[]> args = new ArrayList<>();
        for (JsonNode a : r.body().get("args")) {
            args.add((a.isTextual() ? a.textValue() : a.toString()).getBytes(StandardCharsets.ISO_8859_1));
        }
        if (fromPlatform.isEmpty() || fromPeer.isEmpty()) {
            refused.incrementAndGet();
            BAD_INPUT.warn("no caller", "external_rpc: send_peer for '{}' (msg-id '{}') via '{}' dropped: no"
                    + " from_platform/from_peer to answer to", r.toPeer(), m.msgIdText(), m.senderName());
            return;
        }
        VipMessage rpc = new VipMessage(VipMessage.frame(fromPeer), VipMessage.frame(r.toPeer()), m.userId(),
                m.msgId(), VipMessage.frame("RPC"), args);
        Bridge.Outcome outcome = bridge.toOtherBus(rpc, fromPlatform);
        if (outcome == Bridge.Outcome.ACCEPTED) {
            toOtherBus.incrementAndGet();
        } else {
            refused.incrementAndGet();
            LOG.warn("external_rpc: call from '{}' on platform '{}' to '{}' (msg-id '{}') not passed to RabbitMQ: {}",
                    fromPeer, fromPlatform, r.toPeer(), m.msgIdText(), outcome);
        }
    }

    private static Request parse(String text) throws Invalid {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Invalid(INVALID_PARAMS, "body is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(node instanceof ObjectNode body)) {
            throw new Invalid(INVALID_PARAMS, "body must be a JSON object");
        }
        JsonNode toPlatform = body.get("to_platform");
        if (toPlatform == null || toPlatform.isNull()) {
            // vip-zmq.md §4.3 step 2: VOLTTRON answers EPROTONOSUPPORT.
            throw new Invalid(VipErrors.UNKNOWN_SUBSYSTEM, "\"to_platform\" is missing");
        }
        JsonNode toPeer = body.get("to_peer");
        if (!toPlatform.isTextual() || toPlatform.textValue().isEmpty()) {
            throw new Invalid(INVALID_PARAMS, "\"to_platform\" must be a non-empty string");
        }
        if (toPeer == null || !toPeer.isTextual() || toPeer.textValue().isEmpty()) {
            throw new Invalid(INVALID_PARAMS, "\"to_peer\" must be a non-empty string");
        }
        JsonNode args = body.get("args");
        if (args == null || !args.isArray()) {
            throw new Invalid(INVALID_PARAMS, "\"args\" must be a list");
        }
        return new Request(toPlatform.textValue(), toPeer.textValue(), body);
    }

    private static void error(VipMessage m, VipOutbox out, int errno, String text) {
        if (out.send(VipCodec.error(m, EMPTY, errno, text)) != SendResult.SENT) {
            LOG.debug("external_rpc: error {} to '{}' (msg-id '{}') not delivered", errno, m.senderName(),
                    m.msgIdText());
        }
    }

    /** forwarded / delivered / to_other_bus / from_other_bus / refused / malformed; any thread. */
    public Map<String, Long> counters() {
        return Map.of("forwarded", forwarded.get(), "delivered", delivered.get(), "to_other_bus", toOtherBus.get(),
                "from_other_bus", fromOtherBus.get(), "refused", refused.get(), "malformed", malformed.get());
    }
}
