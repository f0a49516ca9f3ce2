package org.vipgate.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.NodeOptions;
import org.vipgate.testkit.PrivateNode;
import org.vipgate.testkit.vip.VipTestPeer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * {@code make bench}: in one run on one broker, the raw ceilings (amqp-client publish→consume with confirms, jeromq
 * DEALER↔ROUTER) and the same traffic through vipgate (ZMQ→AMQP, AMQP→ZMQ, RPC round trips). Prints a table with
 * msg/s, p50/p99 latency and the ratio to the AMQP ceiling; writes target/bench.json. Not part of make test.
 */
@Tag("bench")
class BenchmarkTest {

    private static final int MESSAGES = Integer.getInteger("bench.messages", 50_000);
    private static final int RPC_CALLS = Integer.getInteger("bench.rpc", 5_000);
    private static final int WINDOW = 2_000;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    /** Messages sent one at a time (each after the previous arrived): latency without queueing. */
    private static final int ONE_AT_A_TIME = Integer.getInteger("bench.single", 2_000);
    /** Below jeromq's default high-water mark of 1,000, past which a ROUTER drops replies. */
    private static final int ZMQ_WINDOW = 500;

    @TempDir
    Path dir;

    @Test
    void bench() throws Exception {
        List<Figures> results = new ArrayList<>();
        try (PrivateNode node = PrivateNode.start(NodeOptions.defaults());
             Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home(node))))) {
            Gateway.Ready ready = gateway.start();
            String vip = ready.vipAddresses().get(0);
            // warm-up of both paths (JIT, broker), not counted
            rawAmqp(node);
            zmqToAmqp(node, vip);
            // The ceiling and vipgate's ZMQ->AMQP alternate, ROUNDS times each, and the median of each is reported:
            // on two cores one run of either varies by a fifth from run to run.
            List<Figures> raw = new ArrayList<>();
            List<Figures> viaVipgate = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                raw.add(progress(rawAmqp(node)));
                viaVipgate.add(progress(zmqToAmqp(node, vip)));
            }
            results.add(median(raw));
            results.add(progress(rawZmq()));
            results.add(progress(rawAmqpOneAtATime(node)));
            results.add(median(viaVipgate));
            results.add(progress(zmqToAmqpOneAtATime(node, vip)));
            results.add(progress(amqpToZmq(node, vip)));
            results.add(progress(rpc(node, vip)));
        }
        report(results);
        assertThat(results).allMatch(f -> f.messages() > 0);
    }

    private static Figures median(List<Figures> runs) {
        List<Figures> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(Figures::rate));
        Figures m = sorted.get(sorted.size() / 2);
        return new Figures(m.name() + " (median of " + runs.size() + ")", m.messages(), m.seconds(), m.p50Micros(),
                m.p99Micros());
    }

    private static Figures progress(Figures f) {
        System.out.printf("bench: %-28s %10.0f msg/s  p50 %8.1f us  p99 %9.1f us%n", f.name(), f.rate(),
                f.p50Micros(), f.p99Micros());
        return f;
    }

    private Path home(PrivateNode node) throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("config"), "[volttron]\nmessage-bus = rmq\ninstance-name = v1\nallow-auth = false\n"
                + "vip-address = tcp://127.0.0.1:" + FreePorts.next() + "\n");
        Files.writeString(home.resolve("rabbitmq_config.yml"), "host: 127.0.0.1\namqp-port: " + node.amqpPort()
                + "\nmgmt-port: " + node.managementPort() + "\nvirtual-host: volttron\nuser: guest\npass: guest\n"
                + "ssl: false\n");
        return home;
    }

    private static Connection connect(PrivateNode node, String vhost) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(node.host());
        f.setPort(node.amqpPort());
        f.setUsername(node.username());
        f.setPassword(node.password());
        f.setVirtualHost(vhost);
        return f.newConnection("bench");
    }

    /** A consumer of one fresh queue bound to {@code key}; records latency from the nanoTime in the body. */
    private static final class Sink {
        final long[] latencies = new long[MESSAGES + 1];
        final AtomicInteger count = new AtomicInteger();
        final CountDownLatch done;
        final Semaphore arrived = new Semaphore(0);

        Sink(Channel ch, String exchange, String key, int expected, boolean jsonBody) throws Exception {
            done = new CountDownLatch(expected);
            String q = ch.queueDeclare("", false, true, true, null).getQueue();
            ch.queueBind(q, exchange, key);
            ch.basicQos(5_000);
            ch.basicConsume(q, false, (tag, d) -> {
                long sent = jsonBody ? Long.parseLong(new String(d.getBody(), StandardCharsets.UTF_8)
                        .replaceAll("[^0-9]", "")) : ByteBuffer.wrap(d.getBody()).getLong();
                int i = count.getAndIncrement();
                if (i < latencies.length) {
                    latencies[i] = System.nanoTime() - sent;
                }
                ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
                done.countDown();
                arrived.release();
            }, tag -> { });
        }
    }

    private Figures rawAmqp(PrivateNode node) throws Exception {
        try (Connection c = connect(node, "volttron"); Channel pub = c.createChannel();
             Channel sub = c.createChannel()) {
            // The same work for the broker as vipgate's: a message in VOLTTRON's format (vip-rabbitmq.md §1.4) on
            // the volttron exchange, with its alternate exchange and vipgate's bindings in place.
            Sink sink = new Sink(sub, "volttron", "v1.bench.raw", MESSAGES, true);
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().appId("v1.bench.rawpub")
                    .headers(Map.of("recipient", "v1.bench.raw", "proto", "VIP", "user", "bench.rawpub"))
                    .messageId("m").type("bench").contentType("application/json").userId(node.username()).build();
            pub.confirmSelect();
            AtomicLong confirmed = new AtomicLong();
            pub.addConfirmListener((seq, multiple) -> confirmed.set(seq), (seq, multiple) -> confirmed.set(seq));
            long start = System.nanoTime();
            for (int i = 1; i <= MESSAGES; i++) {
                while (i - confirmed.get() > WINDOW) {
                    Thread.onSpinWait();
                }
                pub.basicPublish("volttron", "v1.bench.raw", props,
                        ("[\"" + System.nanoTime() + "\"]").getBytes(StandardCharsets.UTF_8));
            }
            assertThat(sink.done.await(120, TimeUnit.SECONDS)).isTrue();
            return Figures.of("raw amqp-client (confirms)", MESSAGES, System.nanoTime() - start, sink.latencies,
                    Math.min(sink.count.get(), MESSAGES));
        }
    }

    private Figures rawAmqpOneAtATime(PrivateNode node) throws Exception {
        try (Connection c = connect(node, "/"); Channel pub = c.createChannel(); Channel sub = c.createChannel()) {
            pub.exchangeDeclare("bench1", "topic", false, true, null);
            Sink sink = new Sink(sub, "bench1", "k", ONE_AT_A_TIME, false);
            pub.confirmSelect();
            long start = System.nanoTime();
            for (int i = 1; i <= ONE_AT_A_TIME; i++) {
                pub.basicPublish("bench1", "k", null, ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
                awaitCount(sink, i);
            }
            return Figures.of("raw amqp-client one at a time", ONE_AT_A_TIME, System.nanoTime() - start,
                    sink.latencies, ONE_AT_A_TIME);
        }
    }

    private Figures zmqToAmqpOneAtATime(PrivateNode node, String vip) throws Exception {
        try (Connection c = connect(node, "volttron"); Channel sub = c.createChannel();
             VipTestPeer peer = VipTestPeer.connect(vip, "bench.single")) {
            Sink sink = new Sink(sub, "volttron", "v1.bench.single.sink", ONE_AT_A_TIME, true);
            peer.hello(Duration.ofSeconds(10));
            long start = System.nanoTime();
            for (int i = 1; i <= ONE_AT_A_TIME; i++) {
                peer.send("bench.single.sink", "bench", Integer.toString(i), Long.toString(System.nanoTime()));
                awaitCount(sink, i);
            }
            return Figures.of("vipgate ZMQ->AMQP one at a time", ONE_AT_A_TIME, System.nanoTime() - start,
                    sink.latencies, ONE_AT_A_TIME);
        }
    }

    /** Blocks (no spinning: on two cores a spinning sender would slow the path it measures). */
    private static void awaitCount(Sink sink, int n) throws InterruptedException {
        if (!sink.arrived.tryAcquire(10, TimeUnit.SECONDS)) {
            throw new AssertionError("message " + n + " did not arrive within 10 s");
        }
    }

    private Figures rawZmq() {
        try (ZContext ctx = new ZContext(1)) {
            ZMQ.Socket router = ctx.createSocket(SocketType.ROUTER);
            router.bind("tcp://127.0.0.1:*");
            ZMQ.Socket dealer = ctx.createSocket(SocketType.DEALER);
            dealer.setHandshakeIvl(1_000);
            dealer.connect(router.getLastEndpoint());
            long[] lat = new long[MESSAGES];
            Thread echo = new Thread(() -> {
                for (int i = 0; i < MESSAGES; i++) {
                    byte[] id = router.recv();
                    byte[] body = router.recv();
                    router.send(id, ZMQ.SNDMORE);
                    router.send(body);
                }
            });
            echo.start();
            long start = System.nanoTime();
            int received = 0;
            for (int i = 0; i < MESSAGES; i++) {
                dealer.send(ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
                while (i - received >= ZMQ_WINDOW) {
                    lat[received++] = System.nanoTime() - ByteBuffer.wrap(dealer.recv()).getLong();
                }
            }
            while (received < MESSAGES) {
                lat[received++] = System.nanoTime() - ByteBuffer.wrap(dealer.recv()).getLong();
            }
            return Figures.of("raw jeromq DEALER<->ROUTER", MESSAGES, System.nanoTime() - start, lat, received);
        }
    }

    private Figures zmqToAmqp(PrivateNode node, String vip) throws Exception {
        try (Connection c = connect(node, "volttron"); Channel sub = c.createChannel();
             VipTestPeer peer = VipTestPeer.connect(vip, "bench.zmq")) {
            Sink sink = new Sink(sub, "volttron", "v1.bench.sink", MESSAGES, true);
            peer.hello(Duration.ofSeconds(10));
            long start = System.nanoTime();
            int again = 0;
            for (int i = 0; i < MESSAGES; i++) {
                while (i - sink.count.get() > WINDOW) {
                    Thread.sleep(0, 100_000);
                }
                peer.send("bench.sink", "bench", Integer.toString(i), Long.toString(System.nanoTime()));
            }
            // back-pressure answers (error 11) are resent
            while (!sink.done.await(200, TimeUnit.MILLISECONDS)) {
                VipTestPeer.Received r = peer.receive(Duration.ofMillis(10));
                if (r != null && "error".equals(r.subsystem())) {
                    again++;
                    peer.send("bench.sink", "bench", r.msgId(), Long.toString(System.nanoTime()));
                }
                if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(180)) {
                    throw new AssertionError("zmq->amqp: only " + sink.count.get() + " of " + MESSAGES + " arrived");
                }
            }
            if (again > 0) {
                System.out.println("bench: zmq->amqp resent " + again + " message(s) answered with error 11");
            }
            return Figures.of("vipgate ZMQ->AMQP", MESSAGES, System.nanoTime() - start, sink.latencies,
                    Math.min(sink.count.get(), MESSAGES));
        }
    }

    private Figures amqpToZmq(PrivateNode node, String vip) throws Exception {
        try (Connection c = connect(node, "volttron"); Channel pub = c.createChannel();
             VipTestPeer peer = VipTestPeer.connect(vip, "bench.zsub")) {
            peer.hello(Duration.ofSeconds(10));
            Thread.sleep(500); // the binding for the new peer
            pub.confirmSelect();
            long[] lat = new long[MESSAGES];
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().appId("v1.bench.rmq").type("bench")
                    .headers(Map.of("user", "v1.bench.rmq")).build();
            AtomicInteger received = new AtomicInteger();
            Thread reader = new Thread(() -> {
                while (received.get() < MESSAGES) {
                    VipTestPeer.Received r = peer.receive(Duration.ofSeconds(30));
                    if (r == null) {
                        return;
                    }
                    int i = received.getAndIncrement();
                    lat[i] = System.nanoTime() - Long.parseLong(r.arg(0));
                }
            });
            long start = System.nanoTime();
            reader.start();
            for (int i = 0; i < MESSAGES; i++) {
                while (i - received.get() > WINDOW) {
                    Thread.sleep(0, 100_000);
                }
                pub.basicPublish("volttron", "v1.bench.zsub", props,
                        ("[\"" + System.nanoTime() + "\"]").getBytes(StandardCharsets.UTF_8));
            }
            reader.join(TimeUnit.SECONDS.toMillis(120));
            return Figures.of("vipgate AMQP->ZMQ", received.get(), System.nanoTime() - start, lat, received.get());
        }
    }

    private Figures rpc(PrivateNode node, String vip) throws Exception {
        try (Connection c = connect(node, "volttron"); Channel ch = c.createChannel();
             VipTestPeer caller = VipTestPeer.connect(vip, "bench.caller")) {
            String q = ch.queueDeclare("v1.bench.callee", false, true, true, null).getQueue();
            ch.queueBind(q, "volttron", q);
            ch.basicConsume(q, true, (tag, d) -> {
                AMQP.BasicProperties reply = new AMQP.BasicProperties.Builder().appId("v1.bench.callee")
                        .type("RPC").messageId(d.getProperties().getMessageId())
                        .headers(Map.of("user", "v1.bench.callee")).build();
                ch.basicPublish("volttron", "v1.bench.caller", reply, d.getBody());
            }, tag -> { });
            caller.hello(Duration.ofSeconds(10));
            Thread.sleep(500);
            long[] lat = new long[RPC_CALLS];
            long start = System.nanoTime();
            for (int i = 0; i < RPC_CALLS; i++) {
                long t = System.nanoTime();
                caller.send("bench.callee", "RPC", "c" + i, "{\"jsonrpc\": \"2.0\", \"method\": \"m\", \"id\": \"" + i + "\"}");
                String id = "c" + i;
                caller.expect(r -> id.equals(r.msgId()), Duration.ofSeconds(10));
                lat[i] = System.nanoTime() - t;
            }
            return Figures.of("vipgate RPC round trip", RPC_CALLS, System.nanoTime() - start, lat, RPC_CALLS);
        }
    }

    private static void report(List<Figures> results) throws Exception {
        double ceiling = results.get(0).rate();
        StringBuilder table = new StringBuilder("\n| path | messages | msg/s | p50 (us) | p99 (us) | ratio to AMQP ceiling |\n"
                + "|---|---|---|---|---|---|\n");
        List<Map<String, Object>> json = new ArrayList<>();
        for (Figures f : results) {
            table.append(String.format("| %s | %d | %.0f | %.1f | %.1f | %.2f |%n", f.name(), f.messages(), f.rate(),
                    f.p50Micros(), f.p99Micros(), f.rate() / ceiling));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.name());
            m.put("messages", f.messages());
            m.put("msg_per_s", Math.round(f.rate()));
            m.put("p50_us", f.p50Micros());
            m.put("p99_us", f.p99Micros());
            m.put("ratio_to_amqp_ceiling", Math.round(f.rate() / ceiling * 100) / 100.0);
            json.add(m);
        }
        System.out.println(table);
        Path out = Path.of(System.getProperty("vipgate.test.workdir", "target"), "bench.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(),
                Map.of("results", json, "machine", Runtime.getRuntime().availableProcessors() + " cores"));
        System.out.println("bench: figures written to " + out.toAbsolutePath());
    }
}
