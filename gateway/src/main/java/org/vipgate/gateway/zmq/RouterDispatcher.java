package org.vipgate.gateway.zmq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.vip.Decoded;
import org.vipgate.gateway.vip.MalformedReason;
import org.vipgate.gateway.vip.PythonJsonWriter;
import org.vipgate.gateway.vip.SendResult;
import org.vipgate.gateway.vip.VipCodec;
import org.vipgate.gateway.vip.VipErrors;
import org.vipgate.gateway.vip.VipMessage;
import org.vipgate.gateway.vip.VipOutbox;

/**
 * What the router does with each frame set (vip-zmq.md §1.6, §2): register peers and broadcast
 * {@code peerlist add/drop}, answer the built-in subsystems, hand {@code pubsub} and the like to their services,
 * forward everything else byte for byte, and answer failures with VIP errors in VOLTTRON's layout (§1.7).
 *
 * <p>Runs on the router thread only. Bad input is counted and dropped; nothing a peer sends makes it throw.
 */
final class RouterDispatcher {

    /** The only identity whose {@code quit} stops the gateway (vip-zmq.md §2). */
    static final String CONTROL = "control";
    /** vip-zmq.md §2: the version string of {@code welcome}. */
    static final String VIP_VERSION = "1.0";

    private static final Logger LOG = LoggerFactory.getLogger(RouterDispatcher.class);
    private static final byte[] EMPTY = new byte[0];

    private final VipCodec codec;
    private final VipOutbox out;
    private final RouterStats stats;
    private final PlatformInfo platform;
    private final String routerId;
    private final Supplier<List<String>> addresses;
    private final Map<String, SubsystemHandler> services;
    private final List<Consumer<String>> dropListeners;
    private final Runnable onQuit;
    private Bridge bridge;
    private final PeerTable peers = new PeerTable();
    private final MalformedLog malformedLog = new MalformedLog();
    private final UndeliveredErrorLog undeliveredLog = new UndeliveredErrorLog();

    RouterDispatcher(VipCodec codec, VipOutbox out, RouterStats stats, PlatformInfo platform, String routerId,
                     Supplier<List<String>> addresses, Map<String, SubsystemHandler> services,
                     List<Consumer<String>> dropListeners, Runnable onQuit) {
        this.codec = codec;
        this.out = out;
        this.stats = stats;
        this.platform = platform;
        this.routerId = routerId;
        this.addresses = addresses;
        this.services = Map.copyOf(services);
        this.dropListeners = List.copyOf(dropListeners);
        this.onQuit = onQuit;
    }

    /** Connects the other bus and tells it about the peers already known. */
    void attach(Bridge b) {
        this.bridge = b;
        peers.list().forEach(b::peerAdded);
    }

    /** Handles one received frame set. */
    void dispatch(List<byte[]> frames) {
        Decoded decoded = codec.decode(frames);
        if (decoded instanceof Decoded.Probe probe) {
            stats.unroutable("router probe", VipMessage.text(probe.sender()));
            addPeer(VipMessage.text(probe.sender()));
        } else if (decoded instanceof Decoded.Malformed bad) {
            drop(bad.sender(), bad.reason(), frames.size());
        } else {
            VipMessage message = ((Decoded.Message) decoded).message();
            try {
                route(message);
            } catch (RuntimeException e) {
                // A bug of ours, not the peer's: log it with who and what, keep the router running.
                LOG.error("internal error handling {} message {} from '{}' to '{}'", message.subsystemName(),
                        message.msgIdText(), message.senderName(), message.recipientName(), e);
                stats.unroutable("internal error", message.senderName());
            }
        }
    }

    /** Counts and logs a message dropped as malformed. */
    void drop(byte[] sender, MalformedReason reason, int frameCount) {
        String peer = VipMessage.text(sender);
        stats.unroutable(reason.text(), peer);
        malformedLog.dropped(reason, peer, frameCount);
    }

    private void route(VipMessage m) {
        String sender = m.senderName();
        stats.incoming(sender, VipMessage.text(m.userId()), m.subsystemName());
        addPeer(sender);
        if (m.isForRouter()) {
            builtIn(m);
        } else {
            forward(m);
        }
    }

    private void forward(VipMessage m) {
        if (bridge != null && !peers.contains(m.recipientName())) {
            // vip-zmq.md §4.5: a recipient that is not a ZMQ peer is reached over RabbitMQ.
            switch (bridge.toOtherBus(m)) {
                case ACCEPTED -> { }
                case FULL -> sendError(m, m.sender(), VipErrors.AGAIN, VipErrors.AGAIN_TEXT);
                case REJECTED -> sendError(m, m.sender(), VipErrors.INVALID, VipErrors.INVALID_TEXT);
                default -> throw new IllegalStateException();
            }
            return;
        }
        SendResult result = send(VipCodec.forward(m));
        if (result == SendResult.UNREACHABLE) {
            dropPeer(m.recipientName(), "unreachable");
            sendError(m, m.sender(), VipErrors.UNREACHABLE, VipErrors.UNREACHABLE_TEXT);
        } else if (result == SendResult.AGAIN) {
            sendError(m, m.sender(), VipErrors.AGAIN, VipErrors.AGAIN_TEXT);
        }
    }

    private void builtIn(VipMessage m) {
        String subsystem = m.subsystemName();
        switch (subsystem) {
            case "hello" -> reply(m, m.sender(), List.of(frame("welcome"), frame(VIP_VERSION), frame(routerId),
                    m.sender()));
            case "ping" -> reply(m, m.sender(), pong(m.args()));
            case "peerlist" -> peerlist(m);
            case "query" -> query(m);
            case "agentstop" -> agentstop(m);
            case "quit" -> quit(m);
            case "error" -> LOG.debug("error message from '{}' to the router ignored (vip-zmq.md §2)",
                    m.senderName());
            default -> {
                SubsystemHandler service = services.get(subsystem);
                if (service != null) {
                    service.handle(m, out);
                } else {
                    unknownSubsystem(m);
                }
            }
        }
    }

    private static List<byte[]> pong(List<byte[]> args) {
        // vip-zmq.md §2: frame 6 becomes 'pong', the other args are echoed.
        List<byte[]> reply = new ArrayList<>(args.isEmpty() ? List.of(EMPTY) : args);
        reply.set(0, frame("pong"));
        return reply;
    }

    private void peerlist(VipMessage m) {
        String op = m.arg(0);
        List<byte[]> args = new ArrayList<>();
        if ("list".equals(op)) {
            args.add(frame("listing"));
            peers.list().forEach(p -> args.add(frame(p)));
        } else {
            args.add(frame("error"));
            args.add(frame(op == null ? "missing operation" : "unknown operation"));
        }
        reply(m, EMPTY, args);
    }

    private void query(VipMessage m) {
        String name = m.arg(0);
        Object value = name == null ? null : platform.query(name, addresses.get());
        reply(m, EMPTY, List.of(EMPTY, encode(value)));
    }

    private void agentstop(VipMessage m) {
        String identity = m.arg(0);
        if (identity == null) {
            LOG.warn("agentstop from '{}' (msg-id {}) names no identity; ignored", m.senderName(), m.msgIdText());
            return;
        }
        // VOLTTRON lets anyone stop anyone (vip-zmq.md §8); vipgate lets a peer stop itself, and control anyone.
        if (!identity.equals(m.senderName()) && !CONTROL.equals(m.senderName())) {
            LOG.warn("agentstop for '{}' from '{}' refused: only the agent itself or '{}' may send it",
                    identity, m.senderName(), CONTROL);
            return;
        }
        dropPeer(identity, "agentstop from '" + m.senderName() + "'");
    }

    private void quit(VipMessage m) {
        if (!CONTROL.equals(m.senderName())) {
            LOG.warn("quit from '{}' refused: only '{}' may stop the platform", m.senderName(), CONTROL);
            unknownSubsystem(m); // vip-zmq.md §2: VOLTTRON answers error 93 then
            return;
        }
        LOG.info("quit from '{}': stopping", m.senderName());
        onQuit.run();
    }

    private void unknownSubsystem(VipMessage m) {
        sendError(m, EMPTY, VipErrors.UNKNOWN_SUBSYSTEM, VipErrors.UNKNOWN_SUBSYSTEM_TEXT);
    }

    /** Adds a peer; broadcasts {@code peerlist add} to the peers already known (vip-zmq.md §1.6 step 3). */
    private void addPeer(String identity) {
        if (peers.contains(identity)) {
            return;
        }
        for (String other : peers.list()) {
            send(VipCodec.fromRouter(frame(other), EMPTY, EMPTY, frame("peerlist"),
                    List.of(frame("add"), frame(identity))));
        }
        peers.add(identity);
        if (bridge != null) {
            bridge.peerAdded(identity);
        }
        LOG.info("peer '{}' connected ({} peers)", identity, peers.size());
    }

    /** Forgets a peer, tells the services and the remaining peers ({@code peerlist drop}). */
    void dropPeer(String identity, String why) {
        if (!peers.remove(identity)) {
            return;
        }
        LOG.info("peer '{}' dropped: {} ({} peers)", identity, why, peers.size());
        dropListeners.forEach(l -> l.accept(identity));
        if (bridge != null) {
            bridge.peerDropped(identity);
        }
        for (String other : peers.list()) {
            send(VipCodec.fromRouter(frame(other), EMPTY, EMPTY, frame("peerlist"),
                    List.of(frame("drop"), frame(identity))));
        }
    }

    private void reply(VipMessage m, byte[] userId, List<byte[]> args) {
        if (send(VipCodec.fromRouter(m.sender(), userId, m.msgId(), m.subsystem(), args))
                == SendResult.UNREACHABLE) {
            dropPeer(m.senderName(), "unreachable for a reply");
        }
    }

    private void sendError(VipMessage m, byte[] userId, int errno, String text) {
        switch (send(VipCodec.error(m, userId, errno, text))) {
            case SENT -> stats.error(errno, m.senderName(), VipMessage.text(userId), m.subsystemName());
            // vip-zmq.md §1.6: an error that cannot be delivered drops the sender.
            case UNREACHABLE -> dropPeer(m.senderName(), "unreachable for an error");
            case AGAIN -> {
                // The sender does not read its socket: its queue towards us is full. Nothing can be buffered
                // without bound; the message it sent is refused and that is counted and logged.
                stats.errorUndelivered(errno, m.senderName());
                undeliveredLog.dropped(m.senderName(), errno, m.msgIdText());
            }
            default -> throw new IllegalStateException();
        }
    }

    private SendResult send(List<byte[]> frames) {
        return out.send(frames);
    }

    /** vip-zmq.md §1.3 and §7.8: text as latin-1, lists as ASCII JSON (as json.dumps), no value as empty. */
    private static byte[] encode(Object value) {
        if (value == null) {
            return EMPTY;
        }
        if (value instanceof String s) {
            return frame(s);
        }
        if (value instanceof List<?> list) {
            return frame(PythonJsonWriter.dumpsStrings(list.stream().map(String::valueOf).toList(), true));
        }
        throw new IllegalArgumentException("a query value is text or a list of text, not " + value.getClass());
    }

    private static byte[] frame(String text) {
        return VipMessage.frame(text);
    }
}
