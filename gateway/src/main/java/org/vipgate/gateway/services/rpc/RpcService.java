package org.vipgate.gateway.services.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.services.HostedPeer;
import org.vipgate.gateway.services.ServiceLink;
import org.vipgate.gateway.vip.PythonJsonWriter;
import org.vipgate.gateway.vip.ThrottledLog;
import org.vipgate.gateway.vip.VipMessage;
import org.vipgate.gateway.zmq.pubsub.InvalidRequestException;
import org.vipgate.gateway.zmq.pubsub.PythonJson;

/**
 * A hosted peer that speaks JSON-RPC over VIP's {@code RPC} subsystem as VOLTTRON's agents do
 * (docs/protocol/platform-services.md, "JSON-RPC over VIP"): it answers calls with the request's {@code id}, and
 * makes calls of its own to agents, matched by {@code id} on the way back and by msg-id when the router answers with
 * a VIP error. Its msg-ids are not JSON ({@code vipgate.<n>}), so that agents echo them unchanged.
 *
 * <p>Router thread only. Nothing a caller sends makes it throw; every call is answered unless it is a notification
 * (no {@code id}).
 */
public abstract class RpcService implements HostedPeer {

    /** The VIP subsystem of JSON-RPC. */
    public static final String SUBSYSTEM = "RPC";
    /** Calls to agents awaiting an answer; beyond it a call fails at once. */
    public static final int MAX_OUTSTANDING = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(RpcService.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One call to this service. */
    public record Call(String caller, String user, String calledAs, byte[] msgId, JsonNode id, String method,
                       RpcParams params) {
    }

    /** How a method answers: now with a value, or later through {@link #reply}/{@link #fail}. */
    public sealed interface Answer {
    }

    /** The result, to send now. */
    public record Result(JsonNode value) implements Answer {
    }

    /** The method replies later. */
    public record Deferred() implements Answer {
    }

    private record Outstanding(String id, String to, String method, long deadline, Consumer<CallOutcome> done) {
    }

    private final Map<String, Outstanding> outstanding = new HashMap<>();
    private final PriorityQueue<Outstanding> deadlines =
            new PriorityQueue<>((a, b) -> Long.compare(a.deadline(), b.deadline()));
    private final ThrottledLog badInput = new ThrottledLog(LOG);
    private final String prefix = "vipgate." + getClass().getSimpleName() + ".";
    private long counter;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong callsOut = new AtomicLong();
    private final AtomicLong callsOutFailed =
            new AtomicLong();

    /** Answers one call; throws {@link RpcException} for an error reply. */
    protected abstract Answer handle(Call call, ServiceLink link) throws RpcException;

    @Override
    public final void receive(VipMessage m, ServiceLink link) {
        switch (m.subsystemName()) {
            case SUBSYSTEM -> rpc(m, link);
            case "error" -> undelivered(m);
            default -> LOG.debug("{}: {} message from '{}' ignored", name(), m.subsystemName(), m.senderName());
        }
    }

    private String name() {
        return identities().get(0);
    }

    private void rpc(VipMessage m, ServiceLink link) {
        String body = m.arg(0);
        JsonNode json;
        try {
            json = PythonJson.parse(body);
        } catch (InvalidRequestException e) {
            badInput.warn("unparsable", "{}: RPC from '{}' (msg-id {}) is not JSON: {}; answered with a parse error",
                    name(), m.senderName(), m.msgIdText(), e.getMessage());
            send(link, m, NODES.nullNode(), null, new RpcError(-32700, "Parse error", null));
            return;
        }
        if (json.isObject() && json.has("method")) {
            request(m, json, link);
        } else if (json.isObject() && (json.has("result") || json.has("error"))) {
            response(m, json);
        } else {
            badInput.warn("invalid", "{}: RPC from '{}' (msg-id {}) is neither a request nor a reply", name(),
                    m.senderName(), m.msgIdText());
            send(link, m, json.isObject() ? json.path("id") : NODES.nullNode(), null,
                    new RpcError(RpcError.INVALID_REQUEST, "Invalid Request",
                            NODES.objectNode().put("detail", "vipgate's " + name()
                                    + " takes one JSON-RPC request object per message (no batches)")));
        }
    }

    private void request(VipMessage m, JsonNode json, ServiceLink link) {
        JsonNode id = json.get("id");
        JsonNode method = json.get("method");
        Call call;
        try {
            if (!method.isTextual()) {
                throw new RpcException(new RpcError(RpcError.INVALID_REQUEST, "Invalid Request",
                        NODES.objectNode().put("detail", "method must be a string")));
            }
            call = new Call(m.senderName(), VipMessage.text(m.userId()), m.recipientName(), m.msgId(), id,
                    method.textValue(), RpcParams.of(json.get("params")));
        } catch (RpcException e) {
            send(link, m, id, null, e.error());
            return;
        }
        Answer answer;
        calls.incrementAndGet();
        try {
            answer = handle(call, link);
        } catch (RpcException e) {
            LOG.debug("{}: {} from '{}' (msg-id {}) failed: {}", name(), call.method(), call.caller(),
                    m.msgIdText(), e.getMessage());
            fail(link, call, e.error());
            return;
        } catch (RuntimeException e) {
            LOG.error("{}: internal error in {} called by '{}' (msg-id {}); the caller gets an error", name(),
                    call.method(), call.caller(), m.msgIdText(), e);
            fail(link, call, RpcError.raised("builtins.RuntimeError", "internal error in vipgate's " + name()
                    + " (see the gateway's log)"));
            return;
        }
        if (answer instanceof Result r) {
            reply(link, call, r.value());
        }
    }

    /** Sends the result of {@code call}; nothing for a notification. */
    protected final void reply(ServiceLink link, Call call, JsonNode result) {
        if (call.id() != null) {
            send(link, call, result, null);
        }
    }

    /** Sends an error for {@code call}; nothing for a notification. */
    protected final void fail(ServiceLink link, Call call, RpcError error) {
        failed.incrementAndGet();
        if (call.id() != null) {
            send(link, call, null, error);
        }
    }

    private void send(ServiceLink link, Call call, JsonNode result, RpcError error) {
        link.send(call.calledAs(), call.caller(), call.msgId(), SUBSYSTEM,
                List.of(VipMessage.frame(body(call.id(), result, error))));
    }

    private void send(ServiceLink link, VipMessage m, JsonNode id, JsonNode result, RpcError error) {
        link.send(m.recipientName(), m.senderName(), m.msgId(), SUBSYSTEM,
                List.of(VipMessage.frame(body(id, result, error))));
    }

    private static String body(JsonNode id, JsonNode result, RpcError error) {
        ObjectNode reply = NODES.objectNode();
        reply.put("jsonrpc", "2.0");
        reply.set("id", id == null ? NODES.nullNode() : id);
        if (error != null) {
            reply.set("error", error.toJson());
        } else {
            reply.set("result", result == null ? NODES.nullNode() : result);
        }
        return PythonJsonWriter.dumps(reply, true);
    }

    /**
     * Calls {@code method} on agent {@code to} as {@code from}; {@code done} runs on the router thread with the
     * outcome, at the latest after {@code timeout}.
     */
    protected final void callAgent(ServiceLink link, String from, String to, String method, JsonNode params,
                                   Duration timeout, Consumer<CallOutcome> done) {
        if (outstanding.size() >= MAX_OUTSTANDING) {
            LOG.warn("{}: {} calls to agents are unanswered; {} to '{}' is not sent", name(), MAX_OUTSTANDING,
                    method, to);
            done.accept(new CallOutcome.Undelivered(11, "Resource temporarily unavailable"));
            return;
        }
        String id = prefix + (++counter);
        callsOut.incrementAndGet();
        Outstanding o = new Outstanding(id, to, method, System.nanoTime() + timeout.toNanos(), done);
        outstanding.put(id, o);
        deadlines.add(o);
        ObjectNode request = NODES.objectNode();
        request.put("jsonrpc", "2.0");
        request.put("method", method);
        request.set("params", params);
        request.put("id", id);
        link.send(from, to, VipMessage.frame(id), SUBSYSTEM,
                List.of(VipMessage.frame(PythonJsonWriter.dumps(request, true))));
    }

    private void response(VipMessage m, JsonNode json) {
        JsonNode id = json.get("id");
        Outstanding o = id == null || !id.isTextual() ? null : outstanding.remove(id.textValue());
        if (o == null) {
            LOG.debug("{}: reply from '{}' matches no call (late or unknown id {})", name(), m.senderName(), id);
            return;
        }
        deadlines.remove(o);
        JsonNode error = json.get("error");
        complete(o, error != null && !error.isNull() ? new CallOutcome.Failed(RpcError.fromJson(error))
                : new CallOutcome.Returned(json.get("result")));
    }

    private void undelivered(VipMessage m) {
        Outstanding o = outstanding.remove(m.msgIdText());
        if (o == null) {
            LOG.debug("{}: VIP error from '{}' matches no call (msg-id {})", name(), m.senderName(), m.msgIdText());
            return;
        }
        deadlines.remove(o);
        int errno;
        try {
            errno = Integer.parseInt(String.valueOf(m.arg(0)).strip());
        } catch (NumberFormatException e) {
            errno = -1;
        }
        complete(o, new CallOutcome.Undelivered(errno, String.valueOf(m.arg(1))));
    }

    @Override
    public void tick(long nowNanos, ServiceLink link) {
        Outstanding o;
        while ((o = deadlines.peek()) != null && o.deadline() - nowNanos <= 0) {
            deadlines.poll();
            if (outstanding.remove(o.id()) != null) {
                complete(o, new CallOutcome.TimedOut());
            }
        }
    }

    private void complete(Outstanding o, CallOutcome outcome) {
        if (!(outcome instanceof CallOutcome.Returned)) {
            callsOutFailed.incrementAndGet();
        }
        try {
            o.done().accept(outcome);
        } catch (RuntimeException e) {
            LOG.error("{}: handling the outcome of {} to '{}' failed (a bug in vipgate)", name(), o.method(), o.to(),
                    e);
        }
    }

    /**
     * For statistics (any thread): calls answered, of which failed, calls made to agents (pushes), of which not
     * answered with a result.
     */
    public Map<String, Long> counters() {
        return Map.of("calls", calls.get(), "calls_failed", failed.get(), "pushes", callsOut.get(),
                "pushes_not_taken", callsOutFailed.get());
    }
}
