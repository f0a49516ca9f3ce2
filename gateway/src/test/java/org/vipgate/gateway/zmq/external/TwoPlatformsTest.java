package org.vipgate.gateway.zmq.external;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.gateway.vip.CurveKeys;
import org.vipgate.gateway.zmq.VipPlatform;
import org.vipgate.gateway.zmq.auth.PlatformKeystore;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.vip.PlatformFiles;
import org.vipgate.testkit.vip.VipTestPeer;
import org.vipgate.testkit.vip.VipTestPeer.Received;

/**
 * Two vipgate platforms in one JVM, each with its own VOLTTRON_HOME and a discovery file naming the other
 * (vip-zmq.md §4.2–§4.4): external RPC both ways, pubsub across platforms, malformed requests.
 */
class TwoPlatformsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private VipPlatform a;
    private VipPlatform b;
    private String addressA;
    private String addressB;
    private PlatformKeystore agentKeys;

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** Starts A and B; with auth, each auth.json allows the other platform's key and the test agents' key. */
    private void startBoth(boolean auth) throws Exception {
        VolttronHome homeA = new VolttronHome(dir.resolve("a"));
        VolttronHome homeB = new VolttronHome(dir.resolve("b"));
        writeBoth(homeA, homeB, auth);
        a = VipPlatform.start(GatewayConfig.load(homeA), false, () -> { });
        open.add(a);
        b = VipPlatform.start(GatewayConfig.load(homeB), false, () -> { });
        open.add(b);
        waitFor(() -> "CONNECTED".equals(a.externalPlatforms().get("B"))
                && "CONNECTED".equals(b.externalPlatforms().get("A")), "both links CONNECTED");
    }

    /** The homes of A and B, each naming the other in its discovery file and allowing its key and the agents'. */
    private void writeBoth(VolttronHome homeA, VolttronHome homeB, boolean auth) throws Exception {
        addressA = "tcp://127.0.0.1:" + FreePorts.next();
        addressB = "tcp://127.0.0.1:" + FreePorts.next();
        PlatformKeystore keysA = PlatformKeystore.generate();
        PlatformKeystore keysB = PlatformKeystore.generate();
        agentKeys = PlatformKeystore.generate();
        write(homeA, "A", addressA, auth, keysA, "B", addressB, keysB);
        write(homeB, "B", addressB, auth, keysB, "A", addressA, keysA);
    }

    private void write(VolttronHome home, String name, String address, boolean auth, PlatformKeystore keys,
                       String other, String otherAddress, PlatformKeystore otherKeys) throws Exception {
        Files.createDirectories(home.root());
        Files.writeString(home.configFile(), "[volttron]\ninstance-name = " + name + "\nvip-address = " + address
                + "\nmessage-bus = zmq\nallow-auth = " + auth + "\n");
        PlatformFiles.keystore(home.root(), keys.publicKeyText(), keys.secretKeyText());
        PlatformFiles.authAllowing(home.root(), Map.of("platform-" + other, otherKeys.publicKeyText(), "agents",
                agentKeys.publicKeyText()));
        PlatformFiles.discovery(home.root(), other, otherAddress, otherKeys.publicKeyText());
    }

    private VipTestPeer agent(VipPlatform platform, String address, String identity) {
        VipTestPeer peer = platform.serverKey().isEmpty() ? VipTestPeer.connect(address, identity)
                : VipTestPeer.connect(address, identity, CurveKeys.decode(platform.serverKey()),
                        agentKeys.publicKey(), agentKeys.secretKey());
        open.add(peer);
        peer.hello(WAIT);
        return peer;
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        waitFor(condition, what, WAIT);
    }

    private static void waitFor(BooleanSupplier condition, String what, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static String call(String toPlatform, String toPeer, String fromPlatform, String fromPeer, String rpc) {
        return "{\"to_platform\": \"" + toPlatform + "\", \"to_peer\": \"" + toPeer + "\", \"from_platform\": \""
                + fromPlatform + "\", \"from_peer\": \"" + fromPeer + "\", \"args\": [" + JSON.valueToTree(rpc)
                + "]}";
    }

    private void rpcRoundTrip() throws Exception {
        VipTestPeer caller = agent(a, addressA, "caller");
        VipTestPeer callee = agent(b, addressB, "callee");
        String request = "{\"jsonrpc\": \"2.0\", \"method\": \"echo\", \"params\": [1], \"id\": \"7\"}";

        caller.send("", "external_rpc", "m-42", "send_platform", call("B", "callee", "", "", request));

        Received in = callee.expect("external_rpc", "m-42", WAIT);
        assertThat(in.sender()).as("VOLTTRON delivers with SENDER '' (vip-zmq.md §4.3)").isEmpty();
        assertThat(in.arg(0)).isEqualTo("send_peer");
        JsonNode body = JSON.readTree(in.arg(1));
        assertThat(body.path("from_platform").asText()).isEqualTo("A");
        assertThat(body.path("from_peer").asText()).isEqualTo("caller");
        assertThat(body.path("args").get(0).asText()).isEqualTo(request);

        String response = "{\"jsonrpc\": \"2.0\", \"result\": 1, \"id\": \"7\"}";
        callee.send("", "external_rpc", "m-42", "send_platform",
                call(body.path("from_platform").asText(), body.path("from_peer").asText(), "B", "callee", response));

        Received reply = caller.expect("external_rpc", "m-42", WAIT);
        assertThat(reply.arg(0)).isEqualTo("send_peer");
        JsonNode replyBody = JSON.readTree(reply.arg(1));
        assertThat(replyBody.path("from_platform").asText()).isEqualTo("B");
        assertThat(replyBody.path("from_peer").asText()).isEqualTo("callee");
        assertThat(replyBody.path("args").get(0).asText()).isEqualTo(response);
    }

    @Test
    void externalRpcGoesToTheOtherPlatformAndTheReplyComesBackWithoutAuth() throws Exception {
        startBoth(false);
        rpcRoundTrip();
        assertThat(a.statistics()).containsEntry("external_platforms", Map.of("B", "CONNECTED"));
    }

    @Test
    void externalRpcWithCurveAuthOnBothPlatforms() throws Exception {
        startBoth(true);
        rpcRoundTrip();
    }

    @Test
    void anAllPlatformsSubscriberOnAReceivesAPublishMadeOnB() throws Exception {
        startBoth(false);
        VipTestPeer listener = agent(a, addressA, "listener");
        VipTestPeer local = agent(b, addressB, "local");
        listener.send("", "pubsub", "s-1", "subscribe",
                "{\"prefix\": \"devices/\", \"bus\": \"\", \"all_platforms\": true}");
        listener.expect("pubsub", "s-1", WAIT);
        waitFor(() -> b.pubsub().externalSubscriptions().containsKey("A"), "B to learn A's prefixes");
        local.send("", "pubsub", "s-2", "subscribe", "{\"prefix\": \"devices/\", \"bus\": \"\"}");
        local.expect("pubsub", "s-2", WAIT);
        VipTestPeer driver = agent(b, addressB, "driver");

        driver.send("", "pubsub", "p-1", "publish", "devices/campus/all",
                "{\"bus\": \"\", \"headers\": {\"min_compatible_version\": \"3.0\"}, \"message\": {\"t\": 21}}");

        Received copy = listener.expect(r -> "pubsub".equals(r.subsystem()) && "publish".equals(r.arg(0)), WAIT);
        assertThat(copy.sender()).isEmpty();
        assertThat(copy.arg(1)).isEqualTo("devices/campus/all");
        JsonNode body = JSON.readTree(copy.arg(2));
        assertThat(body.path("sender").asText()).isEqualTo("driver");
        assertThat(body.path("message").path("t").asInt()).isEqualTo(21);
        Received localCopy = local.expect(r -> "pubsub".equals(r.subsystem()) && "publish".equals(r.arg(0)), WAIT);
        assertThat(localCopy.arg(1)).isEqualTo("devices/campus/all");
    }

    @Test
    void malformedExternalRpcIsCountedAndAnsweredAndTheRouterLives() throws Exception {
        startBoth(false);
        VipTestPeer caller = agent(a, addressA, "caller");

        caller.send("", "external_rpc", "bad-7", "send_platform"); // 7 frames
        assertError(caller.expect("error", "bad-7", WAIT), "-32602");
        caller.send("", "external_rpc", "bad-json", "send_platform", "{not json");
        assertError(caller.expect("error", "bad-json", WAIT), "-32602");
        caller.send("", "external_rpc", "bad-list", "send_platform", "[1, 2]");
        assertError(caller.expect("error", "bad-list", WAIT), "-32602");
        caller.send("", "external_rpc", "no-platform", "send_platform", "{\"to_peer\": \"x\", \"args\": []}");
        assertError(caller.expect("error", "no-platform", WAIT), "93");
        caller.send("", "external_rpc", "extra", "send_platform", call("B", "x", "", "", "{}"), "more");
        assertError(caller.expect("error", "extra", WAIT), "-32602");

        assertThat(caller.hello(WAIT).arg(0)).isEqualTo("welcome");
        @SuppressWarnings("unchecked")
        Map<String, Long> counters = (Map<String, Long>) a.statistics().get("external_rpc");
        assertThat(counters.get("malformed")).isEqualTo(5L);
    }

    @Test
    void anUnknownPlatformIsAnswered113() throws Exception {
        startBoth(false);
        VipTestPeer caller = agent(a, addressA, "caller");

        caller.send("", "external_rpc", "m-1", "send_platform", call("Z", "x", "", "", "{}"));

        Received error = caller.expect("error", "m-1", WAIT);
        assertError(error, "113");
        assertThat(error.arg(3)).isEqualTo("external_rpc");
    }

    @Test
    void aDisconnectedPlatformIsAnswered113AndItsStateShows() throws Exception {
        startBoth(false);
        VipTestPeer caller = agent(a, addressA, "caller");
        open.remove(b);
        b.close();
        waitFor(() -> "DISCONNECTED".equals(a.externalPlatforms().get("B")), "A to see B disconnected");

        caller.send("", "external_rpc", "m-2", "send_platform", call("B", "callee", "", "", "{}"));

        assertError(caller.expect("error", "m-2", WAIT), "113");
    }

    @Test
    void aPlatformThatRefusesOurKeyShowsRefusedAndJoinsOnceItsAuthJsonAllowsUs() throws Exception {
        VolttronHome homeA = new VolttronHome(dir.resolve("a"));
        VolttronHome homeB = new VolttronHome(dir.resolve("b"));
        writeBoth(homeA, homeB, true);
        String allowsA = Files.readString(homeB.authFile());
        Files.writeString(homeB.authFile(), "{\"allow\": []}"); // B does not know A yet
        b = VipPlatform.start(GatewayConfig.load(homeB), false, () -> { });
        open.add(b);
        a = VipPlatform.start(GatewayConfig.load(homeA), false, () -> { });
        open.add(a);
        waitFor(() -> "REFUSED".equals(a.externalPlatforms().get("B")), "A to see its key refused by B");

        Files.writeString(homeB.authFile(), allowsA); // the operator adds A's key (vctl auth add)
        waitFor(() -> "CONNECTED".equals(a.externalPlatforms().get("B"))
                && ((Map<?, ?>) b.statistics().get("zap")).get("allowed") instanceof Long n && n >= 1,
                "A's link to be accepted after the back-off");
    }

    @Test
    void entriesAddedToAndRemovedFromTheDiscoveryFileAreLinkedAndUnlinkedWhileRunning() throws Exception {
        startBoth(false);
        VolttronHome homeA = new VolttronHome(dir.resolve("a"));
        String withB = Files.readString(homeA.externalPlatformDiscoveryFile());
        Files.writeString(homeA.externalPlatformDiscoveryFile(), "{}");
        waitFor(() -> !a.externalPlatforms().containsKey("B"), "B to be unlinked",
                DiscoveryFileWatch.INTERVAL.multipliedBy(3));

        Files.writeString(homeA.externalPlatformDiscoveryFile(), withB);
        waitFor(() -> "CONNECTED".equals(a.externalPlatforms().get("B")), "B to be linked again",
                DiscoveryFileWatch.INTERVAL.multipliedBy(3));
        rpcRoundTrip();
    }

    @Test
    void sendPeerFromALocalAgentIsRefused() throws Exception {
        startBoth(false);
        VipTestPeer intruder = agent(a, addressA, "intruder");
        VipTestPeer victim = agent(a, addressA, "victim");

        intruder.send("", "external_rpc", "s-1", "send_peer", call("A", "victim", "B", "spoofed", "{}"));

        assertError(intruder.expect("error", "s-1", WAIT), "-32602");
        assertThat(victim.receive(Duration.ofMillis(300))).isNull();
    }

    private static void assertError(Received error, String errno) {
        assertThat(error.arg(0)).isEqualTo(errno);
        assertThat(error.arg(2)).isEmpty();
        assertThat(error.arg(3)).isEqualTo("external_rpc");
    }
}
