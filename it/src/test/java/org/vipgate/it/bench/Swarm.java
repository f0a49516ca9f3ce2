package org.vipgate.it.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Many VIP agents in one process: plain DEALER sockets with identities {@code <prefix>.<i>}, sharing one ZeroMQ
 * context (a context per agent would cost the bench thousands of threads). Each socket is used by one thread at a
 * time: the caller, or the thread of {@link #drain}.
 */
final class Swarm implements AutoCloseable {

    /** Called for each message received by {@link #drain}: the socket's index and the message's frames. */
    @FunctionalInterface
    interface Receiver {
        void received(int agent, List<byte[]> frames);
    }

    private final ZContext context;
    private final List<ZMQ.Socket> sockets = new ArrayList<>();
    private final List<String> identities = new ArrayList<>();

    Swarm(int ioThreads) {
        context = new ZContext(ioThreads);
    }

    /** Adds {@code count} agents connected to {@code endpoint}; returns the index of the first. */
    int connect(String prefix, int count, String endpoint) {
        int first = sockets.size();
        for (int i = 0; i < count; i++) {
            String identity = prefix + "." + (first + i);
            ZMQ.Socket s = context.createSocket(SocketType.DEALER);
            s.setIdentity(identity.getBytes(StandardCharsets.UTF_8));
            s.setLinger(0);
            s.setHandshakeIvl(1_000);
            s.setRcvHWM(100_000);
            s.connect(endpoint);
            sockets.add(s);
            identities.add(identity);
        }
        return first;
    }

    int size() {
        return sockets.size();
    }

    String identity(int agent) {
        return identities.get(agent);
    }

    ZMQ.Socket socket(int agent) {
        return sockets.get(agent);
    }

    /** A bare socket of this context (a publisher, a raw ROUTER), closed with the swarm. */
    ZMQ.Socket createSocket(SocketType type) {
        return context.createSocket(type);
    }

    /** Sends one message of text frames (latin-1) from agent {@code agent}. */
    void send(int agent, String... frames) {
        ZMQ.Socket s = sockets.get(agent);
        for (int i = 0; i < frames.length; i++) {
            s.send(frames[i].getBytes(StandardCharsets.ISO_8859_1), i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /**
     * Receives from agents {@code [from, to)} until {@code done} says so or {@code timeoutMillis} passed; each message
     * goes to {@code receiver}. Returns false on time-out.
     */
    boolean drain(int from, int to, Receiver receiver, java.util.function.BooleanSupplier done, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        ZMQ.Poller poller = context.createPoller(to - from);
        try {
            for (int i = from; i < to; i++) {
                poller.register(sockets.get(i), ZMQ.Poller.POLLIN);
            }
            while (!done.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                if (poller.poll(50) <= 0) {
                    continue;
                }
                for (int i = 0; i < to - from; i++) {
                    if (poller.pollin(i)) {
                        ZMQ.Socket s = sockets.get(from + i);
                        List<byte[]> frames;
                        while ((frames = receive(s)) != null) {
                            receiver.received(from + i, frames);
                        }
                    }
                }
            }
            return true;
        } finally {
            poller.close();
        }
    }

    /** One whole message without waiting, or null when none is queued. */
    static List<byte[]> receive(ZMQ.Socket s) {
        byte[] first = s.recv(ZMQ.DONTWAIT);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(10);
        frames.add(first);
        while (s.hasReceiveMore()) {
            frames.add(s.recv(0));
        }
        return frames;
    }

    static String text(List<byte[]> frames, int i) {
        return i < frames.size() ? new String(frames.get(i), StandardCharsets.ISO_8859_1) : null;
    }

    @Override
    public void close() {
        context.close();
    }
}
