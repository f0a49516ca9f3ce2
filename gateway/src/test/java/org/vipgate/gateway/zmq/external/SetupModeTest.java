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
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.cli.CliRun;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.gateway.vip.CurveKeys;
import org.vipgate.gateway.zmq.auth.PlatformKeystore;
import org.vipgate.gateway.zmq.auth.ZapHandler;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.vip.VipTestPeer;
import org.vipgate.testkit.vip.VipTestPeer.Received;

/**
 * Two vipgate ZeroMQ platforms, each with its own VOLTTRON_HOME and the other's web address in
 * {@code external_address.json} (certs-csr-discovery.md §3.2, §3.3): setup mode fills both discovery files and both
 * auth.json files, B is not up when A first asks for it, and a restart in normal mode links them with the stored
 * files; then external RPC and all_platforms pubsub cross between them (vip-zmq.md §4.3, §4.4).
 */
class SetupModeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final PlatformKeystore agentKeys = PlatformKeystore.generate();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private record Site(String name, VolttronHome home, String vipAddress, String webAddress) {
    }

    private Site site(String name) throws Exception {
        Site s = new Site(name, new VolttronHome(dir.resolve(name)), "tcp://127.0.0.1:" + FreePorts.next(),
                "http://127.0.0.1:" + FreePorts.next());
        Files.createDirectories(s.home().root());
        Files.writeString(s.home().configFile(), "[volttron]\ninstance-name = " + s.name() + "\nvip-address = "
                + s.vipAddress() + "\nbind-web-address = " + s.webAddress() + "\nmessage-bus = zmq\n");
        // an operator's own entry for the test agents: setup mode must keep it
        Files.writeString(s.home().authFile(), "{\"allow\": [{\"credentials\": \"" + agentKeys.publicKeyText()
                + "\", \"user_id\": \"agents\", \"comments\": \"test agents\"}]}");
        return s;
    }

    private Gateway start(Site s, boolean setupMode) throws Exception {
        Gateway g = new Gateway(GatewayConfig.load(s.home()), setupMode, () -> { });
        open.add(g);
        g.start();
        return g;
    }

    @Test
    void setupModeExchangesKeysAndANormalRestartLinksThePlatforms() throws Exception {
        Site a = site("A");
        Site b = site("B");
        Files.writeString(a.home().externalAddressFile(), "[\"" + b.webAddress() + "\"]");
        Files.writeString(b.home().externalAddressFile(), "[\"" + a.webAddress() + "/\", \"" + b.webAddress()
                + "\"]"); // B's own address is skipped (§3.2)

        Gateway ga = start(a, true);
        // B is down: A's discovery fails, is reported and retried
        await("A to report B's address as failed").until(() -> "failed".equals(discoveryState(ga, b.webAddress())));
        Gateway gb = start(b, true);
        await("both links CONNECTED in setup mode")
                .until(() -> "CONNECTED".equals(ga.vip().externalPlatforms().get("B"))
                && "CONNECTED".equals(gb.vip().externalPlatforms().get("A")));
        await("both auth.json files to hold the other platform's key")
                .until(() -> allowed(a, gb.vip().serverKey()) && allowed(b, ga.vip().serverKey()));

        // unlike VOLTTRON, setup mode adds only the keys of the platforms discovered: a stranger stays out
        PlatformKeystore stranger = PlatformKeystore.generate();
        long deniedBefore = zapDenied(ga);
        try (VipTestPeer intruder = VipTestPeer.connect(a.vipAddress(), "intruder",
                CurveKeys.decode(ga.vip().serverKey()), stranger.publicKey(), stranger.secretKey())) {
            intruder.send("", "hello", "h-1", "hello");
            await("the stranger to be refused").until(() -> zapDenied(ga) > deniedBefore);
            assertThat(intruder.receive(Duration.ofMillis(300))).isNull();
        }
        assertThat(entryFor(a, stranger.publicKeyText())).isNull();

        JsonNode discoveredByA = JSON.readTree(a.home().externalPlatformDiscoveryFile().toFile());
        assertThat(discoveredByA.path("B").path("instance-name").asText()).isEqualTo("B");
        assertThat(discoveredByA.path("B").path("vip-address").asText()).isEqualTo(b.vipAddress());
        assertThat(discoveredByA.path("B").path("serverkey").asText()).isEqualTo(gb.vip().serverKey());
        JsonNode discoveredByB = JSON.readTree(b.home().externalPlatformDiscoveryFile().toFile());
        assertThat(discoveredByB.fieldNames()).toIterable().containsExactly("A");
        assertThat(discoveredByB.path("A").path("serverkey").asText()).isEqualTo(ga.vip().serverKey());
        JsonNode entry = entryFor(a, gb.vip().serverKey());
        assertThat(entry.path("comments").asText()).isEqualTo(ZapHandler.SETUP_MODE_COMMENT);
        assertThat(entry.path("mechanism").asText()).isEqualTo("CURVE");
        assertThat(entryFor(a, agentKeys.publicKeyText()).path("comments").asText()).isEqualTo("test agents");
        String keyA = ga.vip().serverKey();
        String keyB = gb.vip().serverKey();

        gb.close();
        ga.close();
        // normal mode, and no more discovery: only the stored files
        Files.delete(a.home().externalAddressFile());
        Files.delete(b.home().externalAddressFile());
        Gateway na = start(a, false);
        Gateway nb = start(b, false);
        assertThat(na.vip().serverKey()).isEqualTo(keyA);
        assertThat(nb.vip().serverKey()).isEqualTo(keyB);
        await("both links CONNECTED in normal mode")
                .until(() -> "CONNECTED".equals(na.vip().externalPlatforms().get("B"))
                && "CONNECTED".equals(nb.vip().externalPlatforms().get("A")));

        // `vipgate platforms` lists B with its state once the gateway has written its statistics
        await("vipgate platforms to exit 0").until(() -> platformsCommand(a).startsWith("0\n"));
        assertThat(platformsCommand(a)).containsPattern("B +" + b.vipAddress().replace(".", "\\.") + " +CONNECTED");

        VipTestPeer caller = agent(na, a, "caller");
        VipTestPeer callee = agent(nb, b, "callee");
        String request = "{\"jsonrpc\": \"2.0\", \"method\": \"echo\", \"params\": [1], \"id\": \"7\"}";
        caller.send("", "external_rpc", "m-1", "send_platform", body("B", "callee", "", "", request));
        Received in = callee.expect("external_rpc", "m-1", WAIT);
        JsonNode call = JSON.readTree(in.arg(1));
        assertThat(call.path("from_platform").asText()).isEqualTo("A");
        String response = "{\"jsonrpc\": \"2.0\", \"result\": 1, \"id\": \"7\"}";
        callee.send("", "external_rpc", "m-1", "send_platform", body("A", "caller", "B", "callee", response));
        Received reply = caller.expect("external_rpc", "m-1", WAIT);
        assertThat(JSON.readTree(reply.arg(1)).path("args").get(0).asText()).isEqualTo(response);

        // vip-zmq.md §4.4: an all_platforms subscriber on A receives a publish made on B
        caller.send("", "pubsub", "s-1", "subscribe", "{\"prefix\": \"devices/campus\", \"bus\": \"\","
                + " \"all_platforms\": true}");
        caller.expect("pubsub", "s-1", WAIT);
        await("B to learn A's prefixes").until(() -> nb.vip().pubsub().externalSubscriptions().containsKey("A"));
        callee.send("", "pubsub", "p-1", "publish", "devices/campus/b1/all",
                "{\"bus\": \"\", \"headers\": {}, \"message\": 21.5}");
        Received published = caller.expect(r -> "publish".equals(r.arg(0)), WAIT);
        assertThat(published.arg(1)).isEqualTo("devices/campus/b1/all");
        assertThat(JSON.readTree(published.arg(2)).path("sender").asText()).isEqualTo("callee");
        assertThat(JSON.readTree(published.arg(2)).path("message").asDouble()).isEqualTo(21.5);

        na.close();
        assertThat(platformsCommand(a)).as("a stopped gateway's last states are not a healthy link").startsWith("1\n");
    }

    /** {@code vipgate platforms --home <a>}: the exit code, a newline, then what it printed. */
    private static String platformsCommand(Site s) {
        CliRun run = CliRun.of("platforms", "--home", s.home().root().toString());
        return run.exitCode() + "\n" + run.out();
    }

    private static String body(String toPlatform, String toPeer, String fromPlatform, String fromPeer, String rpc) {
        return "{\"to_platform\": \"" + toPlatform + "\", \"to_peer\": \"" + toPeer + "\", \"from_platform\": \""
                + fromPlatform + "\", \"from_peer\": \"" + fromPeer + "\", \"args\": [" + JSON.valueToTree(rpc)
                + "]}";
    }

    private VipTestPeer agent(Gateway g, Site s, String identity) {
        VipTestPeer peer = VipTestPeer.connect(s.vipAddress(), identity, CurveKeys.decode(g.vip().serverKey()),
                agentKeys.publicKey(), agentKeys.secretKey());
        open.add(peer);
        peer.hello(WAIT);
        return peer;
    }

    private static boolean allowed(Site s, String key) {
        try {
            return entryFor(s, key) != null;
        } catch (Exception e) {
            return false; // being rewritten: look again
        }
    }

    private static JsonNode entryFor(Site s, String key) throws Exception {
        for (JsonNode e : JSON.readTree(s.home().authFile().toFile()).path("allow")) {
            if (key.equals(e.path("credentials").asText())) {
                return e;
            }
        }
        return null;
    }

    /** Where discovery of {@code address} stands in the gateway's statistics, or null. */
    private static String discoveryState(Gateway g, String address) {
        Object discovery = g.vip().statistics().get("discovery");
        if (discovery instanceof Map<?, ?> d && d.get("addresses") instanceof List<?> addresses) {
            for (Object a : addresses) {
                if (a instanceof Map<?, ?> m && address.equals(m.get("address"))) {
                    return String.valueOf(m.get("state"));
                }
            }
        }
        return null;
    }

    /** How many CURVE clients the gateway's ZAP handler refused. */
    private static long zapDenied(Gateway g) {
        return ((Map<?, ?>) g.vip().statistics().get("zap")).get("denied") instanceof Long n ? n : -1;
    }

    /** Awaitility, polling every 50 ms for at most {@link #WAIT}; {@code what} names the condition on failure. */
    private static ConditionFactory await(String what) {
        return Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(50));
    }
}
