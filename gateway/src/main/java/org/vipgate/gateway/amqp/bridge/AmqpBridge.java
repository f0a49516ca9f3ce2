package org.vipgate.gateway.amqp.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.amqp.VolttronTopology;
import org.vipgate.gateway.amqp.mapping.AmqpMessage;
import org.vipgate.gateway.amqp.mapping.AmqpToVip;
import org.vipgate.gateway.amqp.mapping.MappingException;
import org.vipgate.gateway.amqp.mapping.VipToAmqp;
import org.vipgate.gateway.vip.SendResult;
import org.vipgate.gateway.vip.ThrottledLog;
import org.vipgate.gateway.vip.VipCodec;
import org.vipgate.gateway.vip.VipErrors;
import org.vipgate.gateway.vip.VipMessage;
import org.vipgate.gateway.vip.VipOutbox;
import org.vipgate.gateway.zmq.Bridge;
import org.vipgate.gateway.zmq.external.ExternalLinks;
import org.vipgate.gateway.zmq.external.ExternalPlatform;
import org.vipgate.gateway.zmq.external.ExternalRpc;
import org.vipgate.gateway.zmq.external.LinkSend;
import org.vipgate.gateway.zmq.pubsub.PubSubService;

/**
 * vipgate in the role of VOLTTRON's {@code zmq.proxy.router} (vip-rabbitmq.md §1.9, vip-zmq.md §4.5): messages from
 * ZMQ peers to anyone else are published to {@code volttron}; messages published for ZMQ peers
 * ({@code <instance>.<peer>}) are consumed from one exclusive queue and handed to the router thread.
 *
 * <p>Nothing is lost silently: publishing goes through a {@link ConfirmingPublisher}; deliveries are consumed with a
 * bounded prefetch and acked only after the router sent them on the ZMQ socket (requeued when the peer's queue is
 * full; a peer that is gone gets the sender a VIP error 113 instead).
 */
public final class AmqpBridge implements Bridge, AutoCloseable {

    /** Deliveries for ZMQ peers in flight between RabbitMQ and the router socket. */
    public static final int DEFAULT_PREFETCH = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(AmqpBridge.class);
    /** Warnings caused by what agents and peers send, bounded per kind. */
    private static final ThrottledLog BAD_INPUT = new ThrottledLog(LOG);
    private static final ObjectMapper JSON =
            new ObjectMapper();

    /** A delivery waiting for the router thread, acked once the router thread is done with it. */
    private sealed interface Inbound permits ForPeer, ForSubscribers, ForPubSub, ForPlatform {
        Channel channel();

        long tag();
    }

    /** A VIP message for a ZMQ peer. */
    private record ForPeer(VipMessage message, Channel channel, long tag) implements Inbound {
    }

    /** A RabbitMQ publish for the ZMQ subscribers; {@code otherPlatform} when another instance published it. */
    private record ForSubscribers(PubSubService.Published published, boolean otherPlatform, Channel channel,
                                  long tag) implements Inbound {
    }

    /** A RabbitMQ agent's pubsub request to the proxy (vip-rabbitmq.md §2.3, all_platforms subscribe). */
    private record ForPubSub(VipMessage request, Channel channel, long tag) implements Inbound {
    }

    /** A RabbitMQ agent's RPC to a peer of a linked ZeroMQ-only platform (vip-rabbitmq.md §3, vip-zmq.md §4.3). */
    private record ForPlatform(VipMessage message, String platform, Channel channel, long tag) implements Inbound {
    }

    /** vip-rabbitmq.md §2.1: pubsub routing keys start with this word. */
    static final String PUBSUB_PREFIX = "__pubsub__.";
    /** Marks vipgate's own publishes, so that a ZMQ publish re-published on RabbitMQ is not delivered twice. */
    static final String ORIGIN_HEADER = "x-vipgate-origin";

    private final Connection connection;
    private final String instance;
    private final String queueName;
    private final String requestQueue;
    private final int prefetch;
    private final VipToAmqp toAmqp;
    private final AmqpToVip toVip = new AmqpToVip();
    private final ConfirmingPublisher publisher;
    private final BlockingQueue<Inbound> inbound;
    private final WakeSignal wake;
    /** Router thread: acks for the deliveries it is done with, one frame per run. */
    private final DeliveryAcks acks = new DeliveryAcks();
    private final ExecutorService admin = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "amqp-bridge-admin");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> peers = ConcurrentHashMap.newKeySet();
    /** Bindings {@code __pubsub__.*.<words>.#} for the ZMQ peers' all_platforms prefixes; admin thread writes. */
    private volatile Set<String> allPlatformsKeys = Set.of();
    private final AtomicLong toBroker = new AtomicLong();
    private final AtomicLong toZmq = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile Channel consumer;
    private final String origin = UUID.randomUUID().toString();
    private final AtomicLong pubsubDropped = new AtomicLong();
    private final AtomicLong externalRpcDropped = new AtomicLong();
    private volatile PubSubService pubsub;
    private volatile ExternalRpc externalRpc;
    /** ZeroMQ-only platforms linked over ZMQ whose {@code <platform>.#} keys this bridge consumes. */
    private final Set<String> zmqPlatforms = ConcurrentHashMap.newKeySet();
    private final AtomicLong toPlatforms = new AtomicLong();
    private volatile RouterRole routerRole;
    private volatile boolean announce;

    /**
     * @param amqpUser the user this connection is authenticated as: the {@code user_id} property of every publish,
     *                 which RabbitMQ checks
     */
    public AmqpBridge(Connection connection, String instance, String amqpUser, int prefetch) throws IOException {
        this.connection = connection;
        this.instance = instance;
        // vip-rabbitmq.md §1.9: the proxy's response queue, named after its user <inst>.zmq.proxy.router
        this.queueName = instance + ".zmq.proxy.router.zmq.outbound.response";
        this.requestQueue = instance + ".zmq.proxy.router.zmq.outbound.request";
        this.prefetch = prefetch;
        this.toAmqp = new VipToAmqp(instance, amqpUser);
        this.publisher = new ConfirmingPublisher(connection, ConfirmingPublisher.DEFAULT_QUEUE_CAPACITY,
                ConfirmingPublisher.DEFAULT_WINDOW);
        this.inbound = new ArrayBlockingQueue<>(prefetch + 1);
        this.wake = new WakeSignal();
        consume();
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable r) {
                    admin.execute(AmqpBridge.this::recoverConsumer);
                }

                @Override
                public void handleRecoveryStarted(Recoverable r) {
                    // nothing: deliveries not yet acked are redelivered by the broker
                }
            });
        }
    }

    /** Declares the exclusive queue, binds it for the router subsystems and every known peer, and consumes. */
    private synchronized void consume() throws IOException {
        Channel ch = connection.createChannel();
        ch.basicQos(prefetch);
        // Exclusive: only vipgate reads it, and RabbitMQ 4.3 refuses transient non-exclusive queues.
        ch.queueDeclare(queueName, false, true, true, Map.of());
        ch.queueBind(queueName, VolttronTopology.EXCHANGE, instance + ".proxy.router.subsystems");
        // vip-rabbitmq.md §1.9: RMQ agents call a peer the router lists with bus zmq through send_via_proxy
        ch.queueBind(queueName, VolttronTopology.EXCHANGE, viaProxyKey());
        // vip-rabbitmq.md §2.1: every publish of this instance; the pubsub service matches prefixes itself, which
        // also serves prefixes that end inside a topic word (an AMQP binding cannot).
        ch.queueBind(queueName, VolttronTopology.EXCHANGE, PUBSUB_PREFIX + instance + ".#");
        for (String peer : peers) {
            ch.queueBind(queueName, VolttronTopology.EXCHANGE, instance + "." + peer);
        }
        for (String key : allPlatformsKeys) {
            ch.queueBind(queueName, VolttronTopology.EXCHANGE, key);
        }
        for (String platform : zmqPlatforms) {
            ch.queueBind(queueName, VolttronTopology.EXCHANGE, platform + ".#");
        }
        ch.basicConsume(queueName, false, "vipgate-proxy-router", (tag, delivery) -> received(ch, delivery),
                tag -> LOG.warn("consumer of {} cancelled by the broker", queueName));
        // vip-rabbitmq.md §1.9: the request queue, all_platforms subscribe and external RPC from RMQ agents
        ch.queueDeclare(requestQueue, false, true, true, Map.of());
        ch.queueBind(requestQueue, VolttronTopology.EXCHANGE, instance + ".proxy.router.pubsub");
        ch.queueBind(requestQueue, VolttronTopology.EXCHANGE, instance + ".proxy.router.external_rpc");
        ch.basicConsume(requestQueue, false, "vipgate-proxy-requests", (tag, delivery) -> receivedRequest(ch,
                delivery), tag -> LOG.warn("consumer of {} cancelled by the broker", requestQueue));
        consumer = ch;
        LOG.info("consuming {} for {} ZMQ peer(s)", queueName, peers.size());
    }

    private void recoverConsumer() {
        try {
            Channel old = consumer;
            if (old != null && old.isOpen()) {
                old.abort();
            }
            consume();
        } catch (IOException | RuntimeException e) {
            LOG.error("after reconnecting, consuming {} failed: {}; messages for ZMQ peers wait in RabbitMQ until"
                    + " the next recovery", queueName, e.toString());
        }
    }

    private void received(Channel ch, Delivery delivery) throws IOException {
        long tag = delivery.getEnvelope().getDeliveryTag();
        if (delivery.getEnvelope().getRoutingKey().startsWith(PUBSUB_PREFIX)) {
            receivedPublish(ch, delivery);
            return;
        }
        if (delivery.getEnvelope().getRoutingKey().equals(viaProxyKey())) {
            receivedViaProxy(ch, delivery);
            return;
        }
        if (!zmqPlatforms.isEmpty()) { // only then does the queue carry <platform>.# keys
            String key = delivery.getEnvelope().getRoutingKey();
            int dot = key.indexOf('.');
            if (dot > 0 && zmqPlatforms.contains(key.substring(0, dot))) {
                receivedForPlatform(ch, delivery, key.substring(0, dot));
                return;
            }
        }
        VipMessage message;
        try {
            message = toVip.map(delivery.getEnvelope().getRoutingKey(), delivery.getProperties(), delivery.getBody());
        } catch (MappingException e) {
            rejected.incrementAndGet();
            BAD_INPUT.warn("not VOLTTRON format",
                    "dropped a RabbitMQ message that is not in VOLTTRON's format: {}", e.getMessage());
            ch.basicReject(tag, false);
            return;
        }
        enqueue(new ForPeer(message, ch, tag));
    }

    /**
     * vip-rabbitmq.md §3: an RMQ agent's {@code rpc.call(peer, ..., external_platform=P)} publishes to
     * {@code P.<peer>}; for a ZeroMQ-only platform P this bridge carries it over the ZMQ link as
     * {@code external_rpc} (vip-zmq.md §4.3). Only RPC can be carried; anything else is counted and dropped.
     */
    private void receivedForPlatform(Channel ch, Delivery delivery, String platform) throws IOException {
        long tag = delivery.getEnvelope().getDeliveryTag();
        VipMessage message;
        try {
            message = toVip.map(delivery.getEnvelope().getRoutingKey(), delivery.getProperties(), delivery.getBody());
        } catch (MappingException e) {
            rejected.incrementAndGet();
            BAD_INPUT.warn("bad platform call",
                    "dropped a RabbitMQ message for platform '{}' that is not in VOLTTRON's format: {}", platform,
                    e.getMessage());
            ch.basicReject(tag, false);
            return;
        }
        if (!"RPC".equals(message.subsystemName())) {
            rejected.incrementAndGet();
            BAD_INPUT.warn("not RPC to platform",
                    "dropped {} from '{}' to '{}' on ZeroMQ platform '{}' (msg-id '{}'): only RPC crosses to another"
                    + " platform (external_rpc, vip-zmq.md §4.3)", message.subsystemName(), message.senderName(),
                    message.recipientName(), platform, message.msgIdText());
            ch.basicAck(tag, false);
            return;
        }
        enqueue(new ForPlatform(message, platform, ch, tag));
    }

    private String viaProxyKey() {
        return instance + ".proxy.router.zmq.outbound.subsystem";
    }

    /**
     * vip-rabbitmq.md §1.9, send_via_proxy: no properties, the body is the JSON array
     * {@code [peer, sender, 'VIP1', user, msg_id, subsystem, *args]}, sent on as it is.
     */
    private void receivedViaProxy(Channel ch, Delivery delivery) throws IOException {
        long tag = delivery.getEnvelope().getDeliveryTag();
        try {
            JsonNode frames = JSON.readTree(delivery.getBody());
            // [peer, sender, ...]: frame 0 names the recipient
            VipMessage message = framesToMessage(frames, 1, 0);
            enqueue(new ForPeer(message, ch, tag));
        } catch (IOException e) {
            rejected.incrementAndGet();
            BAD_INPUT.warn("bad send_via_proxy",
                    "dropped a send_via_proxy message that is not in VOLTTRON's format: {}", e.getMessage());
            ch.basicReject(tag, false);
        }
    }

    /**
     * A JSON array of whole VIP frames {@code [a, b, 'VIP1', user, msg_id, subsystem, args...]} as a message whose
     * sender is element {@code senderAt} and recipient element {@code recipientAt}.
     */
    private static VipMessage framesToMessage(JsonNode frames, int senderAt, int recipientAt) throws IOException {
        if (frames == null || !frames.isArray() || frames.size() < 6 || frames.size() > 1_024
                || !"VIP1".equals(frames.get(2).asText())) {
            throw new IOException("body is not [peer, sender, 'VIP1', user, msg_id, subsystem, args...]");
        }
        List<byte[]> args = new ArrayList<>();
        for (int i = 6; i < frames.size(); i++) {
            args.add(frame(frames.get(i)));
        }
        VipMessage message = new VipMessage(frame(frames.get(senderAt)), frame(frames.get(recipientAt)),
                frame(frames.get(3)), frame(frames.get(4)), frame(frames.get(5)), args);
        if (message.subsystemName().isBlank() || message.sender().length == 0) {
            throw new IOException("empty sender or subsystem");
        }
        return message;
    }

    /**
     * vip-rabbitmq.md §1.9, the proxy's request queue: {@code [id, '', 'VIP1', user, msg_id, subsystem, op, ...]}.
     * {@code pubsub} requests (an RMQ agent's all_platforms subscribe, §2.3) go to the pubsub service;
     * {@code external_rpc} needs links to other ZMQ platforms, which this version does not have: counted and logged.
     */
    private void receivedRequest(Channel ch, Delivery delivery) throws IOException {
        long tag = delivery.getEnvelope().getDeliveryTag();
        VipMessage request;
        try {
            request = framesToMessage(JSON.readTree(delivery.getBody()), 0, 1);
        } catch (IOException e) {
            rejected.incrementAndGet();
            BAD_INPUT.warn("bad proxy request",
                    "dropped a request to the proxy on {} that is not in VOLTTRON's format: {}",
                    delivery.getEnvelope().getRoutingKey(), e.getMessage());
            ch.basicReject(tag, false);
            return;
        }
        if (PubSubService.SUBSYSTEM.equals(request.subsystemName())) {
            enqueue(new ForPubSub(request, ch, tag));
            return;
        }
        externalRpcDropped.incrementAndGet();
        LOG.warn("{} request '{}' from RabbitMQ agent '{}' (msg-id '{}') dropped: VOLTTRON's RabbitMQ agents do not"
                + " send this (vip-rabbitmq.md §3); call rpc.call(peer, method, external_platform=<platform>) instead,"
                + " which vipgate carries to linked ZeroMQ platforms",
                request.subsystemName(), request.arg(0), request.senderName(), request.msgIdText());
        ch.basicAck(tag, false);
    }

    /** A JSON element as a frame: text as latin-1 (vip-zmq.md §1.3), anything else as its JSON text. */
    private static byte[] frame(JsonNode node) {
        if (node.isNull()) {
            return new byte[0];
        }
        String text = node.isTextual() ? node.textValue() : node.toString();
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** vip-rabbitmq.md §2.2: a RabbitMQ agent's publish, for the ZMQ subscribers. */
    private void receivedPublish(Channel ch, Delivery delivery) throws IOException {
        long tag = delivery.getEnvelope().getDeliveryTag();
        AMQP.BasicProperties props = delivery.getProperties();
        Map<String, Object> headers = props.getHeaders();
        if (headers != null && headers.get(ORIGIN_HEADER) != null
                && origin.equals(headers.get(ORIGIN_HEADER).toString())) {
            ch.basicAck(tag, false); // our own re-publish of a ZMQ publish: the ZMQ subscribers have it already
            return;
        }
        try {
            String key = delivery.getEnvelope().getRoutingKey();
            String topic = AmqpToVip.topicOf(key);
            // vip-rabbitmq.md §2.1: the publisher's instance is the second word of the key
            boolean otherPlatform = !key.startsWith(PUBSUB_PREFIX + instance + ".");
            JsonNode body = JSON.readTree(delivery.getBody());
            if (body == null || !body.isObject()) {
                throw new IOException("body is not a JSON object");
            }
            String sender = body.path("sender").asText("");
            Object user = headers == null ? null : headers.get("user");
            String msgId = props.getMessageId() == null ? "" : props.getMessageId();
            enqueue(new ForSubscribers(new PubSubService.Published(sender,
                    VipMessage.frame(user == null ? "" : user.toString()), VipMessage.frame(msgId), topic,
                    body.path("bus").asText(""), body.path("headers"), body.path("message")), otherPlatform, ch, tag));
        } catch (MappingException | IOException e) {
            rejected.incrementAndGet();
            BAD_INPUT.warn("bad publish", "dropped a RabbitMQ publish on {} that is not in VOLTTRON's format: {}",
                    delivery.getEnvelope().getRoutingKey(), e.getMessage());
            ch.basicReject(tag, false);
        }
    }

    private void enqueue(Inbound in) throws IOException {
        if (!inbound.offer(in)) {
            in.channel().basicNack(in.tag(), false, true); // cannot happen with prefetch below the capacity
            return;
        }
        wake.signal();
    }

    /**
     * vip-zmq.md §4.5: RabbitMQ agents reach the ZeroMQ-only platforms of {@code links} through {@code rpc}: this
     * bridge consumes {@code <platform>.#} for each (vip-rabbitmq.md §3), and replies come back through
     * {@link #toOtherBus(VipMessage, String)}. Platforms with an {@code rmq-address} are left to federation and
     * shovels.
     */
    public void externalPlatforms(ExternalRpc rpc, ExternalLinks links) {
        this.externalRpc = rpc;
        links.onLinked(this::platformLinked);
    }

    private void platformLinked(ExternalPlatform p) {
        String name = p.instanceName();
        if (p.rabbitMq() || name.equals(instance) || !zmqPlatforms.add(name)) {
            return;
        }
        admin.execute(() -> bindKey(name + ".#", true, "RabbitMQ agents' RPC to ZeroMQ platform '" + name + "'"));
    }

    /** The pubsub service that RabbitMQ publishes are delivered through, and whose ZMQ publishes go out. */
    public void pubsub(PubSubService service) {
        this.pubsub = service;
        service.onPublish(this::publishFromZmq);
        service.onExternalPublish(this::publishFromPlatform);
        service.onAllPlatformsPrefixes(prefixes -> admin.execute(() -> bindAllPlatforms(prefixes)));
    }

    /**
     * vip-rabbitmq.md §2.4: publishes of other platforms (brought by federation or a shovel) reach the ZMQ peers
     * that subscribed with {@code all_platforms}; one binding per distinct prefix, removed with the last subscriber.
     */
    private void bindAllPlatforms(Set<String> prefixes) {
        Set<String> wanted = new TreeSet<>();
        for (String prefix : prefixes) {
            wanted.add(VipToAmqp.allPlatformsBindingKey(prefix));
        }
        Set<String> before = allPlatformsKeys;
        allPlatformsKeys = Set.copyOf(wanted);
        if (!wanted.equals(before)) {
            LOG.info("publishes of other platforms for all_platforms subscribers: bound {}", wanted);
        }
        for (String key : wanted) {
            if (!before.contains(key)) {
                bindKey(key, true, "all_platforms subscriptions");
            }
        }
        for (String key : before) {
            if (!wanted.contains(key)) {
                bindKey(key, false, "all_platforms subscriptions");
            }
        }
    }

    /** vip-rabbitmq.md §2.1, §2.2: a ZMQ peer's accepted publish, re-published for RabbitMQ subscribers. */
    private void publishFromZmq(PubSubService.Published p) {
        try {
            AmqpMessage m = toAmqp.mapPublish(p.sender(), VipMessage.text(p.msgId()), p.topic(), p.bus(), p.headers(),
                    p.message());
            if (!publisher.offer(marked(m))) {
                pubsubDropped.incrementAndGet();
                BAD_INPUT.warn("publisher full",
                        "publish to '{}' from '{}' not re-published on RabbitMQ: the publisher queue is full"
                        + " (ZMQ subscribers got it)", p.topic(), p.sender());
            }
        } catch (MappingException e) {
            rejected.incrementAndGet();
            BAD_INPUT.warn("unmappable publish",
                    "publish to '{}' from '{}' cannot be put in VOLTTRON's AMQP form: {}", p.topic(), p.sender(),
                    e.getMessage());
        }
    }

    /**
     * vip-zmq.md §4.4, vip-rabbitmq.md §2.4: a publish another ZMQ platform sent here ({@code external_publish}),
     * re-published as {@code __pubsub__.<platform>.<topic>.#} for RabbitMQ's {@code all_platforms} subscribers. Marked
     * as ours, so that the ZMQ subscribers (who have it already) do not get it again.
     */
    private void publishFromPlatform(String platform, PubSubService.Published p) {
        try {
            AmqpMessage m = toAmqp.mapPublish(platform, p.sender(), VipMessage.text(p.msgId()), p.topic(), p.bus(),
                    p.headers(), p.message());
            if (!publisher.offer(marked(m))) {
                pubsubDropped.incrementAndGet();
                BAD_INPUT.warn("publisher full",
                        "publish to '{}' from '{}' on platform '{}' not re-published on RabbitMQ: the publisher queue"
                        + " is full (ZMQ subscribers got it)", p.topic(), p.sender(), platform);
            }
        } catch (MappingException e) {
            rejected.incrementAndGet();
            BAD_INPUT.warn("unmappable publish",
                    "publish to '{}' from '{}' on platform '{}' cannot be put in VOLTTRON's AMQP form: {}", p.topic(),
                    p.sender(), platform, e.getMessage());
        }
    }

    private AmqpMessage marked(AmqpMessage m) {
        Map<String, Object> headers = new HashMap<>(m.properties().getHeaders());
        headers.put(ORIGIN_HEADER, origin);
        return new AmqpMessage(m.routingKey(), m.properties().builder().headers(headers).build(), m.body());
    }

    @Override
    public Outcome toOtherBus(VipMessage message) {
        return toOtherBus(message, instance);
    }

    @Override
    public Outcome toOtherBus(VipMessage message, String senderPlatform) {
        AmqpMessage amqp;
        try {
            amqp = toAmqp.map(message, senderPlatform);
        } catch (MappingException e) {
            rejected.incrementAndGet();
            BAD_INPUT.warn("unmappable message",
                    "cannot carry {} from '{}' to '{}' over RabbitMQ: {}", message.subsystemName(),
                    message.senderName(), message.recipientName(), e.getMessage());
            return Outcome.REJECTED;
        }
        if (!publisher.offer(amqp)) {
            return Outcome.FULL;
        }
        toBroker.incrementAndGet();
        return Outcome.ACCEPTED;
    }

    @Override
    public SelectableChannel wakeup() {
        return wake.channel();
    }

    @Override
    public void deliver(VipOutbox out, int max) {
        wake.clear();
        try {
            for (int i = 0; i < max; i++) {
                Inbound in = inbound.poll();
                if (in == null) {
                    return;
                }
                deliverOne(in, out);
            }
        } finally {
            acks.flush(); // only after the ZMQ sends of the batch
        }
        if (!inbound.isEmpty()) {
            wake.signal(); // the rest on the next turn of the router's loop, without waiting for its poll time-out
        }
    }

    /** Router thread: one message from RabbitMQ to where it goes. */
    private void deliverOne(Inbound in, VipOutbox out) {
        PubSubService service = pubsub;
        if (in instanceof ForSubscribers s) {
            if (service != null && s.otherPlatform()) {
                service.publishFromOtherPlatform(s.published(), out);
            } else if (service != null) {
                service.publishFromOtherBus(s.published(), out);
            }
            ack(in);
            return;
        }
        if (in instanceof ForPlatform f) {
            toPlatform(f);
            ack(in);
            return;
        }
        if (in instanceof ForPubSub r) {
            if (service != null) {
                service.handleFromOtherBus(r.request());
            }
            ack(in);
            return;
        }
        ForPeer p = (ForPeer) in;
        SendResult result = out.send(VipCodec.relay(p.message()));
        switch (result) {
            case SENT -> {
                toZmq.incrementAndGet();
                ack(in);
            }
            case AGAIN -> requeue(p);
            case UNREACHABLE -> {
                ack(in);
                unreachable(p.message());
            }
            default -> throw new IllegalStateException(result.toString());
        }
    }

    /** Acked with the next flush of {@link #acks}, after the batch's ZMQ sends. */
    private void ack(Inbound in) {
        acks.done(in.channel(), in.tag());
    }

    /** The peer's queue is full: back to RabbitMQ, delivered again later. */
    private void requeue(ForPeer p) {
        try {
            p.channel().basicNack(p.tag(), false, true);
        } catch (IOException | RuntimeException e) {
            // The channel is gone; the broker redelivers what was not acked.
            LOG.warn("requeueing a delivery for '{}' failed: {}; the broker redelivers it",
                    p.message().recipientName(), e.toString());
        }
    }

    /** vip-rabbitmq.md §4.4: the sender learns that the ZMQ peer is gone, with the original msg-id. */
    /** Router thread: an RMQ agent's RPC onto the link to a ZeroMQ platform; 113 or 11 back when it cannot go. */
    private void toPlatform(ForPlatform f) {
        ExternalRpc rpc = externalRpc;
        LinkSend sent = rpc == null ? new LinkSend.UnknownPlatform(f.platform())
                : rpc.fromOtherBus(f.platform(), f.message());
        VipMessage m = f.message();
        if (sent instanceof LinkSend.Sent) {
            toPlatforms.incrementAndGet();
            return;
        }
        LOG.warn("RPC from RabbitMQ agent '{}' to '{}' on ZeroMQ platform '{}' (msg-id '{}') not sent: {}",
                m.senderName(), m.recipientName(), f.platform(), m.msgIdText(), sent);
        if (sent instanceof LinkSend.Full) {
            answerError(m, VipErrors.AGAIN, VipErrors.AGAIN_TEXT);
        } else {
            answerError(m, VipErrors.UNREACHABLE, VipErrors.UNREACHABLE_TEXT);
        }
    }

    private void unreachable(VipMessage m) {
        answerError(m, VipErrors.UNREACHABLE, VipErrors.UNREACHABLE_TEXT);
    }

    /** vip-rabbitmq.md §1.8: error [errnum, errmsg, recipient, subsystem] to the sender, with its msg-id. */
    private void answerError(VipMessage m, int errno, String text) {
        if ("error".equals(m.subsystemName())) {
            return; // never answer an error with an error
        }
        VipMessage error = new VipMessage(VipMessage.frame("router"), m.sender(), new byte[0], m.msgId(),
                VipMessage.frame("error"), List.of(VipMessage.frame(Integer.toString(errno)),
                VipMessage.frame(text), m.recipient(), m.subsystem()));
        if (toOtherBus(error) != Outcome.ACCEPTED) {
            LOG.warn("could not tell '{}' that '{}' is unreachable or busy (error {}, msg-id {})", m.senderName(),
                    m.recipientName(), errno, m.msgIdText());
        }
    }

    /** The {@code <instance>.router} role, told about ZMQ peers as they come and go (vip-rabbitmq.md §4.3). */
    public void routerRole(RouterRole role) {
        this.routerRole = role;
        peers.forEach(role::zmqPeerAdded);
    }

    /**
     * Another router (VOLTTRON's) serves {@code <instance>.router}: announce ZMQ peers to it as VOLTTRON's proxy does,
     * {@code peerlist add|drop <peer> zmq} (vip-rabbitmq.md §1.9).
     */
    public void announceToExternalRouter() {
        this.announce = true;
        peers.forEach(p -> announce("add", p));
    }

    private void announce(String op, String peer) {
        VipMessage m = new VipMessage(VipMessage.frame("zmq.proxy.router"), VipMessage.frame("router"), new byte[0],
                new byte[0], VipMessage.frame("peerlist"),
                List.of(VipMessage.frame(op), VipMessage.frame(peer), VipMessage.frame("zmq")));
        if (toOtherBus(m) != Outcome.ACCEPTED) {
            LOG.warn("could not announce ZMQ peer '{}' ({}) to {}.router", peer, op, instance);
        }
    }

    @Override
    public void peerAdded(String identity) {
        peers.add(identity);
        admin.execute(() -> {
            bind(identity, true);
            RouterRole role = routerRole;
            if (role != null) {
                role.zmqPeerAdded(identity);
            }
            if (announce) {
                announce("add", identity);
            }
        });
    }

    @Override
    public void peerDropped(String identity) {
        peers.remove(identity);
        admin.execute(() -> {
            bind(identity, false);
            RouterRole role = routerRole;
            if (role != null) {
                role.zmqPeerDropped(identity);
            }
            if (announce) {
                announce("drop", identity);
            }
        });
    }

    private void bind(String identity, boolean bind) {
        bindKey(instance + "." + identity, bind, "ZMQ peer '" + identity + "'");
    }

    private void bindKey(String key, boolean bind, String forWhat) {
        Channel ch = consumer;
        if (ch == null || !ch.isOpen()) {
            return; // the next consume() binds every known peer and all_platforms key
        }
        try {
            if (bind) {
                ch.queueBind(queueName, VolttronTopology.EXCHANGE, key);
            } else {
                ch.queueUnbind(queueName, VolttronTopology.EXCHANGE, key);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} {} for {} failed: {}", bind ? "binding" : "unbinding", key, forWhat, e.toString());
        }
    }

    /** Counters for statistics. */
    public Map<String, Long> counters() {
        return Map.of("to_rabbitmq", toBroker.get(), "to_zmq", toZmq.get(), "rejected", rejected.get(),
                "confirmed", publisher.confirmed(), "republished", publisher.republished(),
                "pending", (long) publisher.pending(), "pubsub_not_republished", pubsubDropped.get(),
                "external_rpc_dropped", externalRpcDropped.get(), "rpc_to_zmq_platforms", toPlatforms.get());
    }

    @Override
    public void close() {
        publisher.close();
        admin.shutdownNow();
        Channel ch = consumer;
        if (ch != null && ch.isOpen()) {
            try {
                ch.abort();
            } catch (IOException e) {
                LOG.debug("closing the consumer channel: {}", e.toString());
            }
        }
        wake.close();
    }
}
