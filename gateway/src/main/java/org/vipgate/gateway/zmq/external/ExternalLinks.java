package org.vipgate.gateway.zmq.external;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.vip.CurveKeys;
import org.vipgate.gateway.zmq.RouterOptions;
import org.vipgate.gateway.zmq.RouterSockets;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * One outbound DEALER per known platform (vip-zmq.md §4.2), all owned by the router thread: created in
 * {@link #open}, read in {@link #pump}, written by {@link #send}, closed in {@link #close}. Only {@link #states()}
 * and {@link #counters()} may be called from other threads.
 *
 * <p>Each DEALER is a CURVE client with the platform keypair and the remote serverkey (unless this platform runs
 * without auth), send time-out 0, bounded high-water marks, TCP keepalive as VOLTTRON (180/20/6), and a monitor
 * (a PAIR socket on an inproc address) whose CONNECTED / DISCONNECTED events give the link state. ZeroMQ
 * reconnects by itself. Links are one-way (§4.2): whatever the remote ROUTER sends down our DEALER is read,
 * counted and dropped.
 */
public final class ExternalLinks implements RouterSockets {

    /** Messages queued per link before sends fail with EAGAIN. */
    public static final int HIGH_WATER_MARK = 1_000;
    /** vip-zmq.md §4.2: keepalive idle/interval/count as VOLTTRON's {@code _build_connection}. */
    static final int KEEPALIVE_IDLE = 180;
    static final int KEEPALIVE_INTERVAL = 20;
    static final int KEEPALIVE_COUNT = 6;
    /**
     * jeromq reports a handshake the remote ZAP handler refused as this event (value: the ZAP status, 400) and then
     * gives up on the connection for good; it has no constant for it.
     */
    static final int EVENT_HANDSHAKE_FAILED_AUTH = 1 << 14;
    /** First wait before a refused link is made again; doubled per refusal up to {@link #MAX_RELINK_MILLIS}. */
    static final long FIRST_RELINK_MILLIS = 1_000;
    static final long MAX_RELINK_MILLIS = 60_000;
    // vip-zmq.md §4.2: VOLTTRON watches CONNECTED / DISCONNECTED / CONNECT_DELAYED; vipgate also a refused key.
    private static final int EVENTS = ZMQ.EVENT_CONNECTED | ZMQ.EVENT_DISCONNECTED | ZMQ.EVENT_CONNECT_DELAYED
            | EVENT_HANDSHAKE_FAILED_AUTH;
    private static final AtomicInteger MONITORS = new AtomicInteger();
    private static final Logger LOG = LoggerFactory.getLogger(ExternalLinks.class);

    /** Our platform's CURVE keypair, raw 32-byte keys. */
    public record ClientKeys(byte[] publicKey, byte[] secretKey) {
        public ClientKeys {
            publicKey = publicKey.clone();
            secretKey = secretKey.clone();
        }
    }

    private final String ownName;
    private final Map<String, ExternalPlatform> platforms = new ConcurrentSkipListMap<>();
    private final ConcurrentLinkedQueue<ExternalPlatform> added = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> removed = new ConcurrentLinkedQueue<>();
    private ZContext context;
    private ZMQ.Poller poller;
    private final Optional<ClientKeys> keys;
    private final Map<String, LinkState> states = new ConcurrentHashMap<>();
    private final Map<String, Instant> since = new ConcurrentHashMap<>();
    private final Map<String, Link> links = new LinkedHashMap<>();
    /** Router thread: when (nanoTime) a refused link is made again, and how often each was refused in a row. */
    private final Map<String, Long> relinkAt = new LinkedHashMap<>();
    private final Map<String, Integer> refusals = new LinkedHashMap<>();
    private final List<Consumer<String>> connectedListeners = new ArrayList<>();
    private final List<Consumer<ExternalPlatform>> linkedListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong droppedInbound = new AtomicLong();

    /** One platform's sockets. */
    private record Link(ExternalPlatform platform, String identity, ZMQ.Socket dealer, ZMQ.Socket monitor) {
    }

    /**
     * @param ownName   our instance name (the link identities carry it)
     * @param platforms the platforms to link to
     * @param keys      our platform keypair; empty when this platform runs without auth (then the links are plain)
     */
    public ExternalLinks(String ownName, List<ExternalPlatform> platforms, Optional<ClientKeys> keys) {
        this.ownName = Objects.requireNonNull(ownName, "ownName");
        this.keys = Objects.requireNonNull(keys, "keys");
        for (ExternalPlatform p : platforms) {
            this.platforms.put(p.instanceName(), p);
            setState(p.instanceName(), LinkState.CONNECTING);
        }
    }

    /** Our instance name. */
    public String ownName() {
        return ownName;
    }

    /** Called on the router thread with a platform's name each time its link becomes CONNECTED. Before start. */
    public void onConnected(Consumer<String> listener) {
        connectedListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Told each platform linked to: at once those already known, then each new one on the router thread (so a
     * platform may be told twice). Any thread; the listener must not block.
     */
    public void onLinked(Consumer<ExternalPlatform> listener) {
        linkedListeners.add(Objects.requireNonNull(listener, "listener"));
        platforms.values().forEach(listener);
    }

    /**
     * Links to {@code p} from the router thread's next pump; any thread. A platform already linked with the same
     * address and key is left alone; one whose address or key changed is re-linked.
     */
    public void add(ExternalPlatform p) {
        added.add(Objects.requireNonNull(p, "p"));
    }

    /** Closes the link to platform {@code name} on the router thread's next pump and forgets it; any thread. */
    public void remove(String name) {
        removed.add(Objects.requireNonNull(name, "name"));
    }

    @Override
    public void open(ZContext context, ZMQ.Poller poller) {
        this.context = context;
        this.poller = poller;
        for (ExternalPlatform p : platforms.values()) {
            link(p);
        }
    }

    private void link(ExternalPlatform p) {
        try {
            Link link = connect(context, p);
            links.put(p.instanceName(), link);
            poller.register(link.monitor(), ZMQ.Poller.POLLIN);
            poller.register(link.dealer(), ZMQ.Poller.POLLIN);
            LOG.info("external platform '{}': connecting to {} as '{}' ({})", p.instanceName(), p.vipAddress(),
                    link.identity(), keys.isPresent() ? "CURVE, serverkey " + p.serverKey() : "no auth");
            for (Consumer<ExternalPlatform> l : linkedListeners) {
                try {
                    l.accept(p);
                } catch (RuntimeException e) {
                    LOG.error("external platform '{}': a link listener failed", p.instanceName(), e);
                }
            }
        } catch (ZMQException | IllegalArgumentException e) {
            setState(p.instanceName(), LinkState.DISCONNECTED);
            LOG.error("external platform '{}': cannot connect to {}: {}; check its entry in"
                    + " external_platform_discovery.json", p.instanceName(), p.vipAddress(), e.toString());
        }
    }

    /** Makes again the refused links whose back-off is over (jeromq does not retry them). Router thread. */
    private void relinkRefused() {
        long now = System.nanoTime();
        List<String> due = new ArrayList<>();
        relinkAt.forEach((name, at) -> {
            if (now - at >= 0) {
                due.add(name);
            }
        });
        for (String name : due) {
            relinkAt.remove(name);
            Link old = links.remove(name);
            ExternalPlatform p = platforms.get(name);
            if (old != null) {
                unlink(old);
            }
            if (p != null) {
                setState(name, LinkState.CONNECTING);
                link(p);
            }
        }
    }

    /** Links the platforms {@link #add}ed since the last pump. Router thread. */
    private void linkAdded() {
        for (ExternalPlatform p = added.poll(); p != null; p = added.poll()) {
            if (p.instanceName().equals(ownName)) {
                continue;
            }
            ExternalPlatform known = platforms.get(p.instanceName());
            if (p.equals(known) && links.containsKey(p.instanceName())) {
                continue;
            }
            Link old = links.remove(p.instanceName());
            if (old != null) {
                LOG.info("external platform '{}' moved from {} to {} (or changed its key); re-linking",
                        p.instanceName(), old.platform().vipAddress(), p.vipAddress());
                unlink(old);
            }
            if (platforms.size() >= DiscoveryFiles.MAX_PLATFORMS && known == null) {
                LOG.warn("external platform '{}' not linked: {} platforms already", p.instanceName(),
                        DiscoveryFiles.MAX_PLATFORMS);
                continue;
            }
            platforms.put(p.instanceName(), p);
            setState(p.instanceName(), LinkState.CONNECTING);
            link(p);
        }
    }

    // vip-zmq.md §4.2 (rs.py _build_connection). VOLTTRON names the link 'instance.<remote name>.<random>';
    // vipgate puts its own name there so that the remote's logs say who is calling. Receivers must not rely on it.
    private Link connect(ZContext context, ExternalPlatform p) {
        String identity = "instance." + ownName + "." + ThreadLocalRandom.current().nextDouble();
        ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
        ZMQ.Socket monitor = null;
        try {
            dealer.setIdentity(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            dealer.setSendTimeOut(0);
            dealer.setSndHWM(HIGH_WATER_MARK);
            dealer.setRcvHWM(HIGH_WATER_MARK);
            dealer.setLinger(0);
            dealer.setTCPKeepAlive(1);
            dealer.setTCPKeepAliveIdle(KEEPALIVE_IDLE);
            dealer.setTCPKeepAliveInterval(KEEPALIVE_INTERVAL);
            dealer.setTCPKeepAliveCount(KEEPALIVE_COUNT);
            dealer.setReconnectIVL(1_000);
            dealer.setReconnectIVLMax(30_000);
            dealer.setHandshakeIvl(RouterOptions.HANDSHAKE_MILLIS);
            if (keys.isPresent()) {
                dealer.setCurveServerKey(CurveKeys.decode(p.serverKey()));
                dealer.setCurvePublicKey(keys.get().publicKey());
                dealer.setCurveSecretKey(keys.get().secretKey());
            }
            String monitorAddress = "inproc://vipgate.external." + MONITORS.incrementAndGet();
            dealer.monitor(monitorAddress, EVENTS);
            monitor = context.createSocket(SocketType.PAIR);
            monitor.connect(monitorAddress);
            dealer.connect(p.vipAddress());
            return new Link(p, identity, dealer, monitor);
        } catch (RuntimeException e) {
            if (monitor != null) {
                context.destroySocket(monitor);
            }
            context.destroySocket(dealer);
            throw e;
        }
    }

    @Override
    public void pump() {
        for (String name = removed.poll(); name != null; name = removed.poll()) {
            Link old = links.remove(name);
            if (old != null) {
                unlink(old);
            }
            if (platforms.remove(name) != null) {
                LOG.info("external platform '{}': link closed (no longer in external_platform_discovery.json)", name);
            }
            states.remove(name);
            since.remove(name);
            relinkAt.remove(name);
            refusals.remove(name);
        }
        if (!added.isEmpty()) {
            linkAdded();
        }
        if (!relinkAt.isEmpty()) {
            relinkRefused();
        }
        for (Link link : links.values()) {
            try {
                pump(link);
            } catch (ZMQException e) {
                // A socket error of one link must not stop the router thread; ZeroMQ keeps reconnecting.
                LOG.error("external platform '{}': reading its link failed: {}", link.platform().instanceName(),
                        e.toString());
            }
        }
    }

    private void pump(Link link) {
        for (int i = 0; i < 100; i++) {
            ZMQ.Event event = ZMQ.Event.recv(link.monitor(), ZMQ.DONTWAIT);
            if (event == null) {
                break;
            }
            onEvent(link, event);
        }
        for (int i = 0; i < 1_000; i++) {
            byte[] frame = link.dealer().recv(ZMQ.DONTWAIT);
            if (frame == null) {
                break;
            }
            while (link.dealer().hasReceiveMore()) {
                link.dealer().recv(0);
            }
            // vip-zmq.md §4.2: links are one-way; the remote router's answers (e.g. request_response to
            // external_list) come down here and are dropped, as VOLTTRON does.
            droppedInbound.incrementAndGet();
        }
    }

    private void onEvent(Link link, ZMQ.Event event) {
        String name = link.platform().instanceName();
        LinkState before = states.get(name);
        LinkState after = switch (event.getEvent()) {
            case ZMQ.EVENT_CONNECTED -> LinkState.CONNECTED;
            case ZMQ.EVENT_DISCONNECTED -> before == LinkState.REFUSED ? LinkState.REFUSED : LinkState.DISCONNECTED;
            case EVENT_HANDSHAKE_FAILED_AUTH -> LinkState.REFUSED;
            default -> before; // CONNECT_DELAYED: still trying
        };
        if (after == LinkState.REFUSED && before != LinkState.REFUSED) {
            int n = refusals.merge(name, 1, Integer::sum);
            long wait = Math.min(MAX_RELINK_MILLIS, FIRST_RELINK_MILLIS << Math.min(n - 1, 16));
            relinkAt.put(name, System.nanoTime() + wait * 1_000_000);
            LOG.warn("external platform '{}' at {} refused this platform's key {}: add it to that platform's"
                    + " auth.json (vctl auth add), or run both platforms with --setup-mode; trying again in {} s",
                    name, link.platform().vipAddress(), keys.map(k -> CurveKeys.encode(k.publicKey())).orElse("-"),
                    wait / 1000);
        }
        if (after == before) {
            LOG.debug("external platform '{}' ({}): monitor event {}", name, link.platform().vipAddress(),
                    event.getEvent());
            return;
        }
        setState(name, after);
        if (after == LinkState.CONNECTED) {
            LOG.info("external platform '{}' connected at {}", name, link.platform().vipAddress());
            for (Consumer<String> l : connectedListeners) {
                try {
                    l.accept(name);
                } catch (RuntimeException e) {
                    LOG.error("external platform '{}': a connect listener failed", name, e);
                }
            }
        } else if (after == LinkState.DISCONNECTED) {
            LOG.warn("external platform '{}' at {} disconnected; ZeroMQ keeps reconnecting (is it running?)", name,
                    link.platform().vipAddress());
        }
    }

    /**
     * Sends {@code frames} (the DEALER view: {@code ['', 'VIP1', user, msg_id, subsystem, args...]}) to a platform.
     * Router thread only; never blocks.
     */
    public LinkSend send(String platform, List<byte[]> frames) {
        Link link = links.get(platform);
        if (link == null) {
            refused.incrementAndGet();
            return new LinkSend.UnknownPlatform(platform);
        }
        LinkState state = states.get(platform);
        if (state != LinkState.CONNECTED) {
            refused.incrementAndGet();
            return new LinkSend.NotConnected(platform, state);
        }
        ZMQ.Socket s = link.dealer();
        int last = frames.size() - 1;
        if (!s.send(frames.get(0), last > 0 ? ZMQ.SNDMORE | ZMQ.DONTWAIT : ZMQ.DONTWAIT)) {
            refused.incrementAndGet();
            return new LinkSend.Full(platform);
        }
        for (int i = 1; i <= last; i++) {
            s.send(frames.get(i), i < last ? ZMQ.SNDMORE : 0);
        }
        sent.incrementAndGet();
        return new LinkSend.Sent(platform);
    }

    /** Platforms whose link is CONNECTED now, by name. Router thread. */
    public List<String> connected() {
        List<String> out = new ArrayList<>();
        platforms.keySet().forEach(n -> {
            if (states.get(n) == LinkState.CONNECTED) {
                out.add(n);
            }
        });
        return out;
    }

    /** Platform name → link state, by name; any thread. */
    public Map<String, String> states() {
        Map<String, String> out = new LinkedHashMap<>();
        platforms.keySet().forEach(n -> out.put(n, states.getOrDefault(n, LinkState.CONNECTING).name()));
        return out;
    }

    /** One link as {@code vipgate platforms} shows it. */
    public record Status(String instanceName, String vipAddress, LinkState state, Instant since) {
    }

    /** Every link with its state and when it entered it, by name; any thread. */
    public List<Status> status() {
        List<Status> out = new ArrayList<>();
        platforms.values().forEach(p -> out.add(new Status(p.instanceName(), p.vipAddress(),
                states.getOrDefault(p.instanceName(), LinkState.CONNECTING),
                since.getOrDefault(p.instanceName(), Instant.EPOCH))));
        return out;
    }

    private void setState(String platform, LinkState state) {
        states.put(platform, state);
        since.put(platform, Instant.now());
    }

    /** The platforms linked to, by name; any thread. */
    public List<ExternalPlatform> platforms() {
        return List.copyOf(platforms.values());
    }

    private void unlink(Link link) {
        try {
            poller.unregister(link.monitor());
            poller.unregister(link.dealer());
            link.dealer().monitor(null, 0);
        } catch (RuntimeException e) {
            LOG.debug("external platform '{}': stopping the monitor failed: {}", link.platform().instanceName(),
                    e.toString());
        }
        context.destroySocket(link.monitor());
        context.destroySocket(link.dealer());
        setState(link.platform().instanceName(), LinkState.DISCONNECTED);
    }

    /** Messages sent, refused (unknown, not connected, full) and dropped inbound; any thread. */
    public Map<String, Long> counters() {
        return Map.of("sent", sent.get(), "refused", refused.get(), "dropped_inbound", droppedInbound.get());
    }

    @Override
    public void close(ZContext context) {
        for (Link link : links.values()) {
            unlink(link);
        }
        links.clear();
        LOG.info("links to external platforms closed");
    }
}
