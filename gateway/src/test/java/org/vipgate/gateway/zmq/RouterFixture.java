package org.vipgate.gateway.zmq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.vip.VipTestPeer;
import org.zeromq.ZContext;

/** A VIP router on a free loopback port, without authentication, and the peers a test connects to it. */
final class RouterFixture implements AutoCloseable {

    final ZContext context = new ZContext(1);
    final RouterStats stats = new RouterStats();
    final AtomicInteger quits = new AtomicInteger();
    final VipRouter router;
    final String address;
    private final List<VipTestPeer> peers = new ArrayList<>();

    RouterFixture(Map<String, SubsystemHandler> services) {
        this(services, null);
    }

    /** With these bounds (null: the defaults). */
    RouterFixture(Map<String, SubsystemHandler> services, org.vipgate.gateway.vip.VipCodec.Limits limits) {
        this(services, limits, List.of());
    }

    RouterFixture(Map<String, SubsystemHandler> services, org.vipgate.gateway.vip.VipCodec.Limits limits,
                  List<java.util.function.Consumer<String>> dropListeners) {
        this(services, limits, dropListeners, org.vipgate.gateway.services.HostedPeers.none());
    }

    RouterFixture(Map<String, SubsystemHandler> services, org.vipgate.gateway.vip.VipCodec.Limits limits,
                  List<java.util.function.Consumer<String>> dropListeners,
                  org.vipgate.gateway.services.HostedPeers hosted) {
        address = "tcp://127.0.0.1:" + FreePorts.next();
        RouterOptions defaults = RouterOptions.insecure(List.of(address));
        RouterOptions options = limits == null ? defaults : new RouterOptions(defaults.addresses(),
                defaults.curveSecretKey(), defaults.highWaterMark(), limits, defaults.pollInterval());
        PlatformInfo info = new PlatformInfo("site1", "FSG7LHhy3v8tdNz3gK35G6-oxUcyln54pYRKu5fBJzU",
                "https://site1:8443", "zmq", Map.of("volttron-central-address", "https://vc:8443"));
        router = new VipRouter(context, options, info, stats, services, dropListeners,
                quits::incrementAndGet, hosted);
        router.start();
    }

    RouterFixture() {
        this(Map.of());
    }

    VipTestPeer peer(String identity) {
        VipTestPeer peer = VipTestPeer.connect(address, identity);
        peers.add(peer);
        return peer;
    }

    @Override
    public void close() {
        peers.forEach(VipTestPeer::close);
        router.close();
        context.close();
    }
}
