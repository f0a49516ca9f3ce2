package org.vipgate.it.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The ZeroMQ rows of {@code make bench}, each driven by the same Java generator against a minimal jeromq router
 * and against vipgate: forwarding between two agents, pubsub fan-out, publish cost against the number of
 * subscription prefixes, and many agents connecting at once.
 */
final class ZmqBench {

    /** Size of the ARGS frame of a forwarded message, as in the 256-byte VIP RPC frames. */
    static final int PAYLOAD = 256;
    /** Messages in flight between sender and receiver: below jeromq's default high-water mark of 1,000. */
    static final int WINDOW = 500;
    /** Deliveries in flight over all subscribers of a fan-out: bounds what the gateway queues at once. */
    static final int FAN_OUT_WINDOW = 20_000;
    private static final long TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(120);
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] VIP1 = bytes("VIP1");
    private static final byte[] PUBSUB = bytes("pubsub");
    private static final byte[] PUBLISH = bytes("publish");
    /** What a publisher's agent sends besides the topic: VOLTTRON's publish body with ~100 bytes of message. */
    static final String PUBLISH_BODY = "{\"bus\": \"\", \"headers\": {\"min_compatible_version\": \"3.0\", "
            + "\"max_compatible_version\": \"\"}, \"message\": {\"temperature\": 21.5, \"status\": \"ok\", "
            + "\"point\": \"campus/building/device/point\"}}";
    private static final AtomicInteger RUNS = new AtomicInteger();

    private ZmqBench() {
    }

    /**
     * A minimal VIP router in jeromq, the ceiling of the forwarding row: each {@code [sender, recipient, rest...]}
     * received goes out as {@code [recipient, sender, rest...]}, nothing parsed, nothing checked.
     */
    static final class RawRouter implements AutoCloseable {
        private final ZContext context = new ZContext(1);
        private final String endpoint;
        private final Thread thread;
        private volatile boolean running = true;

        RawRouter() {
            ZMQ.Socket socket = context.createSocket(SocketType.ROUTER);
            socket.setReceiveTimeOut(100);
            socket.bind("tcp://127.0.0.1:*");
            endpoint = socket.getLastEndpoint();
            thread = new Thread(() -> loop(socket), "bench-raw-router");
            thread.start();
        }

        String endpoint() {
            return endpoint;
        }

        private void loop(ZMQ.Socket socket) {
            List<byte[]> rest = new ArrayList<>(8);
            while (running) {
                byte[] sender = socket.recv(0);
                if (sender == null) {
                    continue;
                }
                rest.clear();
                while (socket.hasReceiveMore()) {
                    rest.add(socket.recv(0));
                }
                if (rest.isEmpty()) {
                    continue;
                }
                socket.send(rest.get(0), ZMQ.SNDMORE);
                socket.send(sender, rest.size() > 1 ? ZMQ.SNDMORE : 0);
                for (int i = 1; i < rest.size(); i++) {
                    socket.send(rest.get(i), i < rest.size() - 1 ? ZMQ.SNDMORE : 0);
                }
            }
            socket.close();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
            context.close();
        }
    }

    /**
     * One agent sends {@code messages} VIP messages ({@code [recipient, VIP1, '', 'm', 'bench', 256 bytes]}) to
     * another through the router at {@code endpoint}, at most {@link #WINDOW} in flight; latency from the send time
     * in the payload to arrival.
     */
    static Figures forward(String name, String endpoint, int messages) throws InterruptedException {
        try (Swarm pair = new Swarm(1)) {
            pair.connect("bench.fwd" + RUNS.incrementAndGet(), 2, endpoint);
            ZMQ.Socket a = pair.socket(0);
            ZMQ.Socket b = pair.socket(1);
            byte[] to = bytes(pair.identity(1));
            // vipgate knows a peer once it sent something (else the recipient is sought on RabbitMQ); a raw router
            // drops these, addressed to nobody
            pair.send(0, "", "VIP1", "", "hello", "hello", "hello");
            pair.send(1, "", "VIP1", "", "hello", "hello", "hello");
            awaitRoute(pair, to);
            long[] latencies = new long[messages];
            AtomicInteger received = new AtomicInteger();
            b.setReceiveTimeOut(100);
            Thread reader = new Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
                while (received.get() < messages && System.nanoTime() < deadline) {
                    byte[] first = b.recv(0);
                    if (first == null) {
                        continue;
                    }
                    List<byte[]> frames = new ArrayList<>(6);
                    frames.add(first);
                    while (b.hasReceiveMore()) {
                        frames.add(b.recv(0));
                    }
                    // view D at the receiver: [sender, VIP1, user, msg_id, subsystem, args]
                    if ("m".equals(Swarm.text(frames, 3)) && frames.size() > 5) {
                        int i = received.get();
                        latencies[i] = System.nanoTime() - ByteBuffer.wrap(frames.get(5)).getLong();
                        received.set(i + 1);
                    }
                }
            }, "bench-forward-reader");
            reader.start();
            byte[] m = bytes("m");
            byte[] subsystem = bytes("bench");
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                while (i - received.get() >= WINDOW) {
                    LockSupport.parkNanos(20_000);
                }
                byte[] payload = new byte[PAYLOAD];
                ByteBuffer.wrap(payload).putLong(System.nanoTime());
                a.send(to, ZMQ.SNDMORE);
                a.send(VIP1, ZMQ.SNDMORE);
                a.send(EMPTY, ZMQ.SNDMORE);
                a.send(m, ZMQ.SNDMORE);
                a.send(subsystem, ZMQ.SNDMORE);
                a.send(payload, 0);
            }
            reader.join(TIMEOUT_MILLIS);
            long nanos = System.nanoTime() - start;
            return Figures.of(name, received.get(), nanos, latencies, received.get());
        }
    }

    /** Sends probes from agent 0 to agent 1 until one arrives: both are connected and the router knows them. */
    private static void awaitRoute(Swarm pair, byte[] to) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            ZMQ.Socket a = pair.socket(0);
            a.send(to, ZMQ.SNDMORE);
            a.send(VIP1, ZMQ.SNDMORE);
            a.send(EMPTY, ZMQ.SNDMORE);
            a.send(bytes("probe"), ZMQ.SNDMORE);
            a.send(bytes("bench"), ZMQ.SNDMORE);
            a.send(bytes("probe"), 0);
            Thread.sleep(20);
            if (Swarm.receive(pair.socket(1)) != null) {
                Thread.sleep(100);
                while (Swarm.receive(pair.socket(1)) != null) {
                    // late probes
                }
                return;
            }
        }
        throw new AssertionError("no probe reached " + new String(to, StandardCharsets.UTF_8) + " within 20 s");
    }

    /**
     * {@code count} agents connect to vipgate at once and say hello; figures: agents per second and the time from
     * the start until each was welcomed. Agents are added to {@code swarm} and stay connected.
     */
    static Figures connectAgents(Swarm swarm, String endpoint, int count) {
        long start = System.nanoTime();
        int first = swarm.connect("bench.agent", count, endpoint);
        for (int i = first; i < first + count; i++) {
            swarm.send(i, "", "VIP1", "", "hello." + i, "hello", "hello");
        }
        boolean[] welcomed = new boolean[count];
        long[] latencies = new long[count];
        int[] n = {0};
        boolean all = swarm.drain(first, first + count, (agent, frames) -> {
            // [sender '', VIP1, user, msg_id, 'hello', 'welcome', version, router, peer]
            if ("welcome".equals(Swarm.text(frames, 5)) && !welcomed[agent - first]) {
                welcomed[agent - first] = true;
                latencies[n[0]++] = System.nanoTime() - start;
            }
        }, () -> n[0] == count, TIMEOUT_MILLIS);
        long nanos = System.nanoTime() - start;
        if (!all) {
            throw new AssertionError("only " + n[0] + " of " + count + " agents were welcomed within "
                    + TIMEOUT_MILLIS + " ms");
        }
        return Figures.of("vipgate " + count + " agents connect + hello", count, nanos, latencies, count);
    }

    /** Agents {@code [from, to)} of {@code swarm} subscribe to {@code prefixJson} (a JSON string or list). */
    static void subscribe(Swarm swarm, int from, int to, String prefixJson) {
        String body = "{\"prefix\": " + prefixJson + ", \"bus\": \"\", \"all_platforms\": false}";
        for (int i = from; i < to; i++) {
            swarm.send(i, "", "VIP1", "", "sub", "pubsub", "subscribe", body);
        }
        int[] answered = {0};
        List<String> errors = new ArrayList<>();
        boolean all = swarm.drain(from, to, (agent, frames) -> {
            if (!"sub".equals(Swarm.text(frames, 3))) {
                return;
            }
            answered[0]++;
            if (!"request_response".equals(Swarm.text(frames, 5))) {
                errors.add(swarm.identity(agent) + ": " + Swarm.text(frames, 5) + " " + Swarm.text(frames, 7));
            }
        }, () -> answered[0] == to - from, TIMEOUT_MILLIS);
        if (!all || !errors.isEmpty()) {
            throw new AssertionError("subscribe: " + answered[0] + " of " + (to - from) + " answered; errors "
                    + errors);
        }
    }

    /** Hands one publish, stamped with {@code System.nanoTime()} as its MSG_ID, to the router under test. */
    @FunctionalInterface
    interface Publisher {
        void publish(byte[] msgId);
    }

    /**
     * {@code publishes} publishes, each delivered to agents {@code [from, from + n)} of {@code swarm}; at most
     * {@link #FAN_OUT_WINDOW} deliveries (and at most {@link #WINDOW} per subscriber) in flight. Figures count
     * deliveries; latency from publish to each delivery.
     */
    static Figures fanOut(String name, Swarm swarm, int from, int n, int publishes, Publisher publisher)
            throws InterruptedException {
        long total = (long) publishes * n;
        long[] latencies = new long[(int) Math.min(total, 1_000_000)];
        AtomicLong delivered = new AtomicLong();
        Thread reader = new Thread(() -> swarm.drain(from, from + n, (agent, frames) -> {
            // [sender '', VIP1, user, msg_id, 'pubsub', 'publish', topic, body]
            if (!"publish".equals(Swarm.text(frames, 5))) {
                return;
            }
            long d = delivered.get();
            if (d < latencies.length) {
                latencies[(int) d] = System.nanoTime() - Long.parseLong(Swarm.text(frames, 3));
            }
            delivered.set(d + 1);
        }, () -> delivered.get() >= total, TIMEOUT_MILLIS), "bench-fan-out-reader");
        reader.start();
        int window = Math.max(1, Math.min(WINDOW, FAN_OUT_WINDOW / n));
        long start = System.nanoTime();
        for (int p = 0; p < publishes; p++) {
            while (p - delivered.get() / n >= window) {
                LockSupport.parkNanos(20_000);
            }
            publisher.publish(bytes(Long.toString(System.nanoTime())));
        }
        reader.join(TIMEOUT_MILLIS);
        long nanos = System.nanoTime() - start;
        int count = (int) Math.min(delivered.get(), latencies.length);
        return Figures.of(name, delivered.get(), nanos, latencies, count);
    }

    /** A publisher agent of vipgate: sends VIP publishes and reads (and drops) the router's answers. */
    static Publisher vipgatePublisher(ZMQ.Socket socket, String topic) {
        byte[] topicFrame = bytes(topic);
        byte[] body = bytes(PUBLISH_BODY);
        return msgId -> {
            sendFrames(socket, EMPTY, VIP1, EMPTY, msgId, PUBSUB, PUBLISH, topicFrame, body);
            while (Swarm.receive(socket) != null) {
                // request_response with the number of subscribers
            }
        };
    }

    /**
     * The raw counterpart: a jeromq ROUTER that sends each publish to every subscriber itself, in the frames vipgate
     * sends ({@code [id, '', VIP1, user, msg_id, pubsub, publish, topic, body]}).
     */
    static Publisher rawPublisher(ZMQ.Socket router, List<byte[]> subscribers, String topic) {
        byte[] topicFrame = bytes(topic);
        byte[] body = bytes("{\"sender\": \"bench.publisher\", " + PUBLISH_BODY.substring(1));
        return msgId -> {
            for (byte[] id : subscribers) {
                sendFrames(router, id, EMPTY, VIP1, EMPTY, msgId, PUBSUB, PUBLISH, topicFrame, body);
            }
        };
    }

    /** Waits until {@code router} heard a first message from each of agents {@code [from, to)}. */
    static void awaitRawPeers(ZMQ.Socket router, Swarm swarm, int from, int to) {
        for (int i = from; i < to; i++) {
            swarm.send(i, "here");
        }
        router.setReceiveTimeOut(20_000);
        for (int i = from; i < to; i++) {
            if (router.recv(0) == null) {
                throw new AssertionError("only " + (i - from) + " of " + (to - from) + " agents reached the raw router");
            }
            while (router.hasReceiveMore()) {
                router.recv(0);
            }
        }
    }

    /** One multi-frame message, the last frame ending it. */
    private static void sendFrames(ZMQ.Socket socket, byte[]... frames) {
        for (int i = 0; i < frames.length; i++) {
            socket.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
