package org.vipgate.testkit.vip;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A scripted VIP peer over a jeromq DEALER, as a VOLTTRON agent connects (vip-zmq.md §1.1 view A to send,
 * view D to receive): for tests that check the router's wire behaviour frame by frame.
 */
public final class VipTestPeer implements AutoCloseable {

    /** What a peer receives (view D): SENDER, VIP1, USER_ID, MSG_ID, SUBSYSTEM, ARGS. */
    public record Received(List<byte[]> frames) {

        public String sender() {
            return text(0);
        }

        public String signature() {
            return text(1);
        }

        public String user() {
            return text(2);
        }

        public String msgId() {
            return text(3);
        }

        public String subsystem() {
            return text(4);
        }

        /** ARGS as text (latin-1). */
        public List<String> args() {
            List<String> args = new ArrayList<>();
            for (int i = 5; i < frames.size(); i++) {
                args.add(text(i));
            }
            return args;
        }

        /** ARGS frame {@code i} as text, or null when there is none. */
        public String arg(int i) {
            return text(5 + i);
        }

        /** ARGS frame {@code i} as raw bytes. */
        public byte[] rawArg(int i) {
            return frames.get(5 + i);
        }

        private String text(int i) {
            return i < frames.size() ? new String(frames.get(i), StandardCharsets.ISO_8859_1) : null;
        }

        @Override
        public String toString() {
            List<String> all = new ArrayList<>();
            frames.forEach(f -> all.add(new String(f, StandardCharsets.ISO_8859_1)));
            return all.toString();
        }
    }

    /** Handshake time-out of the peer's socket. */
    public static final int HANDSHAKE_MILLIS = 1_000;

    private final ZContext context;
    private final ZMQ.Socket socket;
    private final String identity;

    private VipTestPeer(ZContext context, ZMQ.Socket socket, String identity) {
        this.context = context;
        this.socket = socket;
        this.identity = identity;
    }

    /** Connects a plain (NULL mechanism) peer with this identity. */
    public static VipTestPeer connect(String address, String identity) {
        return connect(address, identity, null, null, null);
    }

    /**
     * Connects a CURVE peer: {@code serverKey}, {@code publicKey} and {@code secretKey} are raw 32-byte keys (null for
     * NULL mechanism).
     */
    public static VipTestPeer connect(String address, String identity, byte[] serverKey, byte[] publicKey,
                                      byte[] secretKey) {
        ZContext context = new ZContext(1);
        ZMQ.Socket socket = context.createSocket(SocketType.DEALER);
        socket.setIdentity(identity.getBytes(StandardCharsets.UTF_8));
        socket.setLinger(0);
        socket.setReceiveTimeOut(100);
        // jeromq 0.6.0 here sometimes misses the server's greeting and sits out the default 30 s handshake
        // time-out before reconnecting (seen about once in 15 connections); a short one retries at once.
        socket.setHandshakeIvl(HANDSHAKE_MILLIS);
        if (serverKey != null) {
            socket.setCurveServerKey(serverKey);
            socket.setCurvePublicKey(publicKey);
            socket.setCurveSecretKey(secretKey);
        }
        socket.connect(address);
        return new VipTestPeer(context, socket, identity);
    }

    public String identity() {
        return identity;
    }

    /** Sends {@code [recipient, VIP1, '', msgId, subsystem, args...]} with text frames (latin-1). */
    public void send(String recipient, String subsystem, String msgId, String... args) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(bytes(recipient));
        frames.add(bytes("VIP1"));
        frames.add(new byte[0]);
        frames.add(bytes(msgId));
        frames.add(bytes(subsystem));
        for (String a : args) {
            frames.add(bytes(a));
        }
        sendRaw(frames);
    }

    /** Sends these frames exactly, as one message. */
    public void sendRaw(List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    public void sendRaw(byte[]... frames) {
        sendRaw(Arrays.asList(frames));
    }

    /** The next message, waiting at most {@code timeout}; null when none came. */
    public Received receive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            byte[] first = socket.recv(0);
            if (first == null) {
                continue;
            }
            List<byte[]> frames = new ArrayList<>();
            frames.add(first);
            while (socket.hasReceiveMore()) {
                frames.add(socket.recv(0));
            }
            return new Received(frames);
        }
        return null;
    }

    /** The next message that matches, skipping others; fails with what was seen when none comes in time. */
    public Received expect(Predicate<Received> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Received> skipped = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Received r = receive(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (r == null) {
                break;
            }
            if (match.test(r)) {
                return r;
            }
            skipped.add(r);
        }
        throw new AssertionError(identity + ": no matching message within " + timeout + "; received " + skipped);
    }

    /** The next message with this subsystem and MSG_ID. */
    public Received expect(String subsystem, String msgId, Duration timeout) {
        return expect(r -> subsystem.equals(r.subsystem()) && msgId.equals(r.msgId()), timeout);
    }

    /** Says hello and waits for welcome, as an agent does on connect (vip-zmq.md §7.3). */
    public Received hello(Duration timeout) {
        String msgId = "connect.hello." + System.nanoTime();
        send("", "hello", msgId, "hello");
        return expect("hello", msgId, timeout);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        context.close();
    }
}
