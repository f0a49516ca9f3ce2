package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.zmq.auth.PlatformKeystore;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.vip.PlatformFiles;

/**
 * vipgate's platform services against the VOLTTRON-like Python agent ({@link PythonAgent}, libzmq) on a ZeroMQ
 * site with CURVE: the configuration store (VOLTTRON's files, pushes, {@code vipgate config}), platform.auth
 * ({@code @RPC.allow} following auth.json), peer liveness, and a store that survives {@code kill -9}
 * (docs/protocol/platform-services.md).
 */
class PlatformServicesTest {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final PlatformKeystore platform = PlatformKeystore.generate();
    private final Map<String, PlatformKeystore> keys = new LinkedHashMap<>();
    private final Map<String, String> capabilities = new LinkedHashMap<>();
    private final List<PythonAgent> agents = new ArrayList<>();
    private VipgateProcess vipgate;
    private Path home;
    private String address;

    private void startVipgate() throws Exception {
        address = "tcp://127.0.0.1:" + FreePorts.next();
        home = dir.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("config"), """
                [volttron]
                message-bus = zmq
                instance-name = svcsite
                vip-address = %s
                """.formatted(address));
        PlatformFiles.keystore(home, platform.publicKeyText(), platform.secretKeyText());
        for (String id : List.of("alice", "bob", "carol", "dave")) {
            keys.put(id, PlatformKeystore.generate());
        }
        writeAuth();
        vipgate = VipgateProcess.start("run", "--home", home.toString());
        vipgate.awaitLine("vipgate ready", START);
    }

    @AfterEach
    void stop() throws Exception {
        for (PythonAgent a : agents) {
            a.close();
        }
        if (vipgate != null) {
            vipgate.close();
        }
    }

    private PythonAgent agent(String identity, PythonAgent.Option... options) throws IOException {
        PythonAgent agent = PythonAgent.start(address, identity, platform.publicKeyText(), keys.get(identity),
                options);
        agents.add(agent);
        agent.awaitEvent("welcome", WAIT);
        return agent;
    }

    /** auth.json as vctl writes it (user_id = identity), with the capabilities of {@link #capabilities}. */
    private void writeAuth() throws IOException {
        StringJoiner entries = new StringJoiner(",\n");
        keys.forEach((identity, k) -> entries.add("""
                {"mechanism": "CURVE", "credentials": "%s", "user_id": "%s", "identity": "%s",
                 "capabilities": %s, "enabled": true}""".formatted(k.publicKeyText(), identity, identity,
                capabilities.getOrDefault(identity, "{}"))));
        Path tmp = home.resolve("auth.json.tmp");
        Files.writeString(tmp, "{\"allow\": [" + entries + "], \"deny\": [], \"groups\": {}, \"roles\": {},"
                + " \"version\": {\"major\": 1, \"minor\": 4}}");
        Files.move(tmp, home.resolve("auth.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean is(JsonNode e, String event, String field, String value) {
        return event.equals(e.path("event").asText()) && value.equals(e.path(field).asText());
    }

    private Commands.CliResult cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--home", home.toString()));
        return Commands.vipgate(all.toArray(String[]::new));
    }

    @Test
    void aVolttron9StoreFolderIsPushedAtStartWithReferencesAndCsv() throws Exception {
        // a configuration_store folder as VOLTTRON 9 writes it: one <identity>.store, data kept as raw text
        Path store = dir.resolve("home/configuration_store");
        Files.createDirectories(store);
        Files.writeString(store.resolve("alice.store"), """
                {"config": {"type": "json", "modified": "2025-05-28T19:33:07.123456+00:00",
                            "data": "{\\"interval\\": 5, // seconds\\n \\"points\\": \\"config://points.csv\\"}"},
                 "points.csv": {"type": "csv", "modified": "2025-05-28T19:33:08.000001+00:00",
                                "data": "name,unit\\nTemp,degF\\nFlow,\\"gal, per min\\"\\n"},
                 "notes": {"type": "raw", "data": "kept as text"}}""");
        startVipgate();

        PythonAgent alice = agent("alice", PythonAgent.Option.defaults(Map.of("config", Map.of("interval", 60))));

        JsonNode first = alice.awaitEvent("config_callback", WAIT);
        assertThat(first.path("name").asText()).as("'config' comes first").isEqualTo("config");
        assertThat(first.path("action").asText()).isEqualTo("NEW");
        assertThat(first.path("contents").path("interval").asInt()).as("stored, not the default").isEqualTo(5);
        JsonNode points = first.path("contents").path("points");
        assertThat(points.isArray()).as("config://points.csv resolved: %s", first).isTrue();
        assertThat(points.get(1).path("unit").asText()).isEqualTo("gal, per min");
        alice.awaitEvent(e -> is(e, "config_callback", "name", "notes"), WAIT);
        JsonNode initial = alice.awaitEvent("config_initial_update", WAIT);
        assertThat(initial.toString()).contains("kept as text");
        assertThat(cli("config", "list", "alice").out().lines().toList())
                .containsExactly("config", "notes", "points.csv");
    }

    @Test
    void vipgateConfigStorePushesChangesAndDeletesToTheRunningAgent() throws Exception {
        startVipgate();
        PythonAgent bob = agent("bob", PythonAgent.Option.defaults(Map.of("config", Map.of("setpoint", 70))));
        JsonNode initial = bob.awaitEvent("config_callback", WAIT);
        assertThat(initial.path("contents").path("setpoint").asInt()).as("the default when none is stored")
                .isEqualTo(70);

        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"setpoint\": 72, \"zone\": \"config://zone\"}");
        Path zone = dir.resolve("zone.csv");
        Files.writeString(zone, "room,floor\n101,1\n");
        assertThat(cli("config", "store", "bob", "zone", zone.toString(), "--csv").exit()).isZero();
        Commands.CliResult stored = cli("config", "store", "bob", "config", file.toString());
        assertThat(stored.exit()).as(stored.out()).isZero();

        JsonNode update = bob.awaitEvent(e -> is(e, "config_callback", "name", "config")
                && e.path("contents").path("setpoint").asInt() == 72, WAIT);
        assertThat(update.path("action").asText()).isEqualTo("UPDATE");
        assertThat(update.path("contents").path("zone").get(0).path("floor").asText())
                .as("csv arrives parsed, the reference resolved").isEqualTo("1");
        assertThat(cli("config", "get", "bob", "config", "--raw").out().strip())
                .isEqualTo("{\"setpoint\": 72, \"zone\": \"config://zone\"}");

        // vctl's edit: $EDITOR on the stored text, stored again with its type when it changed
        ProcessBuilder edit = new ProcessBuilder(VipgateProcess.repoRoot().resolve("bin/vipgate").toString(),
                "config", "edit", "bob", "config", "--home", home.toString()).redirectErrorStream(true);
        edit.environment().put("EDITOR", "sed -i s/72/73/");
        Process editing = edit.start();
        String editOutput = new String(editing.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(editing.waitFor()).as(editOutput).isZero();
        bob.awaitEvent(e -> is(e, "config_callback", "name", "config")
                && e.path("contents").path("setpoint").asInt() == 73, WAIT);

        assertThat(cli("config", "delete", "bob", "zone").exit()).isZero();
        bob.awaitEvent(e -> is(e, "config_update", "action", "DELETE") && "zone".equals(
                e.path("config_name").asText()), WAIT);

        Commands.CliResult bad = cli("config", "get", "bob", "nothing");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).contains("No configuration file \"nothing\"");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"a\": ");
        Commands.CliResult refused = cli("config", "store", "bob", "x", broken.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.out()).contains("line 1");
    }

    @Test
    void anAgentEditsOnlyItsOwnStoreUnlessAuthJsonSaysOtherwise() throws Exception {
        capabilities.put("carol", "{\"edit_config_store\": {\"identity\": \"/b.*/\"}}");
        startVipgate();
        PythonAgent alice = agent("alice", PythonAgent.Option.NO_CONFIG);
        PythonAgent carol = agent("carol", PythonAgent.Option.NO_CONFIG);

        JsonNode own = alice.call("config.store", "set_config", List.of("alice", "c", "{\"x\": 1}", "json"),
                Map.of());
        JsonNode other = alice.call("config.store", "set_config", List.of("bob", "c", "{\"x\": 1}", "json"),
                Map.of());
        JsonNode granted = carol.call("config.store", "set_config", List.of("bob", "c", "{\"x\": 2}", "json"),
                Map.of());
        JsonNode outside = carol.call("config.store", "set_config", List.of("alice", "c", "{}", "json"), Map.of());

        assertThat(own.has("result")).as("%s", own).isTrue();
        assertThat(other.path("error").path("data").path("exception.py").path("exc_args").get(0).asInt())
                .as("%s", other).isEqualTo(-32001);
        assertThat(granted.has("result")).as("%s", granted).isTrue();
        assertThat(outside.path("error").path("data").path("detail").asText()).as("%s", outside)
                .contains("identity");
    }

    @Test
    void eclipseVolttronAgentsGetTheirStoreAndProtectedRpcs() throws Exception {
        startVipgate();
        JsonNode creds = PythonAgent.JSON.readTree(home.resolve("credentials_store/platform.json").toFile());
        assertThat(creds.path("publickey").asText()).as("what eclipse-volttron clients read")
                .isEqualTo(platform.publicKeyText());
        assertThat(creds.path("secretkey").asText()).as("the secret stays in the keystore").isEmpty();
        assertThat(cli("config", "store", "bob", "config", write("{\"mode\": \"eclipse\"}")).exit()).isZero();

        PythonAgent bob = agent("bob", PythonAgent.Option.ECLIPSE,
                PythonAgent.Option.defaults(Map.of("config", Map.of("mode", "default"))));
        PythonAgent alice = agent("alice", PythonAgent.Option.ECLIPSE, PythonAgent.Option.NO_CONFIG);

        JsonNode callback = bob.awaitEvent("config_callback", WAIT);
        assertThat(callback.path("contents").path("mode").asText()).as("from platform.config_store")
                .isEqualTo("eclipse");
        JsonNode echo = alice.call("bob", "echo", List.of("hi"), Map.of());
        assertThat(echo.path("result").asText()).as("get_protected_rpcs answered first: %s", echo)
                .isEqualTo("hi");
        alice.awaitEvent("protected_rpcs", WAIT);
    }

    @Test
    void platformPeersVipgateDoesNotRunAnswerAtOnceNamingWhatIsMissing() throws Exception {
        startVipgate();
        PythonAgent alice = agent("alice", PythonAgent.Option.NO_CONFIG);

        JsonNode key = alice.call("control", "serverkey", List.of(), Map.of());
        JsonNode web = alice.call("platform_web", "register_endpoint", List.of("/x", "raw"), Map.of());
        JsonNode health = alice.call("platform.health", "get_platform_health", List.of(), Map.of());

        assertThat(key.path("result").asText()).isEqualTo(platform.publicKeyText());
        assertThat(web.path("error").path("data").path("detail").asText()).as("%s", web)
                .contains("register_endpoint", "web service");
        assertThat(health.path("result").path("alice").path("status").asText()).isEqualTo("UNKNOWN");
    }

    private String write(String json) throws IOException {
        Path f = Files.createTempFile(dir, "cfg", ".json");
        Files.writeString(f, json);
        return f.toString();
    }

    @Test
    void rpcAllowFollowsAuthJsonAndItsLiveEdits() throws Exception {
        capabilities.put("alice", "{\"cap\": null}");
        startVipgate();
        agent("bob", PythonAgent.Option.NO_CONFIG, PythonAgent.Option.protect("secret", "cap"));
        PythonAgent alice = agent("alice", PythonAgent.Option.NO_CONFIG);
        PythonAgent carol = agent("carol", PythonAgent.Option.NO_CONFIG);

        JsonNode allowed = alice.call("bob", "secret", List.of(), Map.of());
        JsonNode refused = carol.call("bob", "secret", List.of(), Map.of());

        assertThat(allowed.path("result").path("ok").asBoolean()).as("%s", allowed).isTrue();
        JsonNode error = refused.path("error");
        assertThat(error.path("code").asInt()).as("%s", refused).isEqualTo(-32000);
        assertThat(error.path("data").path("exception.py").path("exc_args").get(0).asInt()).isEqualTo(-32001);
        assertThat(error.path("data").path("detail").asText())
                .startsWith("method 'secret' requires capabilities {'cap'}, but capability")
                .endsWith("was provided for user carol");

        capabilities.put("carol", "[\"cap\"]");
        writeAuth();
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() ->
                carol.call("bob", "secret", List.of(), Map.of()).path("result").path("ok").asBoolean());
    }

    @Test
    void aKilledAgentLeavesThePeerlistAtTheNextBroadcast() throws Exception {
        startVipgate();
        PythonAgent alice = agent("alice", PythonAgent.Option.NO_CONFIG);
        PythonAgent bob = agent("bob", PythonAgent.Option.NO_CONFIG);
        alice.awaitEvent(e -> is(e, "peerlist", "peer", "bob"), WAIT);

        bob.kill(); // no agentstop
        agent("carol", PythonAgent.Option.NO_CONFIG);

        alice.awaitEvent(e -> is(e, "peerlist", "op", "drop") && "bob".equals(e.path("peer").asText()), WAIT);
        alice.send(Map.of("cmd", "peerlist"));
        JsonNode listing = alice.awaitEvent("peerlist_listing", WAIT);
        assertThat(listing.path("peers")).extracting(JsonNode::asText)
                .contains("alice", "carol", "config.store", "platform.auth").doesNotContain("bob");
        PythonAgent again = agent("bob", PythonAgent.Option.NO_CONFIG);
        assertThat(again.call("alice", "echo", List.of("back"), Map.of()).path("result").asText())
                .as("the same identity comes back").isEqualTo("back");
    }

    @Test
    void theStoreSurvivesKillDashNineDuringABurstOfWrites() throws Exception {
        startVipgate();
        PythonAgent dave = agent("dave", PythonAgent.Option.NO_CONFIG);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String value = "{\"n\": " + i + ", \"pad\": \"" + "x".repeat(2_000) + "\"}";
            written.add(value);
            dave.send(Map.of("cmd", "call", "peer", "config.store", "method", "set_config",
                    "args", List.of("dave", "c" + (i % 5), value, "json"), "kwargs", Map.of(),
                    "timeout", 30, "tag", "burst-" + i));
            if (i == 150) {
                dave.awaitEvent(e -> is(e, "call_done", "tag", "burst-100"), WAIT);
                vipgate.kill();
            }
        }
        Path store = home.resolve("configuration_store");
        try (Stream<Path> files = Files.list(store)) {
            List<Path> all = files.toList();
            assertThat(all).as("no temp file left in the folder's listing of stores")
                    .allMatch(p -> p.getFileName().toString().equals("dave.store")
                            || !p.getFileName().toString().endsWith(".store"));
            JsonNode parsed = PythonAgent.JSON.readTree(store.resolve("dave.store").toFile());
            assertThat(parsed.size()).isBetween(1, 5);
            parsed.fields().forEachRemaining(e ->
                    assertThat(written).as("every stored value is one that was written whole")
                            .contains(e.getValue().path("data").asText()));
        }
        // and the gateway starts again on it
        vipgate = VipgateProcess.start("run", "--home", home.toString());
        vipgate.awaitLine("vipgate ready", START);
        assertThat(cli("config", "list", "dave").out().lines().count()).isBetween(1L, 5L);
    }
}
