package org.vipgate.gateway.zmq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.services.HostedPeers;
import org.vipgate.gateway.vip.MalformedReason;
import org.vipgate.gateway.vip.SendResult;
import org.vipgate.gateway.vip.VipCodec;
import org.vipgate.gateway.vip.VipOutbox;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import zmq.ZError;

/**
 * The VIP router: one ROUTER socket bound to every {@code vip-address}, owned by one thread that receives, decodes
 * and dispatches (vip-zmq.md §1.6). Nothing else touches the socket.
 *
 * <p>Socket options as VOLTTRON's router (§1.6 step 7): ROUTER_MANDATORY, send time-out 0, high-water marks,
 * TCP keepalive; no handover, so a second connection with an identity in use does not take over the first.
 * With a CURVE secret key the socket is a CURVE server in ZAP domain {@code vip}: a ZAP handler must already be
 * bound in the same {@link ZContext}.
 */
public final class VipRouter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VipRouter.class);
    private static final byte[] EMPTY = new byte[0];

    private final ZContext context;
    private final RouterOptions options;
    private final RouterStats stats;
    private final PlatformInfo platform;
    private final Map<String, SubsystemHandler> services;
    private final List<Consumer<String>> dropListeners;
    private final Runnable onQuit;
    private final HostedPeers hosted;
    private volatile Bridge bridge;
    private volatile boolean hostServicesOnBridge;
    private volatile RouterSockets extraSockets;
    private final String routerId = UUID.randomUUID().toString();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<String> boundAddresses = new ArrayList<>();
    private volatile boolean running;
    private ZMQ.Socket socket;
    private Thread thread;

    public VipRouter(ZContext context, RouterOptions options, PlatformInfo platform, RouterStats stats,
                     Map<String, SubsystemHandler> services, List<Consumer<String>> dropListeners, Runnable onQuit,
                     HostedPeers hosted) {
        this.context = context;
        this.options = options;
        this.platform = platform;
        this.stats = stats;
        this.services = Map.copyOf(services);
        this.dropListeners = List.copyOf(dropListeners);
        this.onQuit = onQuit;
        this.hosted = hosted;
    }

    /**
     * Binds every address and starts the router thread.
     *
     * @throws ZMQException when an address cannot be bound (in use, bad syntax); nothing is left bound then
     */
    public synchronized void start() {
        ZMQ.Socket s = context.createSocket(SocketType.ROUTER);
        try {
            s.setRouterMandatory(true);
            s.setSendTimeOut(0);
            s.setSndHWM(options.highWaterMark());
            s.setRcvHWM(options.highWaterMark());
            s.setMaxMsgSize(options.limits().maxFrameBytes());
            s.setTCPKeepAlive(1);
            s.setTCPKeepAliveIdle(RouterOptions.KEEPALIVE_IDLE_SECONDS);
            s.setTCPKeepAliveInterval(RouterOptions.KEEPALIVE_INTERVAL_SECONDS);
            s.setTCPKeepAliveCount(RouterOptions.KEEPALIVE_COUNT);
            s.setLinger(0);
            s.setHandshakeIvl(RouterOptions.HANDSHAKE_MILLIS);
            options.curveSecretKey().ifPresent(secret -> {
                s.setZAPDomain(RouterOptions.ZAP_DOMAIN);
                s.setCurveServer(true);
                s.setCurveSecretKey(secret);
            });
            for (String address : options.addresses()) {
                s.bind(address);
                boundAddresses.add(s.getLastEndpoint());
            }
        } catch (RuntimeException e) {
            context.destroySocket(s);
            boundAddresses.clear();
            throw e;
        }
        socket = s;
        running = true;
        thread = new Thread(this::loop, "vip-router");
        thread.start();
        LOG.info("VIP router {} listening on {} ({})", routerId, boundAddresses,
                options.curveSecretKey().isPresent() ? "CURVE, ZAP domain vip" : "NO AUTHENTICATION");
    }

    /**
     * More sockets for the router thread to own (the links to other platforms); call before {@link #start()}.
     */
    public void ownSockets(RouterSockets sockets) {
        if (thread != null) {
            throw new IllegalStateException("ownSockets must be called before start()");
        }
        this.extraSockets = sockets;
    }

    /**
     * Connects the other bus; the router thread takes it up within a poll interval.
     *
     * @param hostServices true when vipgate is that bus's router, so that its agents reach the hosted platform
     *                     services; false when another router there provides them (they stand back then)
     */
    public void bridge(Bridge b, boolean hostServices) {
        this.hostServicesOnBridge = hostServices;
        this.bridge = b;
    }

    /** The addresses actually bound (a port 0 or wildcard shows the real one), in bind order. */
    public List<String> addresses() {
        return List.copyOf(boundAddresses);
    }

    /** The router's own identity, as {@code welcome} reports it. */
    public String routerId() {
        return routerId;
    }

    /** True while the router thread runs. */
    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    public RouterStats stats() {
        return stats;
    }

    private void loop() {
        SocketOutbox outbox = new SocketOutbox();
        RouterDispatcher dispatcher = new RouterDispatcher(new VipCodec(options.limits()), outbox,
                stats, platform, routerId, this::addresses, services, dropListeners, onQuit, hosted);
        VipOutbox delivery = dispatcher.outbox();
        ZMQ.Poller poller = context.createPoller(2);
        poller.register(socket, ZMQ.Poller.POLLIN);
        Bridge b = null;
        int pollMillis = (int) options.pollInterval().toMillis();
        RouterSockets extra = extraSockets;
        try {
            if (extra != null) {
                extra.open(context, poller);
            }
            int wakeIndex = -1;
            while (running && !Thread.currentThread().isInterrupted()) {
                // The bridge is drained when its wake-up channel is readable (it signals whenever it hands over
                // messages, and again when a drain left some behind) and after a poll that timed out, so that a
                // missed wake-up costs at most one poll interval; not after every poll, which would cost a read of
                // the wake-up pipe per batch of ZMQ traffic. Look up for a stop now and then.
                int events = poller.poll(pollMillis);
                boolean drain = events <= 0 || (wakeIndex >= 0 && poller.pollin(wakeIndex));
                if (b == null && bridge != null) {
                    b = bridge;
                    wakeIndex = poller.register(b.wakeup(), ZMQ.Poller.POLLIN);
                    dispatcher.attach(b, hostServicesOnBridge);
                    drain = true;
                }
                if (b != null && drain) {
                    b.deliver(delivery, 1_000);
                }
                if (extra != null) {
                    extra.pump();
                }
                for (int i = 0; i < 1_000 && running; i++) {
                    Incoming incoming = receive();
                    if (incoming == null) {
                        break;
                    }
                    if (incoming.overLimit() != null) {
                        dispatcher.drop(incoming.frames().get(0), incoming.overLimit(), incoming.frameCount());
                    } else {
                        dispatcher.dispatch(incoming.frames());
                    }
                }
                dispatcher.runServices();
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("VIP router thread failed; the router stops (restart vipgate)", e);
            }
        } finally {
            if (extra != null) {
                extra.close(context);
            }
            poller.close();
            context.destroySocket(socket);
            stopped.countDown();
            LOG.info("VIP router {} stopped", routerId);
        }
    }

    /** One received message; {@code overLimit} is set when it broke a bound and its frames were not all kept. */
    private record Incoming(List<byte[]> frames, int frameCount, MalformedReason overLimit) {
    }

    /**
     * One whole message without blocking, or null when none is waiting. Past the codec's bounds the remaining
     * frames are read and discarded, so that no peer can make the router hold more than the bounds.
     */
    private Incoming receive() {
        byte[] first = socket.recv(ZMQ.DONTWAIT);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(8); // a routed VIP message has 7 frames or a few more
        frames.add(first);
        VipCodec.Limits limits = options.limits();
        long bytes = first.length;
        int count = 1;
        MalformedReason over = null;
        while (socket.hasReceiveMore()) {
            byte[] next = socket.recv(0);
            count++;
            bytes += next.length;
            if (over == null && count > limits.maxFrames()) {
                over = MalformedReason.TOO_MANY_FRAMES;
            } else if (over == null && bytes > limits.maxMessageBytes()) {
                over = MalformedReason.MESSAGE_TOO_LARGE;
            }
            if (over == null) {
                frames.add(next);
            }
        }
        return new Incoming(frames, count, over);
    }

    /** Sends on the router socket; only the router thread calls it. */
    private final class SocketOutbox implements VipOutbox {
        @Override
        public SendResult send(List<byte[]> frames) {
            try {
                if (!socket.send(frames.get(0), ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
                    return SendResult.AGAIN;
                }
            } catch (ZMQException e) {
                if (e.getErrorCode() == ZError.EHOSTUNREACH) {
                    return SendResult.UNREACHABLE;
                }
                throw e;
            }
            int last = frames.size() - 1;
            for (int i = 1; i <= last; i++) {
                socket.send(frames.get(i), i < last ? ZMQ.SNDMORE : 0);
            }
            stats.outgoing(frames.get(0), last >= 3 ? frames.get(3) : EMPTY, last >= 5 ? frames.get(5) : EMPTY);
            return SendResult.SENT;
        }
    }

    /** Stops the thread and closes the socket; returns within a few poll intervals. Never throws. */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t == null) {
            return;
        }
        try {
            if (!stopped.await(5, TimeUnit.SECONDS)) {
                LOG.warn("VIP router thread did not stop within 5 s");
                t.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
