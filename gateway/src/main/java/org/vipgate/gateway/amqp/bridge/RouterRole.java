package org.vipgate.gateway.amqp.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.amqp.VolttronTopology;
import org.vipgate.gateway.amqp.mapping.AmqpMessage;
import org.vipgate.gateway.amqp.mapping.AmqpToVip;
import org.vipgate.gateway.amqp.mapping.MappingException;
import org.vipgate.gateway.amqp.mapping.MappingException.Reason;
import org.vipgate.gateway.vip.PythonJsonWriter;
import org.vipgate.gateway.vip.VipErrors;
import org.vipgate.gateway.vip.VipMessage;
import org.vipgate.gateway.zmq.PlatformInfo;

/**
 * vipgate in the role of VOLTTRON's RabbitMQ router {@code <instance>.router} (vip-rabbitmq.md §4): answers the
 * built-in subsystems of RabbitMQ agents, tracks peers (RabbitMQ agents from their messages, ZMQ peers from the
 * bridge) and tells senders of unroutable messages that the recipient is unreachable.
 *
 * <p>{@link #start()} takes the role, or leaves it to a real VOLTTRON router that already holds the queue. Replies go
 * through a {@link ConfirmingPublisher} of its own; deliveries are acked after the reply was handed to it (a reply
 * that does not fit in its queue is logged and counted, not retried). The permission check on {@code hello}
 * (§4.5) is done by whoever {@link #onHello} names (the gateway wires the management API to it).
 */
public final class RouterRole implements AutoCloseable {

    /** Deliveries in flight per consumer. */
    public static final int DEFAULT_PREFETCH = 100;
    /** At most this many peers are tracked; senders beyond it are answered but not tracked. */
    public static final int MAX_PEERS = 10_000;
    /** §4.2: the RMQ router's identity in {@code welcome} and in {@code app_id}. */
    static final String IDENTITY = "router";

    private static final Logger LOG = LoggerFactory.getLogger(RouterRole.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RMQ = "rmq";
    private static final String ZMQ = "zmq";

    private final Connection connection;
    private final String instance;
    private final String amqpUser;
    private final PlatformInfo platform;
    private final Supplier<List<String>> vipAddresses;
    private final int prefetch;
    private final String routerQueue;
    private final String unroutableQueue;
    private final AmqpToVip toVip = new AmqpToVip();
    private final ConfirmingPublisher publisher;
    private final ExecutorService recovery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "amqp-router-recovery");
        t.setDaemon(true);
        return t;
    });
    /** Peer identity to bus ({@code rmq} or {@code zmq}), in joining order; guarded by itself. */
    private final Map<String, String> peers = new LinkedHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong notSent = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong unreachable = new AtomicLong();
    private final AtomicLong pubsubDropped = new AtomicLong();
    private final AtomicLong errorsDropped = new AtomicLong();
    private volatile Channel channel;
    private volatile boolean active;
    private volatile Consumer<String> helloListener = identity -> { };
    private volatile boolean closed;
    private boolean listening;

    public RouterRole(Connection connection, String instance, String amqpUser, PlatformInfo platform,
                      Supplier<List<String>> vipAddresses) {
        this(connection, instance, amqpUser, platform, vipAddresses, DEFAULT_PREFETCH);
    }

    /**
     * @param amqpUser     the user the connection is authenticated as; written to {@code user_id} (RabbitMQ checks it)
     * @param vipAddresses the VIP addresses vipgate listens on, for {@code query addresses}
     */
    public RouterRole(Connection connection, String instance, String amqpUser, PlatformInfo platform,
                      Supplier<List<String>> vipAddresses, int prefetch) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.amqpUser = Objects.requireNonNull(amqpUser, "amqpUser");
        this.platform = Objects.requireNonNull(platform, "platform");
        this.vipAddresses = Objects.requireNonNull(vipAddresses, "vipAddresses");
        this.prefetch = prefetch;
        this.routerQueue = instance + "." + IDENTITY;
        this.unroutableQueue = routerQueue + ".unroutable";
        this.publisher = new ConfirmingPublisher(connection, ConfirmingPublisher.DEFAULT_QUEUE_CAPACITY,
                ConfirmingPublisher.DEFAULT_WINDOW);
    }

    /**
     * Declares, binds and consumes {@code <inst>.router} and {@code <inst>.router.unroutable} (§1.2, §4.1), and again
     * after each connection recovery.
     *
     * @return true when vipgate now plays the router; false when another connection (a VOLTTRON router) holds the
     *         queues (RESOURCE_LOCKED): then nothing is consumed and an INFO line says so
     * @throws IOException when declaring or consuming fails for another reason
     */
    public synchronized boolean start() throws IOException {
        if (closed) {
            throw new IllegalStateException("router role is closed");
        }
        if (!listening && connection instanceof Recoverable recoverable) {
            listening = true;
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable r) {
                    recovery.execute(RouterRole.this::recover);
                }

                @Override
                public void handleRecoveryStarted(Recoverable r) {
                    // nothing: unacked deliveries died with the exclusive queues; senders retry or time out
                }
            });
        }
        active = consume();
        return active;
    }

    private synchronized boolean consume() throws IOException {
        Channel ch = connection.createChannel();
        try {
            ch.basicQos(prefetch);
            // §1.2: durable=False, exclusive=True, auto_delete=True, like VOLTTRON's router
            ch.queueDeclare(routerQueue, false, true, true, null);
        } catch (IOException e) {
            abort(ch);
            if (locked(e)) {
                LOG.info("another {} serves this instance; vipgate does not take the router role", routerQueue);
                return false;
            }
            throw e;
        }
        try {
            ch.queueDeclare(unroutableQueue, false, true, true, null);
            ch.queueBind(routerQueue, VolttronTopology.EXCHANGE, routerQueue);
            // §1.2: bound with key <inst>, which the fanout ignores
            ch.queueBind(unroutableQueue, VolttronTopology.UNDELIVERABLE, instance);
            ch.basicConsume(routerQueue, false, "vipgate-router", (tag, d) -> onRouterMessage(ch, d),
                    tag -> cancelled(routerQueue));
            ch.basicConsume(unroutableQueue, false, "vipgate-router-unroutable", (tag, d) -> onUnroutable(ch, d),
                    tag -> cancelled(unroutableQueue));
        } catch (IOException e) {
            abort(ch);
            dropRouterQueue(); // exclusive queues outlive the channel: do not leave <inst>.router unconsumed
            if (locked(e)) {
                LOG.info("another connection holds {}; vipgate does not take the router role", unroutableQueue);
                return false;
            }
            throw e;
        }
        channel = ch;
        LOG.info("vipgate serves {} for RabbitMQ agents", routerQueue);
        return true;
    }

    private void cancelled(String queue) {
        if (!closed) { // close() deletes the queues, which cancels the consumers
            LOG.warn("consumer of {} cancelled by the broker; RabbitMQ agents get no router answers", queue);
        }
    }

    private void recover() {
        if (closed || !active) {
            return;
        }
        try {
            Channel old = channel;
            abort(old);
            active = consume();
        } catch (IOException | ShutdownSignalException e) {
            active = false;
            LOG.error("after reconnecting, taking {} again failed: {}; RabbitMQ agents get no router until the next"
                    + " recovery", routerQueue, e.toString());
        }
    }

    // ---- §4.2: messages to <inst>.router ----

    private void onRouterMessage(Channel ch, Delivery d) {
        long tag = d.getEnvelope().getDeliveryTag();
        try {
            handle(d);
            settle(ch, tag, true);
        } catch (MappingException e) {
            malformed.incrementAndGet();
            LOG.warn("rejected a malformed message to {} (routing key '{}', msg-id '{}'): {}", routerQueue,
                    e.routingKey(), e.msgId(), e.getMessage());
            settle(ch, tag, false);
        } catch (RuntimeException e) {
            LOG.error("handling a message to {} (msg-id '{}') failed; rejected", routerQueue,
                    d.getProperties().getMessageId(), e);
            settle(ch, tag, false);
        }
    }

    private void handle(Delivery d) throws MappingException {
        VipMessage m = toVip.map(d.getEnvelope().getRoutingKey(), d.getProperties(), d.getBody());
        received.incrementAndGet();
        String appId = d.getProperties().getAppId(); // map() checked: <platform>.<sender>
        String from = appId.substring(0, appId.indexOf('.'));
        String sender = m.senderName();
        String subsystem = m.subsystemName();
        String msgId = m.msgIdText();
        List<String> args = new ArrayList<>(m.args().size());
        for (int i = 0; i < m.args().size(); i++) {
            args.add(m.arg(i));
        }
        addPeer(sender, RMQ); // §4.3: any message to the router adds its sender
        String type = subsystem;
        List<Object> reply;
        switch (subsystem) {
            // §4.2, vip-zmq.md §2: the RMQ router's identity is 'router'
            case "hello" -> {
                reply = List.of("welcome", "1.0", IDENTITY, sender);
                if (from.equals(instance)) {
                    helloListener.accept(sender); // §4.5: the check of the agent's permissions
                }
            }
            case "ping" -> { // §4.2: args[0] replaced with 'pong'
                reply = new ArrayList<>(args.isEmpty() ? List.of("") : args);
                reply.set(0, "pong");
            }
            case "peerlist" -> reply = peerlist(args);
            // §4.2: ['', value, ''] (the RMQ router adds the trailing '')
            case "query" -> reply = Arrays.asList("", args.isEmpty() ? null
                    : platform.query(args.get(0), vipAddresses.get()), "");
            case "agentstop" -> { // §4.2: drop, no reply
                if (!args.isEmpty()) {
                    dropPeer(args.get(0));
                }
                reply = null;
            }
            case "quit" -> {
                // §4.2: only control may stop VOLTTRON's router; vipgate never stops on it, control or not
                LOG.info("ignored quit from '{}' (msg-id '{}'): the router role does not stop the gateway", sender,
                        msgId);
                reply = null;
            }
            case "error" -> { // §4.2: no reply (vip-zmq.md §1.7: never answer an error)
                LOG.debug("error from '{}' to the router ignored: {} (msg-id '{}')", sender, args, msgId);
                reply = null;
            }
            default -> { // §1.8 layout with type 'error' (VOLTTRON keeps the original type: quirk not reproduced)
                type = "error";
                reply = List.of(VipErrors.UNKNOWN_SUBSYSTEM, VipErrors.UNKNOWN_SUBSYSTEM_TEXT, "", subsystem);
            }
        }
        if (reply != null) {
            // §1.7: back to <platform>.<peer> of the sender; §1.6: headers.user echoes the request's
            publish(message(from + "." + sender, VipMessage.text(m.userId()), msgId, type, reply), sender, msgId);
        }
    }

    /** §4.2 peerlist: list, list_with_messagebus, add, drop; add/drop are echoed back. */
    private List<Object> peerlist(List<String> args) {
        String op = args.isEmpty() ? null : args.get(0);
        List<Object> reply = new ArrayList<>();
        if ("list".equals(op)) {
            reply.add("listing");
            synchronized (peers) {
                reply.addAll(peers.keySet());
            }
        } else if ("list_with_messagebus".equals(op)) {
            reply.add("listing_with_messagebus");
            synchronized (peers) { // §4.2: json.dumps({peer: bus}) as one string
                reply.add(PythonJsonWriter.dumps(JSON.valueToTree(peers), true));
            }
        } else if ("add".equals(op) || "drop".equals(op)) {
            reply.addAll(args);
            if (args.size() < 2) { // VOLTTRON fails with IndexError here; vipgate answers like an unknown op
                reply.add("error");
                reply.add("missing peer");
            } else if ("add".equals(op)) {
                addPeer(args.get(1), args.size() > 2 ? args.get(2) : RMQ); // §4.2: bus defaults to rmq
            } else {
                dropPeer(args.get(1));
            }
        } else { // vip-zmq.md §2: the args extended with ['error', ...]
            reply.addAll(args);
            reply.add("error");
            reply.add(op == null ? "missing operation" : "unknown operation");
        }
        return reply;
    }

    // ---- §4.3: peers ----

    /** Told the identity of every local RabbitMQ agent that says hello (vip-rabbitmq.md §4.5). */
    public void onHello(Consumer<String> listener) {
        this.helloListener = Objects.requireNonNull(listener, "listener");
    }

    /** A ZMQ peer said hello to vipgate: tracked with bus {@code zmq}, announced to the RabbitMQ peers (§4.3). */
    public void zmqPeerAdded(String identity) {
        addPeer(identity, ZMQ);
    }

    /** A ZMQ peer left: dropped and announced to the RabbitMQ peers (§4.3). */
    public void zmqPeerDropped(String identity) {
        dropPeer(identity);
    }

    private void addPeer(String peer, String bus) {
        synchronized (peers) { // broadcasts under the lock keep add/drop in order; offer() never blocks
            if (IDENTITY.equals(peer) || peers.containsKey(peer)) {
                return;
            }
            if (peers.size() >= MAX_PEERS) {
                LOG.warn("not tracking peer '{}' (bus {}): {} peers already", peer, bus, MAX_PEERS);
                return;
            }
            broadcast("add", peer, bus); // §4.3: to the peers already known, then add
            peers.put(peer, bus);
        }
        LOG.info("peer '{}' joined (bus {})", peer, bus);
    }

    private void dropPeer(String peer) {
        synchronized (peers) {
            String bus = peers.remove(peer);
            if (bus == null) {
                return;
            }
            broadcast("drop", peer, bus);
        }
        LOG.info("peer '{}' left", peer);
    }

    /** §4.3: peerlist [op, peer, bus], msg-id '', user <inst>.router, to every rmq peer at <inst>.<peer>. */
    private void broadcast(String op, String peer, String bus) {
        for (Map.Entry<String, String> target : peers.entrySet()) {
            if (!RMQ.equals(target.getValue())) {
                continue;
            }
            try {
                publish(message(instance + "." + target.getKey(), routerQueue, "", "peerlist",
                        List.of(op, peer, bus)), target.getKey(), "");
            } catch (MappingException e) {
                notSent.incrementAndGet();
                LOG.warn("cannot tell '{}' that '{}' {}: {}", target.getKey(), peer, op, e.getMessage());
            }
        }
    }

    // ---- §4.4: unroutable messages ----

    private void onUnroutable(Channel ch, Delivery d) {
        long tag = d.getEnvelope().getDeliveryTag();
        try {
            unroutable(d);
            settle(ch, tag, true);
        } catch (MappingException e) {
            malformed.incrementAndGet();
            LOG.warn("rejected an unroutable message nobody can be told about (routing key '{}', msg-id '{}'): {}",
                    e.routingKey(), e.msgId(), e.getMessage());
            settle(ch, tag, false);
        } catch (RuntimeException e) {
            LOG.error("handling an unroutable message (msg-id '{}') failed; rejected",
                    d.getProperties().getMessageId(), e);
            settle(ch, tag, false);
        }
    }

    private void unroutable(Delivery d) throws MappingException {
        String key = d.getEnvelope().getRoutingKey();
        AMQP.BasicProperties p = d.getProperties();
        String msgId = p.getMessageId() == null ? "" : p.getMessageId();
        String type = p.getType() == null ? "" : p.getType();
        if ("pubsub".equals(type) || key.startsWith("__pubsub__")) {
            pubsubDropped.incrementAndGet(); // §4.4: a publish nobody subscribed to
            LOG.debug("dropped unroutable pubsub '{}' (msg-id '{}')", key, msgId);
            return;
        }
        String appId = p.getAppId();
        if ("error".equals(type) || routerQueue.equals(appId)) {
            errorsDropped.incrementAndGet(); // never answer an error with an error, nor tell ourselves
            LOG.debug("dropped unroutable {} from '{}' to '{}' (msg-id '{}')", type, appId, key, msgId);
            return;
        }
        int dot = appId == null ? -1 : appId.indexOf('.');
        if (dot <= 0 || dot == appId.length() - 1) {
            throw new MappingException(Reason.BAD_APP_ID, "app_id '" + appId + "' is not <platform>.<sender>", key,
                    msgId);
        }
        Map<String, Object> headers = p.getHeaders() == null ? Map.of() : p.getHeaders();
        Object recipient = headers.get("recipient");
        String to = recipient instanceof String || recipient instanceof LongString ? recipient.toString() : "";
        // §4.4: original properties with app_id <inst>.router, type error, user_id ours; back to the app_id key
        AMQP.BasicProperties props = p.builder().appId(routerQueue).type("error").userId(amqpUser).build();
        byte[] body = body(List.of(VipErrors.UNREACHABLE, VipErrors.UNREACHABLE_TEXT, to, type));
        unreachable.incrementAndGet();
        publish(new AmqpMessage(appId, props, body), appId, msgId);
        LOG.debug("told '{}' that '{}' is unreachable ({} msg-id '{}')", appId, to, type, msgId);
    }

    // ---- publishing ----

    /** §1.4 properties of a router message, sent as {@code <inst>.router}. */
    private AmqpMessage message(String routingKey, String user, String msgId, String type, List<Object> args)
            throws MappingException {
        for (String field : List.of(routingKey, msgId, type)) {
            if (field.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new MappingException(Reason.FIELD_TOO_LONG, "a short string is over 255 bytes", routingKey,
                        msgId);
            }
        }
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("recipient", routingKey);
        headers.put("proto", "VIP");
        headers.put("user", user);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .appId(routerQueue)
                .headers(headers)
                .messageId(msgId)
                .type(type)
                .contentType("application/json")
                .userId(amqpUser) // §1.6: must equal the authenticated user
                .build();
        return new AmqpMessage(routingKey, props, body(args));
    }

    private static byte[] body(List<Object> args) {
        JsonNode node = JSON.valueToTree(args);
        return PythonJsonWriter.dumps(node, false).getBytes(StandardCharsets.UTF_8); // §1.5
    }

    private void publish(AmqpMessage message, String peer, String msgId) {
        if (publisher.offer(message)) {
            sent.incrementAndGet();
        } else {
            notSent.incrementAndGet();
            LOG.warn("publisher full or closed: dropped {} to '{}' (msg-id '{}')", message.properties().getType(),
                    peer, msgId);
        }
    }

    private void settle(Channel ch, long tag, boolean ack) {
        try {
            if (ack) {
                ch.basicAck(tag, false);
            } else {
                ch.basicReject(tag, false);
            }
        } catch (IOException | ShutdownSignalException e) {
            LOG.warn("{} delivery {} failed: {}", ack ? "acking" : "rejecting", tag, e.toString());
        }
    }

    // ---- helpers ----

    private static boolean locked(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close close
                    && close.getReplyCode() == AMQP.RESOURCE_LOCKED) {
                return true;
            }
        }
        return false;
    }

    private void dropRouterQueue() {
        try {
            Channel ch = connection.createChannel();
            ch.queueDelete(routerQueue);
            abort(ch);
        } catch (IOException | ShutdownSignalException e) {
            LOG.warn("deleting {} failed: {}", routerQueue, e.toString());
        }
    }

    private static void abort(Channel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.abort();
        } catch (IOException e) {
            LOG.debug("aborting a router channel: {}", e.toString());
        }
    }

    /** Counters for statistics. */
    public Map<String, Long> counters() {
        long peerCount;
        synchronized (peers) {
            peerCount = peers.size();
        }
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("router_received", received.get());
        c.put("router_sent", sent.get());
        c.put("router_not_sent", notSent.get());
        c.put("router_malformed", malformed.get());
        c.put("unroutable_answered", unreachable.get());
        c.put("unroutable_pubsub_dropped", pubsubDropped.get());
        c.put("unroutable_errors_dropped", errorsDropped.get());
        c.put("peers", peerCount);
        c.put("router_confirmed", publisher.confirmed());
        c.put("router_pending", (long) publisher.pending());
        return c;
    }

    /** Deletes the queues (so agents' messages to the router become unroutable again), then flushes replies. */
    @Override
    public synchronized void close() {
        closed = true;
        recovery.shutdownNow();
        Channel ch = channel;
        channel = null;
        if (ch != null && ch.isOpen()) {
            try {
                ch.queueDelete(routerQueue);
                ch.queueDelete(unroutableQueue);
            } catch (IOException | ShutdownSignalException e) {
                LOG.warn("deleting {} on close failed: {}", routerQueue, e.toString());
            }
            abort(ch);
        }
        publisher.close();
    }
}
