package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.gateway.vip.CurveKeys;
import org.vipgate.gateway.zmq.auth.PlatformKeystore;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.vip.VipTestPeer;

/**
 * A libzmq client (Debian's python3-zmq, as VOLTTRON agents use) talks to vipgate over CURVE with keys in
 * VOLTTRON's 43-character form: hello, then an RPC-shaped message to a jeromq peer and its reply. A client whose
 * key is not in auth.json is refused at once, not left hanging (vip-zmq.md §5.4, §8).
 */
class LibzmqInteropTest {

    /** Debian's interpreter: the one python3-zmq is installed for (a python3 earlier on PATH may lack it). */
    private static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aLibzmqAgentSaysHelloAndCallsAJeromqPeerThroughVipgate() throws Exception {
        PlatformKeystore agent = PlatformKeystore.generate();
        PlatformKeystore responderKeys = PlatformKeystore.generate();
        Path home = zmqHome(List.of(entry(agent, "pyagent"), entry(responderKeys, "responder")));

        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home)))) {
            Gateway.Ready ready = gateway.start();
            String address = ready.vipAddresses().get(0);
            byte[] serverKey = CurveKeys.decode(ready.serverKey());
            assertThat(ready.serverKey()).hasSize(43);

            try (VipTestPeer responder = VipTestPeer.connect(address, "responder", serverKey,
                    responderKeys.publicKey(), responderKeys.secretKey())) {
                responder.hello(WAIT);
                CompletableFuture<VipTestPeer.Received> call = CompletableFuture.supplyAsync(() -> {
                    VipTestPeer.Received rpc = responder.expect(r -> "RPC".equals(r.subsystem()), WAIT.multipliedBy(2));
                    responder.send(rpc.sender(), "RPC", rpc.msgId(),
                            "{\"jsonrpc\": \"2.0\", \"id\": \"1716400000.87\", \"result\": \"caf\u00e9\"}");
                    return rpc;
                });

                JsonNode result = python(address, "pyagent", ready.serverKey(), agent, "rpc");

                assertThat(result.path("zmq").asText()).startsWith("4.");
                assertThat(texts(result.path("welcome"))).containsExactly("", "VIP1", "pyagent", "connect.hello.1",
                        "hello", "welcome", "1.0", gateway.vip().routerId(), "pyagent");
                VipTestPeer.Received rpc = call.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(rpc.sender()).isEqualTo("pyagent");
                assertThat(rpc.user()).isEqualTo("pyagent");
                assertThat(rpc.msgId()).isEqualTo("1716400000.87");
                assertThat(rpc.args().get(0)).contains("\"method\": \"echo\"").contains("caf\\u00e9");
                assertThat(texts(result.path("rpc_reply"))).containsExactly("responder", "VIP1", "responder",
                        "1716400000.87", "RPC", "{\"jsonrpc\": \"2.0\", \"id\": \"1716400000.87\", \"result\": \"caf\u00e9\"}");
            }
        }
    }

    @Test
    void aClientWhoseKeyIsNotInAuthJsonIsRefusedWithinSeconds() throws Exception {
        PlatformKeystore known = PlatformKeystore.generate();
        PlatformKeystore stranger = PlatformKeystore.generate();
        Path home = zmqHome(List.of(entry(known, "known")));

        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home)))) {
            Gateway.Ready ready = gateway.start();

            JsonNode result = python(ready.vipAddresses().get(0), "stranger", ready.serverKey(), stranger,
                    "refused");

            assertThat(result.path("refused").asBoolean()).as("libzmq saw the ZAP refusal: %s", result).isTrue();
            assertThat(result.path("status").asInt()).isEqualTo(400);
            assertThat(result.path("seconds").asDouble()).isLessThan(5.0);
            assertThat(gateway.vip().pending().list()).anySatisfy(attempt -> {
                assertThat(attempt.credentials()).isEqualTo(stranger.publicKeyText());
                assertThat(attempt.mechanism()).isEqualTo("CURVE");
            });
        }
    }

    private Path zmqHome(List<String> authEntries) throws IOException {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("config"), """
                [volttron]
                message-bus = zmq
                instance-name = zmqsite
                vip-address = tcp://127.0.0.1:%d
                """.formatted(FreePorts.next()));
        Files.writeString(home.resolve("auth.json"), "{\"allow\": [" + String.join(",", authEntries)
                + "], \"deny\": [], \"groups\": {}, \"roles\": {}, \"version\": {\"major\": 1, \"minor\": 4}}");
        return home;
    }

    /** vip-zmq.md §5.4: an auth.json allow entry as vctl writes it. */
    private static String entry(PlatformKeystore keys, String identity) {
        return """
                {"domain": null, "address": null, "mechanism": "CURVE", "credentials": "%s",
                 "user_id": "%s", "identity": "%s", "groups": [], "roles": [], "capabilities": {},
                 "comments": "test", "enabled": true}""".formatted(keys.publicKeyText(), identity, identity);
    }

    private JsonNode python(String address, String identity, String serverKey, PlatformKeystore keys, String mode)
            throws IOException, InterruptedException {
        Path script = dir.resolve("vip_client.py");
        try (InputStream in = LibzmqInteropTest.class.getResourceAsStream("/python/vip_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process process = new ProcessBuilder(PYTHON, script.toString(), address, identity, serverKey,
                keys.publicKeyText(), keys.secretKeyText(), mode).redirectErrorStream(false).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("python client finished").isTrue();
        String stderr = new String(err.join(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("python exit; stderr: %s", stderr).isZero();
        return JSON.readTree(out);
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return ("<stderr unreadable: " + e + ">").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
