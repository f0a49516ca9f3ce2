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
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.vipgate.gateway.vip.VipCodec;
import org.vipgate.gateway.vip.VipErrors;
import org.vipgate.gateway.vip.VipMessage;
import org.vipgate.gateway.vip.VipOutbox;
import org.vipgate.gateway.zmq.Bridge;
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
    private static final ObjectMapper JSON =
            new ObjectMapper();

    /** A delivery waiting for the router thread: a VIP message for a peer, or a publish for subscribers. */
    private record Inbound(VipMessage message, PubSubService.Published published, Channel channel, long tag) {
    }

    /** vip-rabbitmq.md §2.1: pubsub routing keys start with this word. */
    static final String PUBSUB_PREFIX = "__pubsub__.";
    /** Marks vipgate's own publishes, so that a ZMQ publish re-published on RabbitMQ is not delivered twice. */
    static final String ORIGIN_HEADER = "x-vipgate-origin";

    private final Connection connection;
    private final String instance;
    private final String queueName;
    private final int prefetch;
    private final VipToAmqp toAmqp;
    private final AmqpToVip toVip = new AmqpToVip();
    private final ConfirmingPublisher publisher;
    private final BlockingQueue<Inbound> inbound;
    private final Pipe pipe;
    private final ExecutorService admin = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "amqp-bridge-admin");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> peers = ConcurrentHashMap.newKeySet();
    private final AtomicLong toBroker = new AtomicLong();
    private final AtomicLong toZmq = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile Channel consumer;
    private final String origin = UUID.randomUUID().toString();
    private final AtomicLong pubsubDropped = new AtomicLong();
    private volatile PubSubService pubsub;
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
        this.prefetch = prefetch;
        this.toAmqp = new VipToAmqp(instance, amqpUser);
        this.publisher = new ConfirmingPublisher(connection, ConfirmingPublisher.DEFAULT_QUEUE_CAPACITY,
                ConfirmingPublisher.DEFAULT_WINDOW);
        this.inbound = new ArrayBlockingQueue<>(prefetch + 1);
        this.pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
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
        ch.basicConsume(queueName, false, "vipgate-proxy-router", (tag, delivery) -> received(ch, delivery),
                tag -> LOG.warn("consumer of {} cancelled by the broker", queueName));
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
        VipMessage message;
        try {
            message = toVip.map(delivery.getEnvelope().getRoutingKey(), delivery.getProperties(), delivery.getBody());
        } catch (MappingException e) {
            rejected.incrementAndGet();
            LOG.warn("dropped a RabbitMQ message that is not in VOLTTRON's format: {}", e.getMessage());
            ch.basicReject(tag, false);
            return;
        }
        enqueue(new Inbound(message, null, ch, tag));
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
            if (frames == null || !frames.isArray() || frames.size() < 6 || frames.size() > 1_024
                    || !"VIP1".equals(frames.get(2).asText())) {
                throw new IOException("body is not [peer, sender, 'VIP1', user, msg_id, subsystem, args...]");
            }
            List<byte[]> args = new ArrayList<>();
            for (int i = 6; i < frames.size(); i++) {
                args.add(frame(frames.get(i)));
            }
            VipMessage message = new VipMessage(frame(frames.get(1)), frame(frames.get(0)), frame(frames.get(3)),
                    frame(frames.get(4)), frame(frames.get(5)), args);
            if (message.subsystemName().isBlank() || message.sender().length == 0) {
                throw new IOException("empty sender or subsystem");
            }
            enqueue(new Inbound(message, null, ch, tag));
        } catch (IOException e) {
            rejected.incrementAndGet();
            LOG.warn("dropped a send_via_proxy message that is not in VOLTTRON's format: {}", e.getMessage());
            ch.basicReject(tag, false);
        }
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
            String topic = AmqpToVip.topicOf(delivery.getEnvelope().getRoutingKey());
            JsonNode body = JSON.readTree(delivery.getBody());
            if (body == null || !body.isObject()) {
                throw new IOException("body is not a JSON object");
            }
            String sender = body.path("sender").asText("");
            Object user = headers == null ? null : headers.get("user");
            String msgId = props.getMessageId() == null ? "" : props.getMessageId();
            enqueue(new Inbound(null, new PubSubService.Published(sender,
                    VipMessage.frame(user == null ? "" : user.toString()), VipMessage.frame(msgId), topic,
                    body.path("bus").asText(""), body.path("headers"), body.path("message")), ch, tag));
        } catch (MappingException | IOException e) {
            rejected.incrementAndGet();
            LOG.warn("dropped a RabbitMQ publish on {} that is not in VOLTTRON's format: {}",
                    delivery.getEnvelope().getRoutingKey(), e.getMessage());
            ch.basicReject(tag, false);
        }
    }

    private void enqueue(Inbound in) throws IOException {
        if (!inbound.offer(in)) {
            in.channel().basicNack(in.tag(), false, true); // cannot happen with prefetch below the capacity
            return;
        }
        try {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        } catch (IOException e) {
            LOG.debug("waking the router: {}", e.toString());
        }
    }

    /** The pubsub service that RabbitMQ publishes are delivered through, and whose ZMQ publishes go out. */
    public void pubsub(PubSubService service) {
        this.pubsub = service;
        service.onPublish(this::publishFromZmq);
    }

    /** vip-rabbitmq.md §2.1, §2.2: a ZMQ peer's accepted publish, re-published for RabbitMQ subscribers. */
    private void publishFromZmq(PubSubService.Published p) {
        try {
            AmqpMessage m = toAmqp.mapPublish(p.sender(), VipMessage.text(p.msgId()), p.topic(), p.bus(), p.headers(),
                    p.message());
            Map<String, Object> headers = new HashMap<>(m.properties().getHeaders());
            headers.put(ORIGIN_HEADER, origin);
            AmqpMessage marked = new AmqpMessage(m.routingKey(), m.properties().builder().headers(headers).build(),
                    m.body());
            if (!publisher.offer(marked)) {
                pubsubDropped.incrementAndGet();
                LOG.warn("publish to '{}' from '{}' not re-published on RabbitMQ: the publisher queue is full"
                        + " (ZMQ subscribers got it)", p.topic(), p.sender());
            }
        } catch (MappingException e) {
            rejected.incrementAndGet();
            LOG.warn("publish to '{}' from '{}' cannot be put in VOLTTRON's AMQP form: {}", p.topic(), p.sender(),
                    e.getMessage());
        }
    }

    @Override
    public Outcome toOtherBus(VipMessage message) {
        AmqpMessage amqp;
        try {
            amqp = toAmqp.map(message);
        } catch (MappingException e) {
            rejected.incrementAndGet();
            LOG.warn("cannot carry {} from '{}' to '{}' over RabbitMQ: {}", message.subsystemName(),
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
        return pipe.source();
    }

    @Override
    public void deliver(VipOutbox out, int max) {
        drainPipe();
        for (int i = 0; i < max; i++) {
            Inbound in = inbound.poll();
            if (in == null) {
                return;
            }
            if (in.published() != null) {
                PubSubService service = pubsub;
                if (service != null) {
                    service.publishFromOtherBus(in.published(), out);
                }
                ack(in);
                continue;
            }
            SendResult result = out.send(VipCodec.relay(in.message()));
            try {
                switch (result) {
                    case SENT -> {
                        toZmq.incrementAndGet();
                        in.channel().basicAck(in.tag(), false);
                    }
                    case AGAIN -> in.channel().basicNack(in.tag(), false, true);
                    case UNREACHABLE -> {
                        in.channel().basicAck(in.tag(), false);
                        unreachable(in.message());
                    }
                    default -> throw new IllegalStateException(result.toString());
                }
            } catch (IOException | RuntimeException e) {
                // The channel is gone; the broker redelivers what was not acked.
                LOG.warn("acknowledging a delivery for '{}' failed: {}", in.message().recipientName(), e.toString());
            }
        }
    }

    private void ack(Inbound in) {
        try {
            in.channel().basicAck(in.tag(), false);
        } catch (IOException | RuntimeException e) {
            LOG.warn("acknowledging a publish failed: {}; the broker redelivers it", e.toString());
        }
    }

    /** vip-rabbitmq.md §4.4: the sender learns that the ZMQ peer is gone, with the original msg-id. */
    private void unreachable(VipMessage m) {
        if ("error".equals(m.subsystemName())) {
            return; // never answer an error with an error
        }
        VipMessage error = new VipMessage(VipMessage.frame("router"), m.sender(), new byte[0], m.msgId(),
                VipMessage.frame("error"), List.of(VipMessage.frame(Integer.toString(VipErrors.UNREACHABLE)),
                VipMessage.frame(VipErrors.UNREACHABLE_TEXT), m.recipient(), m.subsystem()));
        if (toOtherBus(error) != Outcome.ACCEPTED) {
            LOG.warn("could not tell '{}' that ZMQ peer '{}' is unreachable (msg-id {})", m.senderName(),
                    m.recipientName(), m.msgIdText());
        }
    }

    private void drainPipe() {
        ByteBuffer sink = ByteBuffer.allocate(256);
        try {
            while (pipe.source().read(sink) > 0) {
                sink.clear();
            }
        } catch (IOException e) {
            LOG.debug("draining the wake-up pipe: {}", e.toString());
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
        Channel ch = consumer;
        if (ch == null || !ch.isOpen()) {
            return; // the next consume() binds every known peer
        }
        String key = instance + "." + identity;
        try {
            if (bind) {
                ch.queueBind(queueName, VolttronTopology.EXCHANGE, key);
            } else {
                ch.queueUnbind(queueName, VolttronTopology.EXCHANGE, key);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} {} for ZMQ peer '{}' failed: {}", bind ? "binding" : "unbinding", key, identity,
                    e.toString());
        }
    }

    /** Counters for statistics. */
    public Map<String, Long> counters() {
        return Map.of("to_rabbitmq", toBroker.get(), "to_zmq", toZmq.get(), "rejected", rejected.get(),
                "confirmed", publisher.confirmed(), "republished", publisher.republished(),
                "pending", (long) publisher.pending(), "pubsub_not_republished", pubsubDropped.get());
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
        try {
            pipe.source().close();
            pipe.sink().close();
        } catch (IOException e) {
            LOG.debug("closing the wake-up pipe: {}", e.toString());
        }
    }
}
