package org.vipgate.gateway.zmq.external;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.gateway.zmq.VipPlatform;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.vip.VipTestPeer;

/**
 * A peer posing as another platform's link ({@code instance.*}) sends 20,000 malformed {@code external_rpc} and
 * multi-platform {@code pubsub} requests (vip-zmq.md §4.3, §4.4, §8: VOLTTRON's router crashes on several of them).
 * Afterwards the router still answers, still carries a valid external call, and its counters saw the bad ones.
 */
class ExternalFuzzTest {

    private static final int MESSAGES = 20_000;
    private static final List<String> BODIES = List.of(
            "", "{", "[]", "null", "42", "\"text\"", "{}", "{\"to_platform\": 5}", "{\"to_platform\": \"\"}",
            "{\"to_platform\": \"Z\"}", "{\"to_platform\": \"Z\", \"to_peer\": []}",
            "{\"to_platform\": \"Z\", \"to_peer\": \"p\", \"args\": \"x\"}",
            "{\"to_platform\": \"A\", \"to_peer\": \"nobody\", \"args\": [1, {}, null]}",
            "{\"Z\": \"not a list\"}", "{\"Z\": [1, 2]}", "{\"A\": [\"own name\"]}", "{\"Z\": [\"devices\"]} trailing",
            "{\"sender\": 7}", "{\"bus\": [], \"headers\": 3, \"message\": {}}",
            "[".repeat(5_000) + "]".repeat(5_000), "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000));
    private static final List<String> OPS = List.of("send_platform", "send_peer", "external_list", "external_publish",
            "publish", "subscribe", "nonsense", "");

    @TempDir
    Path dir;

    @Test
    void malformedPlatformTrafficIsCountedAndTheRouterCarriesOn() throws Exception {
        String address = "tcp://127.0.0.1:" + FreePorts.next();
        VolttronHome home = new VolttronHome(dir);
        Files.writeString(home.configFile(), "[volttron]\ninstance-name = A\nvip-address = " + address
                + "\nmessage-bus = zmq\nallow-auth = false\n");
        try (VipPlatform a = VipPlatform.start(GatewayConfig.load(home), false, () -> { });
             VipTestPeer link = VipTestPeer.connect(address, "instance.Z.0.5");
             VipTestPeer local = VipTestPeer.connect(address, "local")) {
            link.hello(Duration.ofSeconds(5));
            local.hello(Duration.ofSeconds(5));
            Random random = new Random(7);
            for (int i = 0; i < MESSAGES; i++) {
                List<String> args = new ArrayList<>();
                int n = random.nextInt(4);
                for (int k = 0; k < n; k++) {
                    args.add(k == 0 ? OPS.get(random.nextInt(OPS.size())) : BODIES.get(random.nextInt(BODIES.size())));
                }
                VipTestPeer from = random.nextInt(4) == 0 ? local : link;
                from.send("", random.nextBoolean() ? "external_rpc" : "pubsub", "f-" + i, args.toArray(String[]::new));
            }

            // the router still answers, and a well-formed call still goes where it should
            Awaitility.await("the fuzz to be handled").atMost(Duration.ofSeconds(60))
                    .until(() -> counter(a, "external_rpc", "malformed") > 0 && link.hello(Duration.ofSeconds(5))
                            .args().get(0).equals("welcome"));
            link.send("", "external_rpc", "ok-1", "send_peer", "{\"to_platform\": \"A\", \"to_peer\": \"local\","
                    + " \"from_platform\": \"Z\", \"from_peer\": \"caller\", \"args\": [\"{}\"]}");
            VipTestPeer.Received call = local.expect(r -> "ok-1".equals(r.msgId()) && "send_peer".equals(r.arg(0)),
                    Duration.ofSeconds(10));
            assertThat(call.subsystem()).isEqualTo("external_rpc");
            assertThat(counter(a, "pubsub", "malformed")).as("malformed pubsub requests counted").isPositive();
        }
    }

    private static long counter(VipPlatform p, String group, String name) {
        Object counters = p.statistics().get(group);
        return counters instanceof Map<?, ?> m && m.get(name) instanceof Long n ? n : -1;
    }
}
