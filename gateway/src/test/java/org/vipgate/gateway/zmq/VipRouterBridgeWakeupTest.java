package org.vipgate.gateway.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vipgate.gateway.services.HostedPeers;
import org.vipgate.gateway.vip.VipCodec;
import org.vipgate.gateway.vip.VipMessage;
import org.vipgate.gateway.vip.VipOutbox;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.vip.VipTestPeer;
import org.vipgate.testkit.vip.VipTestPeer.Received;
import org.zeromq.ZContext;

/**
 * Messages the other bus hands to the router reach their ZMQ peer without waiting for the router's poll time-out:
 * the router here polls once an hour, so a message that waited for it would never arrive within the test.
 */
class VipRouterBridgeWakeupTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ZContext context = new ZContext(1);
    private final String address = "tcp://127.0.0.1:" + FreePorts.next();
    private final FakeBridge bridge = new FakeBridge();
    private final List<VipTestPeer> peers = new ArrayList<>();
    private final VipRouter router;

    VipRouterBridgeWakeupTest() {
        RouterOptions defaults = RouterOptions.insecure(List.of(address));
        RouterOptions options = new RouterOptions(defaults.addresses(), defaults.curveSecretKey(),
                defaults.highWaterMark(), defaults.limits(), Duration.ofHours(1));
        PlatformInfo info = new PlatformInfo("site1", "FSG7LHhy3v8tdNz3gK35G6-oxUcyln54pYRKu5fBJzU",
                "https://site1:8443", "zmq", Map.of());
        router = new VipRouter(context, options, info, new RouterStats(), Map.of(), List.of(), () -> { },
                HostedPeers.none());
        router.bridge(bridge, false);
        router.start();
    }

    @AfterEach
    void close() {
        peers.forEach(VipTestPeer::close);
        router.close();
        context.close();
        bridge.close();
    }

    private VipTestPeer peer(String identity) {
        VipTestPeer p = VipTestPeer.connect(address, identity);
        peers.add(p);
        p.hello(WAIT);
        return p;
    }

    @Test
    void messagesHandedOverWhileTheRouterIdlesAreDeliveredInOrderBeyondOneDrain() {
        VipTestPeer z = peer("z");
        int count = 2_500; // more than one drain of the bridge takes (1,000)
        for (int i = 0; i < count; i++) {
            bridge.handOver("rmq.agent", "z", "m" + i);
        }
        for (int i = 0; i < count; i++) {
            Received r = z.expect(m -> "RPC".equals(m.subsystem()), WAIT);
            assertThat(r.sender()).isEqualTo("rmq.agent");
            assertThat(r.msgId()).isEqualTo("m" + i);
        }
    }

    @Test
    void messagesHandedOverWhileZmqTrafficKeepsTheRouterBusyAreDelivered() throws Exception {
        VipTestPeer z = peer("z");
        VipTestPeer x = peer("x");
        VipTestPeer y = peer("y");
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread chatter = new Thread(() -> {
            for (int i = 0; sending.get() && i < 200_000; i++) {
                x.send("y", "RPC", "c" + i, "payload");
                if (i % 200 == 0) {
                    while (y.receive(Duration.ofMillis(1)) != null) {
                        // keep y's queue short
                    }
                }
            }
        }, "chatter");
        chatter.start();
        try {
            for (int i = 0; i < 50; i++) {
                bridge.handOver("rmq.agent", "z", "b" + i);
                assertThat(z.expect(m -> "RPC".equals(m.subsystem()), WAIT).msgId()).isEqualTo("b" + i);
            }
        } finally {
            sending.set(false);
            chatter.join(10_000);
        }
    }

    /** The other bus as the router sees it: a queue and a wake-up pipe, one byte per batch as the real bridge. */
    private static final class FakeBridge implements Bridge {
        private final ConcurrentLinkedQueue<VipMessage> inbound = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean pending = new AtomicBoolean();
        private final Pipe pipe;

        FakeBridge() {
            try {
                pipe = Pipe.open();
                pipe.source().configureBlocking(false);
                pipe.sink().configureBlocking(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void handOver(String from, String to, String msgId) {
            inbound.add(new VipMessage(f(from), f(to), f(from), f(msgId), f("RPC"), List.of(f("call"))));
            signal();
        }

        private void signal() {
            if (pending.compareAndSet(false, true)) {
                try {
                    pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public Outcome toOtherBus(VipMessage message) {
            return Outcome.REJECTED;
        }

        @Override
        public Outcome toOtherBus(VipMessage message, String senderPlatform) {
            return Outcome.REJECTED;
        }

        @Override
        public SelectableChannel wakeup() {
            return pipe.source();
        }

        @Override
        public void deliver(VipOutbox out, int max) {
            // as WakeSignal.clear: drain first, then reset the flag (the other order can swallow a hand-over's byte)
            try {
                ByteBuffer sink = ByteBuffer.allocate(64);
                while (pipe.source().read(sink) > 0) {
                    sink.clear();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            pending.set(false);
            for (int i = 0; i < max; i++) {
                VipMessage m = inbound.poll();
                if (m == null) {
                    return;
                }
                out.send(VipCodec.relay(m));
            }
            if (!inbound.isEmpty()) {
                signal();
            }
        }

        @Override
        public void peerAdded(String identity) {
        }

        @Override
        public void peerDropped(String identity) {
        }

        void close() {
            try {
                pipe.source().close();
                pipe.sink().close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static byte[] f(String text) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
