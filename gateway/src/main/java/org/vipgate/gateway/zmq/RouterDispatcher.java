package org.vipgate.gateway.zmq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.vip.Decoded;
import org.vipgate.gateway.vip.MalformedReason;
import org.vipgate.gateway.services.HostedPeers;
import org.vipgate.gateway.services.ServiceLink;
import org.vipgate.gateway.vip.PythonJsonWriter;
import org.vipgate.gateway.vip.ReplyText;
import org.vipgate.gateway.vip.ThrottledLog;
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
    private static final byte[] PEERLIST = VipMessage.frame("peerlist");

    private final VipCodec codec;
    /** Every send goes through it: frames for a hosted peer go to its inbox, the rest to the socket. */
    private final VipOutbox out;
    private final VipOutbox socket;
    private final HostedPeers hosted;
    private final ServiceLink serviceLink = new Link();
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
    private final ThrottledLog impostors = new ThrottledLog(LOG);
    /** False once another platform (VOLTTRON's own router on RabbitMQ) provides the services. */
    private boolean servicesActive = true;

    RouterDispatcher(VipCodec codec, VipOutbox socket, RouterStats stats, PlatformInfo platform, String routerId,
                     Supplier<List<String>> addresses, Map<String, SubsystemHandler> services,
                     List<Consumer<String>> dropListeners, Runnable onQuit, HostedPeers hosted) {
        this.codec = codec;
        this.socket = socket;
        this.hosted = hosted;
        this.out = this::sendAny;
        this.stats = stats;
        this.platform = platform;
        this.routerId = routerId;
        this.addresses = addresses;
        this.services = Map.copyOf(services);
        this.dropListeners = List.copyOf(dropListeners);
        this.onQuit = onQuit;
    }

    /**
     * Connects the other bus and tells it about the peers already known; with {@code hostServices} the hosted peers
     * are announced too, so that agents on the other bus reach them (vipgate is that bus's router).
     */
    void attach(Bridge b, boolean hostServices) {
        this.bridge = b;
        this.servicesActive = hostServices;
        if (hostServices) {
            hosted.identities().forEach(b::peerAdded);
        } else if (!hosted.identities().isEmpty()) {
            LOG.info("another router serves this platform on RabbitMQ: calls to {} go to its services",
                    hosted.identities());
        }
        peers.list().forEach(b::peerAdded);
    }

    /** Where the bridge and the links deliver: the same diversion to hosted peers as every send. */
    VipOutbox outbox() {
        return out;
    }

    /** Lets the hosted peers handle what was queued for them and run their timers; router thread. */
    void runServices() {
        hosted.run(serviceLink);
    }

    /** Handles one received frame set. */
    void dispatch(List<byte[]> frames) {
        Decoded decoded = codec.decode(frames);
        if (decoded instanceof Decoded.Probe probe) {
            String prober = VipMessage.text(probe.sender());
            stats.unroutable("router probe", prober);
            if (!(servicesActive && hosted.isReserved(prober))) {
                addPeer(prober);
            }
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
        String known = peers.identityOf(m.sender());
        String sender = known != null ? known : m.senderName();
        if (servicesActive && hosted.isReserved(sender)) {
            // docs/protocol/platform-services.md: the platform's services belong to vipgate, never to an agent key.
            stats.unroutable("reserved identity", sender);
            impostors.warn("reserved identity", "dropped {} message (msg-id {}) from a client connected as '{}': that"
                    + " identity belongs to vipgate's own platform service; give the agent another identity",
                    m.subsystemName(), m.msgIdText(), sender);
            return;
        }
        stats.incoming(m.sender(), m.userId(), m.subsystem());
        if (known == null) {
            addPeer(sender);
        }
        if (m.isForRouter()) {
            builtIn(m);
        } else {
            forward(m);
        }
    }

    private void forward(VipMessage m) {
        String known = peers.identityOf(m.recipient());
        String recipient = known != null ? known : m.recipientName();
        if (bridge != null && known == null && !hostedFor(recipient)) {
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
            dropPeer(recipient, "unreachable");
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
            // the platform's services are peers too, as on VOLTTRON (eclipse-volttron agents look for platform.auth)
            hosted.identities().stream().filter(this::hostedFor).forEach(id -> args.add(frame(id)));
            peers.list().forEach(p -> args.add(ReplyText.frame(p)));
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

    /**
     * Adds a peer; broadcasts {@code peerlist add} to the peers already known. A peer the
     * broadcast cannot reach is gone and is dropped (docs/protocol/platform-services.md, "Peer liveness").
     */
    private void addPeer(String identity) {
        if (peers.contains(identity)) {
            return;
        }
        broadcast("add", identity);
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
        hosted.peerLeft(identity);
        if (bridge != null) {
            bridge.peerDropped(identity);
        }
        broadcast("drop", identity);
    }

    /**
     * {@code peerlist <op> <identity>} to every known peer; those it cannot reach are dropped afterwards. The frames
     * are the same for every peer but the first (its routing id), so one frame list serves them all: a send hands
     * the frames to the socket (or copies them for a hosted peer) before it returns, and the table is not changed
     * while it is walked.
     */
    private void broadcast(String op, String identity) {
        List<String> gone = null;
        byte[][] frames = VipCodec.fromRouter(EMPTY, EMPTY, EMPTY, PEERLIST,
                List.of(frame(op), ReplyText.frame(identity))).toArray(new byte[0][]);
        List<byte[]> message = Arrays.asList(frames);
        for (PeerTable.Peer other : peers.view()) {
            frames[0] = other.frame();
            if (send(message) == SendResult.UNREACHABLE) {
                if (gone == null) {
                    gone = new ArrayList<>();
                }
                gone.add(other.identity());
            }
        }
        if (gone != null) {
            gone.forEach(g -> dropPeer(g, "unreachable for a peerlist " + op + " broadcast"));
        }
    }

    private void reply(VipMessage m, byte[] userId, List<byte[]> args) {
        if (send(VipCodec.fromRouter(m.sender(), userId, ReplyText.frame(m.msgId()), m.subsystem(), args))
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

    /** Frames for a hosted peer go to its inbox (view C: recipient, SENDER, VIP1, USER_ID, MSG_ID, SUBSYSTEM, ARGS). */
    private SendResult sendAny(List<byte[]> frames) {
        String service = hosted.identityOf(frames.get(0));
        if (service == null || !hostedFor(service)) {
            return socket.send(frames);
        }
        VipMessage m = new VipMessage(frames.get(1), frames.get(0), frames.get(3), frames.get(4), frames.get(5),
                frames.subList(6, frames.size()));
        return hosted.offer(m) ? SendResult.SENT : SendResult.AGAIN;
    }

    /** True when a message for {@code identity} goes to a hosted peer of vipgate's. */
    private boolean hostedFor(String identity) {
        return servicesActive && hosted.answers(identity, peers::contains);
    }

    /** What the hosted peers can do: send as a peer would, and see the peer table. */
    private final class Link implements ServiceLink {
        @Override
        public void send(String from, String to, byte[] msgId, String subsystem, List<byte[]> args) {
            byte[] sender = frame(from);
            VipMessage m = new VipMessage(sender, frame(to), sender, msgId, frame(subsystem), args);
            try {
                if (to.isEmpty()) {
                    builtIn(m); // e.g. platform.auth's auth_update to the pubsub service
                } else {
                    forward(m);
                }
            } catch (RuntimeException e) {
                LOG.error("internal error sending {} message {} from service '{}' to '{}'", subsystem,
                        m.msgIdText(), from, to, e);
            }
        }

        @Override
        public boolean isPeer(String identity) {
            return peers.contains(identity);
        }

        @Override
        public List<String> peers() {
            return peers.list();
        }

        @Override
        public boolean hasOtherBus() {
            return bridge != null;
        }
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
