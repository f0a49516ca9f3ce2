package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.zmq.auth.PlatformKeystore;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.vip.PlatformFiles;

/**
 * The VOLTTRON-like Python agent ({@link PythonAgent}) against {@code vipgate run} on a ZeroMQ-only site with CURVE:
 * two agents call each other through vipgate, and a call to a peer that is not there shows how a VOLTTRON client
 * loses the router's error when the msg-id comes back unquoted (docs/protocol/platform-services.md section 4).
 */
class PythonAgentTest {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final PlatformKeystore platform = PlatformKeystore.generate();
    private final PlatformKeystore aliceKeys = PlatformKeystore.generate();
    private final PlatformKeystore bobKeys = PlatformKeystore.generate();
    private VipgateProcess vipgate;
    private String address;

    @BeforeEach
    void startVipgate() throws Exception {
        address = "tcp://127.0.0.1:" + FreePorts.next();
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("config"), """
                [volttron]
                message-bus = zmq
                instance-name = pysite
                vip-address = %s
                """.formatted(address));
        PlatformFiles.keystore(home, platform.publicKeyText(), platform.secretKeyText());
        writeAuth(home, Map.of("alice", aliceKeys, "bob", bobKeys));
        vipgate = VipgateProcess.start("run", "--home", home.toString());
        vipgate.awaitLine("vipgate ready", START);
    }

    @AfterEach
    void stopVipgate() throws Exception {
        if (vipgate != null) {
            vipgate.close();
        }
    }

    private PythonAgent agent(String identity, PlatformKeystore keys, PythonAgent.Option... options)
            throws IOException {
        PythonAgent agent = PythonAgent.start(address, identity, platform.publicKeyText(), keys, options);
        agent.awaitEvent("welcome", WAIT);
        return agent;
    }

    @Test
    void oneAgentCallsAnExportOfAnotherThroughVipgate() throws Exception {
        try (PythonAgent bob = agent("bob", bobKeys, PythonAgent.Option.NO_CONFIG);
             PythonAgent alice = agent("alice", aliceKeys, PythonAgent.Option.NO_CONFIG)) {
            bob.awaitEvent(e -> "peerlist".equals(e.path("event").asText()) && "add".equals(e.path("op").asText())
                    && "alice".equals(e.path("peer").asText()), WAIT);

            JsonNode done = alice.call("bob", "echo", List.of("caf\u00e9 \u2713"), Map.of());

            assertThat(done.path("result").asText()).as("call_done: %s", done).isEqualTo("caf\u00e9 \u2713");
            JsonNode request = bob.awaitEvent("rpc_request", WAIT);
            assertThat(request.path("method").asText()).isEqualTo("echo");
            assertThat(request.path("peer").asText()).isEqualTo("alice");
            assertThat(request.path("user").asText()).as("USER frame = the sender's identity").isEqualTo("alice");
            assertThat(request.path("msg_id").isDouble()).as("a VOLTTRON msg-id decodes as a float: %s", request)
                    .isTrue();

            JsonNode missing = alice.call("bob", "no_such_method", List.of(), Map.of());
            assertThat(missing.path("error").path("code").asInt()).isEqualTo(-32601);
            assertThat(missing.path("error").path("data").path("detail").asText())
                    .isEqualTo("method 'no_such_method' is not implemented");

            alice.send(Map.of("cmd", "peerlist"));
            JsonNode listing = alice.awaitEvent("peerlist_listing", WAIT);
            assertThat(listing.path("peers")).extracting(JsonNode::asText).contains("alice", "bob");
        }
    }

    @Test
    void aCallToAMissingPeerIsAnsweredWithAnErrorTheAgentMatches() throws Exception {
        try (PythonAgent alice = agent("alice", aliceKeys, PythonAgent.Option.NO_CONFIG)) {

            JsonNode done = alice.call("nobody", "echo", List.of(1), Map.of(), Duration.ofSeconds(20));

            // vipgate writes its msg-id as a JSON string literal, so the agent's json.loads gives back exactly the
            // key it stored (VOLTTRON's own router loses it): Unreachable at once, not a time-out.
            assertThat(done.path("unreachable").asBoolean()).as("call_done: %s", done).isTrue();
            assertThat(done.path("errno").asInt()).isEqualTo(113);
            assertThat(alice.events()).extracting(e -> e.path("event").asText()).doesNotContain("unmatched_error");
        }
    }

    @Test
    void aV9AgentGetsItsDefaultConfigurationFromVipgatesStore() throws Exception {
        try (PythonAgent alice = agent("alice", aliceKeys,
                PythonAgent.Option.defaults(Map.of("config", Map.of("a", 1))))) {

            alice.awaitEvent("config_ready", WAIT);
            JsonNode callback = alice.awaitEvent("config_callback", WAIT);

            assertThat(callback.path("name").asText()).isEqualTo("config");
            assertThat(callback.path("action").asText()).isEqualTo("NEW");
            assertThat(callback.path("contents").path("a").asInt()).isEqualTo(1);
            assertThat(alice.events()).extracting(e -> e.path("event").asText()).doesNotContain("unmatched_error");
        }
    }

    /** auth.json allow entries as vctl writes them, user_id = identity. */
    private static void writeAuth(Path home, Map<String, PlatformKeystore> agents) throws IOException {
        StringJoiner entries = new StringJoiner(",\n");
        agents.forEach((identity, keys) -> entries.add("""
                {"domain": null, "address": null, "mechanism": "CURVE", "credentials": "%s",
                 "user_id": "%s", "identity": "%s", "groups": [], "roles": [], "capabilities": {},
                 "comments": "test agent", "enabled": true}""".formatted(keys.publicKeyText(), identity, identity)));
        Files.writeString(home.resolve("auth.json"), "{\"allow\": [" + entries + "], \"deny\": [], \"groups\": {},"
                + " \"roles\": {}, \"version\": {\"major\": 1, \"minor\": 4}}");
    }
}
