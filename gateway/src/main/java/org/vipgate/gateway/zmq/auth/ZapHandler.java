package org.vipgate.gateway.zmq.auth;

import java.nio.channels.ClosedSelectorException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.vip.CurveKeys;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The ZAP (ZeroMQ RFC 27) handler the router's CURVE sockets ask whether a client may connect: a ROUTER bound
 * at {@value #ENDPOINT} in the router's {@link ZContext}, answering on its own thread (vip-zmq.md §5.4, §7 item 1).
 *
 * <p><b>Order matters.</b> Construct this (which binds the ZAP socket) <em>before</em> the router binds its CURVE
 * sockets, and close it only <em>after</em> they are closed: jeromq 0.6.0 lets every CURVE client in when nothing
 * is bound at {@value #ENDPOINT} (checked in a test: no ZAP handler means no authentication at all).
 *
 * <p>Every well-formed request is answered at once, unlike VOLTTRON, which never answers a refusal and leaves the
 * client's handshake hanging (vip-zmq.md §8): {@code 200 SUCCESS} with the user id of the matching auth.json
 * entry, or {@code 400 FAIL}. A refused client sees the failure within its handshake (libzmq and jeromq report a
 * {@code HANDSHAKE_FAILED_AUTH} monitor event with value 400) and reconnects later, as ZeroMQ clients do. Refused
 * attempts are recorded in {@link PendingAuthentications} (except those refused by an explicit deny entry) and
 * logged at their 1st, 10th, 100th... attempt with what to do. A request with the wrong version, a domain other
 * than {@value #DOMAIN}, an unknown mechanism or the wrong credential frames is answered 400. A request without
 * a routing envelope cannot be answered and is dropped. No request stops the thread.
 *
 * <p>Mechanisms: CURVE matches the client's public key (32 raw bytes, turned into the 43-character form) against
 * the credentials; NULL matches entries with mechanism NULL (credentials not checked); PLAIN matches the user
 * name against the credentials and does <em>not</em> check the password, exactly as VOLTTRON does
 * ({@code AuthEntry.match} compares {@code credentials[0]}).
 *
 * <p>Setup mode (VOLTTRON's {@code --setup-mode}): a CURVE key that no entry allows (and no deny entry refuses)
 * is added to auth.json as an enabled allow entry with a new uuid user id and accepted. VOLTTRON does this for any
 * key; vipgate, once told {@link #setupModeOnlyFor}, only for the keys it names (the serverkeys of the platforms
 * the operator listed), and refuses the rest as in normal mode. As in VOLTTRON the entry
 * also names the domain and the peer address it came from. Unlike VOLTTRON, which answers with an empty user id
 * here, the reply carries the new user id. If the file cannot be written, the key is refused.
 *
 * <p>With authentication switched off ({@code allow-auth = False}) the router binds NULL sockets without a ZAP
 * domain and no ZAP handler runs; that decision is the router's, not this class's.
 */
public final class ZapHandler implements Runnable, AutoCloseable {

    /** Where libzmq and jeromq look for the ZAP handler (RFC 27). */
    public static final String ENDPOINT = "inproc://zeromq.zap.01";
    /** The only ZAP domain the router's sockets use (vip-zmq.md §5.3). */
    public static final String DOMAIN = "vip";
    /** Comment of the entries setup mode adds. */
    public static final String SETUP_MODE_COMMENT = "added by vipgate setup mode";
    /** The ZAP user id of clients with the platform's own key. */
    public static final String PLATFORM_USER = "vipgate.platform";

    /** Frames kept of one request; the rest are read and dropped (a request has 8 to 10). */
    static final int MAX_FRAMES = 16;
    /** How long one receive waits, hence how late {@link #close()} is noticed. */
    private static final int RECEIVE_TIMEOUT_MS = 100;
    private static final long CLOSE_WAIT_MS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(ZapHandler.class);
    private static final byte[] EMPTY = new byte[0];
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int CLOSED = 2;

    private final ZMQ.Socket socket;
    private final AuthFile authFile;
    private final PendingAuthentications pending;
    private final boolean setupMode;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final AtomicLong allowed = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private volatile Thread runner;
    private volatile Predicate<String> setupModeAccepts = key -> true;
    private volatile String platformKey = "";

    /**
     * Binds the ZAP socket at {@value #ENDPOINT} in {@code context} now, in the calling thread; {@link #start()}
     * or {@link #run()} then answers requests.
     *
     * @param setupMode true to add unknown CURVE keys to auth.json and accept them
     * @throws IllegalStateException when the endpoint is already bound in this context (another ZAP handler)
     */
    public ZapHandler(ZContext context, AuthFile authFile, PendingAuthentications pending, boolean setupMode) {
        this.authFile = Objects.requireNonNull(authFile, "authFile");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.setupMode = setupMode;
        ZMQ.Socket s = Objects.requireNonNull(context, "context").createSocket(SocketType.ROUTER);
        try {
            s.setLinger(0);
            s.setReceiveTimeOut(RECEIVE_TIMEOUT_MS);
            s.bind(ENDPOINT);
        } catch (ZMQException e) {
            s.close();
            throw new IllegalStateException("cannot bind the ZAP handler at " + ENDPOINT + ": " + e.getMessage()
                    + " (is another ZAP handler running in this context?)", e);
        }
        this.socket = s;
    }

    /**
     * Lets clients that hold the platform's own key pair in (43-character public key): vipgate's commands on this
     * machine, which read the keystore as vctl reads its own (docs/protocol/platform-services.md, "vipgate config").
     */
    public void trustPlatformKey(String publicKey) {
        this.platformKey = publicKey;
    }

    /**
     * Limits what setup mode adds to the CURVE public keys (43-character form) {@code accepts} approves; call before
     * the router binds. Without it every unknown key is added, as VOLTTRON does.
     */
    public void setupModeOnlyFor(Predicate<String> accepts) {
        this.setupModeAccepts = Objects.requireNonNull(accepts, "accepts");
    }

    /**
     * Starts answering on a new daemon thread named {@code vipgate-zap}.
     *
     * @return this
     * @throws IllegalStateException when already started or closed
     */
    public ZapHandler start() {
        if (state.get() != NEW) {
            throw new IllegalStateException("the ZAP handler was already started or closed");
        }
        Thread thread = new Thread(this, "vipgate-zap");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Answers requests until {@link #close()} or until the context is terminated. Call at most once. */
    @Override
    public void run() {
        runner = Thread.currentThread();
        if (!state.compareAndSet(NEW, RUNNING)) {
            LOG.warn("ZAP handler at {}: run() called again or after close(); ignored", ENDPOINT);
            return;
        }
        LOG.info("ZAP handler at {} started: domain {}, auth file {}, setup mode {}", ENDPOINT, DOMAIN,
                authFile.file(), setupMode ? "on (unknown CURVE keys are added and accepted)" : "off");
        String why = "closed";
        try {
            while (state.get() == RUNNING) {
                if (Thread.interrupted()) {
                    // Stopping here would leave the router's CURVE sockets without authentication: carry on.
                    LOG.warn("ZAP handler at {}: thread interrupted; ignored, close() stops it", ENDPOINT);
                }
                try {
                    List<byte[]> frames = receive();
                    if (frames != null) {
                        handle(frames);
                    }
                } catch (ZMQException e) {
                    if (e.getErrorCode() == ZMQ.Error.ETERM.getCode()) {
                        why = "context terminated";
                        break;
                    }
                    malformed.incrementAndGet();
                    LOG.error("ZAP handler at {}: socket error {}; continuing", ENDPOINT, e.toString(), e);
                    pause();
                } catch (ClosedSelectorException e) {
                    // jeromq 0.6.0 throws this when the context is closed while a receive waits.
                    why = "context terminated";
                    break;
                } catch (RuntimeException e) {
                    malformed.incrementAndGet();
                    LOG.error("ZAP handler at {}: unexpected error handling a request; continuing", ENDPOINT, e);
                    pause();
                }
            }
        } finally {
            closeSocket();
            LOG.info("ZAP handler at {} stopped ({}): {} allowed, {} denied, {} malformed", ENDPOINT, why,
                    allowed.get(), denied.get(), malformed.get());
        }
    }

    /**
     * Stops answering and unbinds the ZAP socket; returns within about a second. Close the router's CURVE sockets
     * first (see the class comment). Idempotent.
     */
    @Override
    public void close() {
        int previous = state.getAndSet(CLOSED);
        if (previous == NEW) {
            closeSocket();
            LOG.info("ZAP handler at {} closed before it ran", ENDPOINT);
            return;
        }
        Thread thread = runner;
        if (previous == RUNNING && thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(CLOSE_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("ZAP handler at {} did not stop within {} ms", ENDPOINT, CLOSE_WAIT_MS);
            }
        }
    }

    /** True while the handler thread answers requests. */
    public boolean isRunning() {
        return state.get() == RUNNING;
    }

    /** Whether unknown CURVE keys are added to auth.json and accepted. */
    public boolean setupMode() {
        return setupMode;
    }

    /** Requests answered 200. */
    public long allowed() {
        return allowed.get();
    }

    /** Well-formed requests answered 400. */
    public long denied() {
        return denied.get();
    }

    /**
     * Requests that were not well-formed (answered 400 when they had a routing envelope), plus unexpected errors
     * while handling one.
     */
    public long malformed() {
        return malformed.get();
    }

    /** The counters by name, for statistics. */
    public Map<String, Long> counters() {
        return Map.of("allowed", allowed(), "denied", denied(), "malformed", malformed());
    }

    private List<byte[]> receive() {
        byte[] first = socket.recv(0);
        if (first == null) {
            return null; // receive timeout: look at the state again
        }
        List<byte[]> frames = new ArrayList<>(10);
        frames.add(first);
        int dropped = 0;
        while (socket.hasReceiveMore()) {
            byte[] frame = socket.recv(0);
            if (frames.size() < MAX_FRAMES) {
                frames.add(frame);
            } else {
                dropped++;
            }
        }
        if (dropped > 0) {
            LOG.warn("ZAP handler at {}: request with {} frames, {} dropped", ENDPOINT, frames.size() + dropped,
                    dropped);
        }
        return frames;
    }

    private void handle(List<byte[]> frames) {
        // vip-zmq.md §5.4: [zap-routing-id, '', '1.0', request_id, domain, address, identity, mechanism, creds...]
        if (frames.size() < 2 || frames.get(1).length != 0) {
            malformed.incrementAndGet();
            LOG.warn("ZAP handler at {}: malformed request ({} frames, no routing envelope); cannot answer it",
                    ENDPOINT, frames.size());
            return;
        }
        byte[] routingId = frames.get(0);
        byte[] requestId = frames.size() > 3 ? frames.get(3) : EMPTY;
        if (frames.size() < 8) {
            malformed(routingId, requestId, "only " + frames.size() + " frames, a request has at least 8", "?", "?");
            return;
        }
        String version = text(frames.get(2));
        String domain = text(frames.get(4));
        String address = text(frames.get(5));
        String identity = text(frames.get(6));
        String mechanism = text(frames.get(7));
        List<byte[]> credentials = frames.subList(8, frames.size());
        if (!version.equals("1.0")) {
            // VOLTTRON ignores other versions (§5.4); we answer everything (§8).
            malformed(routingId, requestId, "ZAP version '" + version + "', expected '1.0'", address, mechanism);
            return;
        }
        String credential;
        switch (mechanism) {
            case "CURVE" -> {
                if (credentials.size() != 1 || credentials.get(0).length != CurveKeys.KEY_BYTES) {
                    malformed(routingId, requestId, "CURVE credentials must be one 32-byte key", address, mechanism);
                    return;
                }
                credential = CurveKeys.encode(credentials.get(0)); // vip-zmq.md §5.2: matched in 43-char form
            }
            case "PLAIN" -> {
                if (credentials.size() != 2) {
                    malformed(routingId, requestId, "PLAIN credentials must be user name and password", address,
                            mechanism);
                    return;
                }
                credential = text(credentials.get(0)); // VOLTTRON matches the user name only
            }
            case "NULL" -> {
                if (!credentials.isEmpty()) {
                    malformed(routingId, requestId, "NULL requests carry no credentials", address, mechanism);
                    return;
                }
                credential = "";
            }
            default -> {
                malformed(routingId, requestId, "unknown mechanism '" + mechanism + "'", address, mechanism);
                return;
            }
        }
        if (!domain.equals(DOMAIN)) {
            denied.incrementAndGet();
            reply(routingId, requestId, "400", "FAIL", "");
            LOG.warn("ZAP: refused {} client from {} with credentials {}: domain '{}', vipgate serves domain '{}'"
                    + " only (answered 400)", mechanism, address, shown(mechanism, credential), domain, DOMAIN);
            return;
        }
        if ("CURVE".equals(mechanism) && credential.equals(platformKey)) {
            // the platform's own key: vipgate's commands on this machine (they read it from the keystore)
            accept(routingId, requestId, PLATFORM_USER, address, mechanism, credential, "the platform's own key");
            return;
        }
        AuthDecision decision = authFile.decide(domain, address, mechanism,
                mechanism.equals("NULL") ? null : credential);
        if (decision instanceof AuthDecision.Allowed ok) {
            accept(routingId, requestId, ok.userId(), address, mechanism, credential, "auth.json entry");
            return;
        }
        AuthDecision.Denied no = (AuthDecision.Denied) decision;
        if (setupMode && mechanism.equals("CURVE") && !no.byDenyEntry()) {
            if (!setupModeAccepts.test(credential)) {
                LOG.warn("ZAP: setup mode did not add CURVE client from {} with public key {}: it is not the serverkey"
                        + " of a platform of external_platform_discovery.json or external_address.json; set"
                        + " [vipgate] setup-mode-accept = any to add every key as VOLTTRON does", address, credential);
            } else if (addInSetupMode(routingId, requestId, domain, address, credential)) {
                return;
            }
        }
        refuse(routingId, requestId, no, domain, address, mechanism, credential, identity);
    }

    private boolean addInSetupMode(byte[] routingId, byte[] requestId, String domain, String address,
                                   String credential) {
        // vip-zmq.md §5.4: in setup mode an unknown credential is added to auth.json and accepted with 200.
        AuthEntry entry = new AuthEntry(domain, address, "CURVE", credential, UUID.randomUUID().toString(), null,
                List.of(), List.of(), Map.of(), Map.of(), SETUP_MODE_COMMENT, true);
        try {
            AuthEntry stored = authFile.addAllow(entry);
            LOG.warn("ZAP: setup mode added CURVE client from {} with public key {} to {} as user_id {}", address,
                    credential, authFile.file(), stored.userId());
            accept(routingId, requestId, stored.userId(), address, "CURVE", credential, "setup mode");
            return true;
        } catch (ConfigException e) {
            LOG.error("ZAP: setup mode cannot add CURVE client from {} with public key {}: {}; refusing it",
                    address, credential, e.getMessage());
            return false;
        }
    }

    private void accept(byte[] routingId, byte[] requestId, String userId, String address, String mechanism,
                        String credential, String why) {
        allowed.incrementAndGet();
        reply(routingId, requestId, "200", "SUCCESS", userId);
        LOG.info("ZAP: accepted {} client from {} with credentials {} as user_id {} ({})", mechanism, address,
                shown(mechanism, credential), userId, why);
    }

    private void refuse(byte[] routingId, byte[] requestId, AuthDecision.Denied no, String domain, String address,
                        String mechanism, String credential, String identity) {
        denied.incrementAndGet();
        if (no.byDenyEntry()) {
            reply(routingId, requestId, "400", "FAIL", ""); // vip-zmq.md §8: VOLTTRON never answers; we do, at once
            // VOLTTRON's denied list: refused on purpose, not shown as pending.
            LOG.debug("ZAP: refused {} client from {} with credentials {}: {} (answered 400)", mechanism, address,
                    shown(mechanism, credential), no.reason());
            return;
        }
        // Recorded before the answer, so that whoever sees the refusal also finds it pending.
        PendingAuthentications.Attempt attempt = pending.record(domain, address, mechanism, credential, identity);
        reply(routingId, requestId, "400", "FAIL", ""); // vip-zmq.md §8: VOLTTRON never answers; we do, at once
        if (isPowerOfTen(attempt.count())) {
            LOG.warn("ZAP: refused {} client from {} with credentials {} (attempt {}, answered 400): {}; to let it in,"
                            + " add {} to the allow list of {}, or run vipgate with --setup-mode", mechanism, address,
                    shown(mechanism, credential), attempt.count(), no.reason(), hint(mechanism, credential),
                    authFile.file());
        }
    }

    private void malformed(byte[] routingId, byte[] requestId, String problem, String address, String mechanism) {
        malformed.incrementAndGet();
        reply(routingId, requestId, "400", "FAIL", "");
        LOG.warn("ZAP: malformed request for a {} client from {}: {} (answered 400)", mechanism, address, problem);
    }

    private void reply(byte[] routingId, byte[] requestId, String status, String statusText, String userId) {
        // RFC 27 reply: ['1.0', request_id, status, text, user_id, metadata] behind the routing envelope.
        socket.sendMore(routingId);
        socket.sendMore(EMPTY);
        socket.sendMore("1.0");
        socket.sendMore(requestId);
        socket.sendMore(status);
        socket.sendMore(statusText);
        socket.sendMore(userId.getBytes(StandardCharsets.UTF_8));
        socket.send(EMPTY, 0);
    }

    private void closeSocket() {
        try {
            socket.close(); // also forgets it in the ZContext
        } catch (RuntimeException e) {
            LOG.debug("ZAP handler at {}: closing its socket after the context: {}", ENDPOINT, e.toString());
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(RECEIVE_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String shown(String mechanism, String credential) {
        return switch (mechanism) {
            case "CURVE" -> "public key " + credential;
            case "PLAIN" -> "user name '" + credential + "'";
            default -> "none";
        };
    }

    private static String hint(String mechanism, String credential) {
        return switch (mechanism) {
            case "CURVE", "PLAIN" -> "{\"mechanism\": \"" + mechanism + "\", \"credentials\": \"" + credential + "\"}";
            default -> "{\"mechanism\": \"NULL\"}";
        };
    }

    private static boolean isPowerOfTen(long n) {
        while (n >= 10 && n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }
}
