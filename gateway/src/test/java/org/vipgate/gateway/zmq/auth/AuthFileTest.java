package org.vipgate.gateway.zmq.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.config.ConfigException;

class AuthFileTest {

    private static final String PLATFORM = key();
    private static final String CONTROL = key();
    private static final String DISABLED = key();
    private static final String DENIED = key();
    private static final String NO_USER = key();
    private static final String UNKNOWN = key();

    @TempDir
    Path home;
    Path file;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger authLogger = (Logger) LoggerFactory.getLogger(AuthFile.class);

    @BeforeEach
    void setUp() {
        file = home.resolve("auth.json");
        logs.start();
        authLogger.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        authLogger.detachAppender(logs);
    }

    /** Shaped like the auth.json VOLTTRON 9 writes (vip-zmq.md §5.4), with a few entries added for the tests. */
    static String volttronAuthJson() {
        return """
                {
                    "allow": [
                        {
                            "domain": "vip",
                            "address": "/127\\\\.0\\\\.0\\\\.[0-9]+/",
                            "mechanism": "CURVE",
                            "credentials": "/.*/",
                            "user_id": "any-local",
                            "identity": null,
                            "groups": [],
                            "roles": [],
                            "capabilities": {},
                            "rpc_method_authorizations": {},
                            "comments": "regex entry, listed first on purpose",
                            "enabled": true
                        },
                        {
                            "domain": "vip",
                            "address": null,
                            "mechanism": "CURVE",
                            "credentials": "%s",
                            "user_id": "platform",
                            "identity": null,
                            "groups": [],
                            "roles": [],
                            "capabilities": {"edit_config_store": {"identity": "/.*/"}},
                            "rpc_method_authorizations": {},
                            "comments": "Automatically added by platform on start",
                            "enabled": true
                        },
                        {
                            "domain": null,
                            "address": null,
                            "mechanism": "CURVE",
                            "credentials": "%s",
                            "user_id": "control.connection",
                            "identity": "control.connection",
                            "groups": [],
                            "roles": [],
                            "capabilities": ["allow_auth_modifications", {"edit_config_store": {"identity": "/.*/"}}],
                            "rpc_method_authorizations": {"stop_agent": ["allow_control"]},
                            "comments": "Automatically added by platform on start",
                            "enabled": true
                        },
                        {
                            "mechanism": "CURVE",
                            "credentials": "%s",
                            "user_id": "disabled",
                            "enabled": false
                        },
                        {
                            "mechanism": "CURVE",
                            "credentials": "%s"
                        },
                        {
                            "address": "10.1.2.3",
                            "mechanism": "NULL",
                            "credentials": null,
                            "user_id": "null-user"
                        },
                        {
                            "mechanism": "CURVE",
                            "credentials": "too-short",
                            "user_id": "invalid"
                        }
                    ],
                    "deny": [
                        {
                            "domain": "vip",
                            "address": "127.0.0.1",
                            "mechanism": "CURVE",
                            "credentials": "%s",
                            "user_id": "d0c3b5b8-0ad5-4d9a-9a8a-2c8b0b7c3f11",
                            "retries": 3
                        }
                    ],
                    "groups": {},
                    "roles": {},
                    "version": {"major": 1, "minor": 4}
                }
                """.formatted(PLATFORM, CONTROL, DISABLED, NO_USER, DENIED);
    }

    @Test
    void decidesLikeVolttron() throws Exception {
        Files.writeString(file, volttronAuthJson());
        AuthFile auth = AuthFile.load(file);

        // Plain credentials are tried before the regex entry that comes first in the file.
        assertThat(userOf(auth.decide("vip", "127.0.0.1", "CURVE", PLATFORM))).isEqualTo("platform");
        assertThat(userOf(auth.decide("vip", "192.168.1.9", "CURVE", CONTROL))).isEqualTo("control.connection");
        // The regex entry: any key, from a local address (matched in full).
        assertThat(userOf(auth.decide("vip", "127.0.0.1", "CURVE", UNKNOWN))).isEqualTo("any-local");
        assertThat(userOf(auth.decide("vip", "127.0.0.12", "CURVE", UNKNOWN))).isEqualTo("any-local");
        assertDenied(auth.decide("vip", "127.0.0.1x", "CURVE", UNKNOWN), false);
        assertDenied(auth.decide("vip", "x127.0.0.1", "CURVE", UNKNOWN), false);
        assertDenied(auth.decide("vip", "10.0.0.1", "CURVE", UNKNOWN), false);
        // Disabled entry.
        assertDenied(auth.decide("vip", "10.0.0.1", "CURVE", DISABLED), false);
        // Deny entry wins over the regex allow entry.
        assertDenied(auth.decide("vip", "127.0.0.1", "CURVE", DENIED), true);
        // Domain and mechanism must match.
        assertDenied(auth.decide("other", "10.0.0.1", "CURVE", PLATFORM), false);
        assertDenied(auth.decide("vip", "10.0.0.1", "PLAIN", PLATFORM), false);
        // NULL: credentials not checked, address is.
        assertThat(userOf(auth.decide("vip", "10.1.2.3", "NULL", null))).isEqualTo("null-user");
        assertThat(userOf(auth.decide("vip", "10.1.2.3", "NULL", "ignored"))).isEqualTo("null-user");
        assertDenied(auth.decide("vip", "10.9.9.9", "NULL", null), false);
        // No user_id: a uuid4, the same on every decision.
        String generated = userOf(auth.decide("vip", "10.0.0.1", "CURVE", NO_USER));
        assertThat(generated).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(userOf(auth.decide("vip", "10.0.0.1", "CURVE", NO_USER))).isEqualTo(generated);

        // The invalid entry is skipped with a warning; the others are read.
        assertThat(auth.allowEntries()).extracting(AuthEntry::userId)
                .containsExactly("any-local", "platform", "control.connection", "disabled", generated, "null-user");
        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains(file.toString(), "allow[6]", "43"));
        AuthEntry control = auth.allowEntries().get(2);
        assertThat(control.capabilities()).containsKeys("allow_auth_modifications", "edit_config_store");
        assertThat(control.capabilities().get("edit_config_store")).containsEntry("identity", "/.*/");
        assertThat(control.rpcMethodAuthorizations()).containsEntry("stop_agent", List.of("allow_control"));
        assertThat(auth.denyEntries()).singleElement().extracting(AuthEntry::credentials).isEqualTo(DENIED);
    }

    @Test
    void reloadsAnEditedFile() throws Exception {
        Files.writeString(file, onlyPlatform(""));
        AuthFile auth = AuthFile.load(file, Duration.ofMillis(100));
        assertDenied(auth.decide("vip", "127.0.0.1", "CURVE", UNKNOWN), false);

        write(onlyPlatform(", {\"mechanism\": \"CURVE\", \"credentials\": \"%s\", \"user_id\": \"newcomer\"}"
                .formatted(UNKNOWN)));

        await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(userOf(auth.decide("vip", "127.0.0.1", "CURVE", UNKNOWN))).isEqualTo("newcomer"));
        assertThat(userOf(auth.decide("vip", "127.0.0.1", "CURVE", PLATFORM))).isEqualTo("platform");
    }

    @Test
    void generatedUserIdsSurviveAReloadOfAnUnchangedEntry() throws Exception {
        String noUser = """
                ,
                {"mechanism": "CURVE", "credentials": "%s"}""".formatted(NO_USER);
        Files.writeString(file, onlyPlatform(noUser));
        AuthFile auth = AuthFile.load(file, Duration.ofMillis(0));
        String before = userOf(auth.decide("vip", "127.0.0.1", "CURVE", NO_USER));

        write(onlyPlatform(noUser + """
                ,
                {"mechanism": "CURVE", "credentials": "%s", "user_id": "newcomer"}""".formatted(UNKNOWN)));
        assertThat(auth.reloadIfChanged()).isTrue();

        assertThat(userOf(auth.decide("vip", "127.0.0.1", "CURVE", UNKNOWN))).isEqualTo("newcomer");
        assertThat(userOf(auth.decide("vip", "127.0.0.1", "CURVE", NO_USER))).isEqualTo(before);
    }

    @Test
    void aMalformedEditKeepsTheLastGoodVersionAndWarnsOnce() throws Exception {
        Files.writeString(file, onlyPlatform(""));
        AuthFile auth = AuthFile.load(file, Duration.ofMillis(0));

        write("{\"allow\": [ {\"mechanism\": \"CURVE\", ");
        assertThat(auth.reloadIfChanged()).isFalse();
        for (int i = 0; i < 5; i++) {
            assertThat(userOf(auth.decide("vip", "127.0.0.1", "CURVE", PLATFORM))).isEqualTo("platform");
        }

        assertThat(warnings()).filteredOn(w -> w.contains("keeping the last good version")).singleElement()
                .satisfies(w -> assertThat(w).contains(file.toString(), "line "));

        write(onlyPlatform(""));
        assertThat(auth.reloadIfChanged()).isTrue();
        assertThat(userOf(auth.decide("vip", "127.0.0.1", "CURVE", PLATFORM))).isEqualTo("platform");
    }

    @Test
    void aMissingFileRefusesEverythingAndIsLoggedOnce() throws Exception {
        AuthFile auth = AuthFile.load(file, Duration.ofMillis(0));

        for (int i = 0; i < 3; i++) {
            AuthDecision decision = auth.decide("vip", "127.0.0.1", "CURVE", PLATFORM);
            assertDenied(decision, false);
            assertThat(((AuthDecision.Denied) decision).reason()).contains("does not exist");
        }
        assertThat(warnings()).filteredOn(w -> w.contains("does not exist")).hasSize(1);

        write(onlyPlatform(""));
        assertThat(userOf(auth.decide("vip", "127.0.0.1", "CURVE", PLATFORM))).isEqualTo("platform");

        Files.delete(file);
        assertDenied(auth.decide("vip", "127.0.0.1", "CURVE", PLATFORM), false);
        assertThat(warnings()).filteredOn(w -> w.contains("does not exist")).hasSize(2);
    }

    @Test
    void aFileMalformedAtStartIsAConfigError() throws Exception {
        Files.writeString(file, "{\"allow\": {}}");

        assertThatThrownBy(() -> AuthFile.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("key 'allow'");

        Files.writeString(file, "[1, 2");
        assertThatThrownBy(() -> AuthFile.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 1");
    }

    @Test
    void addAllowKeepsWhatItDoesNotKnow() throws Exception {
        Files.writeString(file, """
                {
                    "allow": [
                        {"mechanism": "CURVE", "credentials": "%s", "user_id": "platform", "x-note": {"keep": [1, 2]}}
                    ],
                    "deny": [{"mechanism": "CURVE", "credentials": "%s", "retries": 7}],
                    "groups": {"admins": ["admin"]},
                    "roles": {"admin": ["allow_auth_modifications"]},
                    "version": {"major": 1, "minor": 4},
                    "vipgate-extension": {"a": true}
                }
                """.formatted(PLATFORM, DENIED));
        AuthFile auth = AuthFile.load(file, Duration.ofHours(1));

        AuthEntry added = auth.addAllow(AuthEntry.curve(UNKNOWN, null, "agent.one", "approved"));

        assertThat(added.userId()).isNotBlank();
        // In effect at once, whatever the check interval.
        assertThat(userOf(auth.decide("vip", "127.0.0.1", "CURVE", UNKNOWN))).isEqualTo(added.userId());
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertThat(root.get("vipgate-extension").get("a").asBoolean()).isTrue();
        assertThat(root.get("groups").get("admins").get(0).asText()).isEqualTo("admin");
        assertThat(root.get("roles").get("admin").get(0).asText()).isEqualTo("allow_auth_modifications");
        assertThat(root.get("version").get("minor").asInt()).isEqualTo(4);
        assertThat(root.get("deny").get(0).get("retries").asInt()).isEqualTo(7);
        assertThat(root.get("allow")).hasSize(2);
        assertThat(root.get("allow").get(0).get("x-note").get("keep").get(1).asInt()).isEqualTo(2);
        JsonNode written = root.get("allow").get(1);
        assertThat(written.get("credentials").asText()).isEqualTo(UNKNOWN);
        assertThat(written.get("user_id").asText()).isEqualTo(added.userId());
        assertThat(written.get("identity").asText()).isEqualTo("agent.one");
        assertThat(written.get("mechanism").asText()).isEqualTo("CURVE");
        assertThat(written.get("enabled").asBoolean()).isTrue();
        assertThat(written.get("comments").asText()).isEqualTo("approved");
        assertThat(written.has("domain")).isTrue();
        assertThat(written.get("domain").isNull()).isTrue();
        assertThat(home).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void addAllowCreatesAMissingFileVolttronShaped() throws Exception {
        AuthFile auth = AuthFile.load(file);

        auth.addAllow(AuthEntry.curve(UNKNOWN, "someone", null, null));

        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertThat(root.fieldNames()).toIterable().contains("allow", "deny", "groups", "roles", "version");
        assertThat(userOf(auth.decide("vip", "127.0.0.1", "CURVE", UNKNOWN))).isEqualTo("someone");
    }

    @Test
    void addAllowRefusesToOverwriteAMalformedFile() throws Exception {
        Files.writeString(file, onlyPlatform(""));
        AuthFile auth = AuthFile.load(file);
        String broken = "{\"allow\": [";
        write(broken);

        assertThatThrownBy(() -> auth.addAllow(AuthEntry.curve(UNKNOWN, null, null, null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString());
        assertThat(Files.readString(file)).isEqualTo(broken);
    }

    @Test
    void entriesAreValidatedLikeVolttron() {
        assertThatThrownBy(() -> AuthEntry.curve("short", null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("43");
        assertThatThrownBy(() -> new AuthEntry(null, null, "GSSAPI", "x", null, null, null, null, null, null, null,
                true)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mechanism");
        AuthEntry regex = AuthEntry.curve("/.*/", null, null, null);
        assertThat(regex.credentials()).isEqualTo("/.*/");
        AuthEntry nullEntry = new AuthEntry("", "", "NULL", "", "", null, null, null, null, Map.of(), null, true);
        assertThat(nullEntry.domain()).isNull();
        assertThat(nullEntry.credentials()).isNull();
        assertThat(nullEntry.groups()).isEmpty();
    }

    private String onlyPlatform(String moreEntries) {
        return """
                {"allow": [{"domain": "vip", "mechanism": "CURVE", "credentials": "%s", "user_id": "platform"}%s],
                 "deny": [], "groups": {}, "roles": {}, "version": {"major": 1, "minor": 4}}
                """.formatted(PLATFORM, moreEntries);
    }

    @Test
    void groupsAndRolesAreReadAndBadOnesLeftOutWithAWarning() throws Exception {
        Files.writeString(file, """
                {"allow": [{"mechanism": "CURVE", "credentials": "%s"}],
                 "groups": {"ops": ["admin", "reader"], "bad": "admin"},
                 "roles": {"admin": ["edit_config_store"], "reader": [], "worse": [1]}}
                """.formatted(NO_USER));
        AuthFile auth = AuthFile.load(file);

        assertThat(auth.groups()).isEqualTo(Map.of("ops", List.of("admin", "reader")));
        assertThat(auth.roles()).isEqualTo(Map.of("admin", List.of("edit_config_store"), "reader", List.of()));
        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("groups['bad'] ignored"))
                .anySatisfy(w -> assertThat(w).contains("roles['worse'] ignored"));
        AuthFile.Contents contents = auth.contents();
        assertThat(contents.allow()).hasSize(1);
        assertThat(contents.hasGeneratedUserId(contents.allow().get(0))).isTrue();
        assertThat(contents.groups()).isEqualTo(auth.groups());
    }

    @Test
    void groupsAndRolesOfTheWrongTypeAreIgnoredButTheEntriesStillWork() throws Exception {
        Files.writeString(file, onlyPlatform("").replace("\"groups\": {}, \"roles\": {}",
                "\"groups\": [], \"roles\": 3"));
        AuthFile auth = AuthFile.load(file);
        assertThat(auth.groups()).isEmpty();
        assertThat(auth.roles()).isEmpty();
        assertThat(userOf(auth.decide("vip", "127.0.0.1", "CURVE", PLATFORM))).isEqualTo("platform");
        assertThat(auth.contents().hasGeneratedUserId(auth.allowEntries().get(0))).isFalse();
    }

    @Test
    void updateRpcMethodAuthorizationsRewritesOnlyThatEntry() throws Exception {
        Files.writeString(file, volttronAuthJson());
        AuthFile auth = AuthFile.load(file);
        ObjectMapper json = new ObjectMapper();
        JsonNode before = json.readTree(Files.readString(file));

        boolean found = auth.updateRpcMethodAuthorizations("control.connection", current -> {
            assertThat(current).isEqualTo(Map.of("stop_agent", List.of("allow_control")));
            current.put("start_agent", List.of("allow_control"));
            return current;
        });

        assertThat(found).isTrue();
        JsonNode after = json.readTree(Files.readString(file));
        assertThat(after.at("/allow/2/rpc_method_authorizations")).isEqualTo(json.readTree(
                "{\"stop_agent\": [\"allow_control\"], \"start_agent\": [\"allow_control\"]}"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) after.at("/allow/2")).remove("rpc_method_authorizations");
        ((com.fasterxml.jackson.databind.node.ObjectNode) before.at("/allow/2")).remove("rpc_method_authorizations");
        assertThat(after).isEqualTo(before);
        assertThat(auth.allowEntries().get(2).rpcMethodAuthorizations()).containsKey("start_agent");
        assertThat(home).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));

        String unchanged = Files.readString(file);
        assertThat(auth.updateRpcMethodAuthorizations("control.connection", current -> null)).isTrue();
        assertThat(auth.updateRpcMethodAuthorizations("nobody", current -> current)).isFalse();
        assertThat(Files.readString(file)).isEqualTo(unchanged);
    }

    /** Replaces the file and moves its mtime forward, so that the change shows whatever the clock resolution. */
    private void write(String content) throws Exception {
        FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : FileTime.from(Instant.EPOCH);
        Files.writeString(file, content);
        Instant later = before.toInstant().plusSeconds(2);
        Files.setLastModifiedTime(file, FileTime.from(later.isAfter(Instant.now()) ? later : Instant.now()));
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static String userOf(AuthDecision decision) {
        assertThat(decision).isInstanceOf(AuthDecision.Allowed.class);
        return ((AuthDecision.Allowed) decision).userId();
    }

    private static void assertDenied(AuthDecision decision, boolean byDenyEntry) {
        assertThat(decision).isInstanceOf(AuthDecision.Denied.class);
        assertThat(((AuthDecision.Denied) decision).byDenyEntry()).isEqualTo(byDenyEntry);
    }

    private static String key() {
        return PlatformKeystore.generate().publicKeyText();
    }
}
