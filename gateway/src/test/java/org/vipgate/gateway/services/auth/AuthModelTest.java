package org.vipgate.gateway.services.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.zmq.auth.AuthEntry;
import org.vipgate.gateway.zmq.auth.AuthFile;

class AuthModelTest {

    static final String KEY_A = "A".repeat(43);
    static final String KEY_B = "B".repeat(43);

    @TempDir
    Path home;

    static AuthEntry entry(String userId, String identity, Map<String, Map<String, Object>> caps, List<String> roles,
                           List<String> groups, Map<String, List<String>> rpc, boolean enabled) {
        return new AuthEntry(null, null, "NULL", null, userId, identity, groups, roles, caps, rpc, null, enabled);
    }

    static AuthEntry simple(String userId, Map<String, Map<String, Object>> caps) {
        return entry(userId, userId, caps, List.of(), List.of(), Map.of(), true);
    }

    static Map<String, Object> restricted(String param, Object value) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(param, value);
        return map;
    }

    @Test
    void rolesAndGroupsAddTheirCapabilities() {
        Map<String, Map<String, Object>> own = new LinkedHashMap<>();
        own.put("own_cap", null);
        AuthEntry agent = entry("agent", "agent", own, List.of("reader"), List.of("operators"), Map.of(), true);
        AuthModel model = AuthModel.of(List.of(agent),
                Map.of("operators", List.of("writer", "no-such-role")),
                Map.of("reader", List.of("read_b", "read_a"), "writer", List.of("write")));

        assertThat(model.capabilitiesOf("agent")).containsOnlyKeys("own_cap", "read_a", "read_b", "write");
        assertThat(model.capabilitiesOf("agent").keySet()).containsExactly("own_cap", "read_a", "read_b", "write");
        assertThat(model.capabilitiesOf("agent").values()).containsOnlyNulls();
        assertThat(model.rolesOf("agent")).containsExactly("reader", "writer", "no-such-role");
        assertThat(model.groupsOf("agent")).containsExactly("operators");
        assertThat(model.authorizations("agent")).isEqualTo(List.of(model.capabilitiesOf("agent"),
                List.of("operators"), List.of("reader", "writer", "no-such-role")));
        assertThat(model.userToCapabilities()).containsOnlyKeys("agent");
    }

    @Test
    void aRoleReplacesARestrictedCapabilityOfTheSameName() {
        Map<String, Map<String, Object>> own = new LinkedHashMap<>();
        own.put("edit_config_store", restricted("identity", "agent"));
        own.put("other", restricted("x", 1));
        AuthEntry agent = entry("agent", "agent", own, List.of("admin"), List.of(), Map.of(), true);
        AuthModel model = AuthModel.of(List.of(agent), Map.of(), Map.of("admin", List.of("edit_config_store")));

        Map<String, Object> caps = model.capabilitiesOf("agent");
        assertThat(caps.keySet()).containsExactly("edit_config_store", "other");
        assertThat(caps.get("edit_config_store")).isNull();
        assertThat(caps.get("other")).isEqualTo(Map.of("x", 1));
        assertThat(model.rpcDenial("agent", "set_config", java.util.Set.of("edit_config_store"),
                Map.of("identity", "someone-else"))).isEmpty();
    }

    @Test
    void disabledEntriesAreIgnored() {
        AuthEntry off = entry("off", "off", Map.of("cap", Map.of()), List.of(), List.of(),
                Map.of("m", List.of("cap")), false);
        AuthModel model = AuthModel.of(List.of(off, simple("on", Map.of())), Map.of(), Map.of());

        assertThat(model.knows("off")).isFalse();
        assertThat(model.capabilitiesOf("off")).isEmpty();
        assertThat(model.authorizations("off")).isNull();
        assertThat(model.protectedRpcs("off")).isEmpty();
        assertThat(model.userToCapabilities()).containsOnlyKeys("on");
        assertThat(model.knows("on")).isTrue();
    }

    @Test
    void unknownUsersAndIdentitiesGetEmptyAnswers() {
        AuthModel model = AuthModel.of(List.of(simple("a", Map.of())), Map.of(), Map.of());
        assertThat(model.knows("nobody")).isFalse();
        assertThat(model.knows(null)).isFalse();
        assertThat(model.capabilitiesOf("nobody")).isEmpty();
        assertThat(model.authorizations("nobody")).isNull();
        assertThat(model.groupsOf("nobody")).isEmpty();
        assertThat(model.rolesOf("nobody")).isEmpty();
        assertThat(model.rpcMethodAuthorizations("nobody")).isEmpty();
        assertThat(model.protectedRpcs("nobody")).isEmpty();
        assertThat(model.protectedRpcs(null)).isEmpty();
        assertThat(AuthModel.empty().userToCapabilities()).isEmpty();
    }

    @Test
    void protectedRpcsAreTheMethodsThatRequireSomething() {
        Map<String, List<String>> rpc = new LinkedHashMap<>();
        rpc.put("open_empty", List.of());
        rpc.put("open_blank", List.of(""));
        rpc.put("guarded", List.of("cap_a"));
        rpc.put("also_guarded", List.of("cap_a", "cap_b"));
        AuthEntry agent = entry("agent", "agent.id", Map.of(), List.of(), List.of(), rpc, true);
        AuthModel model = AuthModel.of(List.of(agent), Map.of(), Map.of());

        assertThat(model.protectedRpcs("agent.id")).containsExactly("also_guarded", "guarded");
        assertThat(model.rpcMethodAuthorizations("agent.id")).isEqualTo(rpc);
    }

    @Test
    void plainCredentialsComeBeforeRegexOnesAndTheFirstUserIdWins() {
        AuthEntry regex = new AuthEntry(null, null, "CURVE", "/.*/", "dup", "x", List.of(), List.of(),
                Map.of("from_regex", new HashMap<>()), Map.of("m", List.of("from_regex")), null, true);
        AuthEntry plain = new AuthEntry(null, null, "CURVE", KEY_A, "dup", "x", List.of(), List.of(),
                Map.of("from_plain", new HashMap<>()), Map.of("m", List.of("from_plain")), null, true);
        AuthModel model = AuthModel.of(List.of(regex, plain), Map.of(), Map.of());

        assertThat(model.capabilitiesOf("dup")).containsOnlyKeys("from_plain");
        assertThat(model.rpcMethodAuthorizations("x")).isEqualTo(Map.of("m", List.of("from_plain")));
    }

    @Test
    void serviceUsersCanBeAddedWithoutOverridingTheFile() {
        Map<String, Object> sync = new HashMap<>();
        sync.put("sync_agent_config", null);
        AuthModel model = AuthModel.of(List.of(simple("config.store", Map.of("sync_agent_config", Map.of("x", 1)))),
                Map.of(), Map.of());

        AuthModel withStore = model.withCapabilities("config.store", sync).withCapabilities("platform.auth", sync);

        assertThat(withStore.capabilitiesOf("config.store")).isEqualTo(Map.of("sync_agent_config", Map.of("x", 1)));
        assertThat(withStore.knows("platform.auth")).isTrue();
        assertThat(withStore.userToCapabilities().get("platform.auth")).containsEntry("sync_agent_config", null);
        assertThat(model.knows("platform.auth")).isFalse();
    }

    @Test
    void fromTheFileEntriesWithoutUserIdGiveNoUserButKeepTheirRpcAuthorizations() throws Exception {
        Path file = home.resolve("auth.json");
        Files.writeString(file, """
                {
                  "allow": [
                    {"mechanism": "CURVE", "credentials": "%s", "identity": "anonymous",
                     "capabilities": ["cap"], "rpc_method_authorizations": {"m": ["cap"]}},
                    {"mechanism": "CURVE", "credentials": "%s", "user_id": "named", "identity": "named",
                     "capabilities": {"edit_config_store": {"identity": "named"}}, "roles": ["r"], "groups": ["g"]}
                  ],
                  "deny": [],
                  "groups": {"g": ["r2"]},
                  "roles": {"r": ["read"], "r2": ["write"]},
                  "version": {"major": 1, "minor": 4}
                }
                """.formatted(KEY_A, KEY_B));
        AuthModel model = AuthModel.of(AuthFile.load(file));

        assertThat(model.userToCapabilities()).containsOnlyKeys("named");
        assertThat(model.capabilitiesOf("named")).containsOnlyKeys("edit_config_store", "read", "write");
        assertThat(model.capabilitiesOf("named").get("edit_config_store")).isEqualTo(Map.of("identity", "named"));
        assertThat(model.protectedRpcs("anonymous")).containsExactly("m");
    }
}
