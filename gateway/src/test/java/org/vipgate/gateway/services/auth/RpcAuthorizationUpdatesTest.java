package org.vipgate.gateway.services.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vipgate.gateway.services.auth.AuthModelTest.KEY_A;
import static org.vipgate.gateway.services.auth.AuthModelTest.KEY_B;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.zmq.auth.AuthFile;

class RpcAuthorizationUpdatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;
    Path file;
    AuthFile authFile;

    @BeforeEach
    void setUp() throws Exception {
        file = home.resolve("auth.json");
        Files.writeString(file, """
                {
                  "allow": [
                    {"mechanism": "CURVE", "credentials": "%s", "user_id": "other", "identity": "other",
                     "capabilities": {"c": {"p": 1}}, "vendor_key": [1, 2]},
                    {"mechanism": "CURVE", "credentials": "%s", "user_id": "agent", "identity": "agent",
                     "roles": ["r"], "rpc_method_authorizations": {"held": ["admin"], "empty": []}}
                  ],
                  "deny": [{"mechanism": "NULL", "address": "10.0.0.9"}],
                  "groups": {"g": ["r"]},
                  "roles": {"r": ["x"]},
                  "version": {"major": 1, "minor": 4},
                  "unknown_top_level": "kept"
                }
                """.formatted(KEY_A, KEY_B));
        authFile = AuthFile.load(file);
    }

    private JsonNode read() throws Exception {
        return JSON.readTree(Files.readString(file));
    }

    private static Map<String, List<String>> methods(Object... pairs) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> caps = (List<String>) pairs[i + 1];
            map.put((String) pairs[i], caps);
        }
        return map;
    }

    @Test
    void theEntryWinsAndMissingOrEmptyMethodsAreAdded() throws Exception {
        JsonNode before = read();
        Map<String, List<String>> result = RpcAuthorizationUpdates.updateIdRpcAuthorizations(authFile, "agent",
                methods("held", List.of("mine"), "empty", List.of("e"), "new", List.of("n"), "open", List.of()));

        assertThat(result).isEqualTo(methods("held", List.of("admin"), "empty", List.of("e"), "new", List.of("n"),
                "open", List.of()));
        JsonNode after = read();
        assertThat(after.at("/allow/1/rpc_method_authorizations")).isEqualTo(JSON.readTree(
                "{\"held\": [\"admin\"], \"empty\": [\"e\"], \"new\": [\"n\"], \"open\": []}"));
        // everything else is as it was, including keys vipgate does not know and unexpanded roles
        ((com.fasterxml.jackson.databind.node.ObjectNode) after.at("/allow/1")).remove("rpc_method_authorizations");
        ((com.fasterxml.jackson.databind.node.ObjectNode) before.at("/allow/1")).remove("rpc_method_authorizations");
        assertThat(after).isEqualTo(before);
        assertThat(AuthModel.of(authFile).protectedRpcs("agent")).containsExactly("empty", "held", "new");
    }

    @Test
    void nothingIsWrittenWhenNothingChanges() throws Exception {
        String before = Files.readString(file);
        Map<String, List<String>> result = RpcAuthorizationUpdates.updateIdRpcAuthorizations(authFile, "agent",
                methods("held", List.of("mine")));
        assertThat(result).isEqualTo(methods("held", List.of("admin")));
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void anUnknownIdentityGetsNull() throws Exception {
        String before = Files.readString(file);
        assertThat(RpcAuthorizationUpdates.updateIdRpcAuthorizations(authFile, "nobody",
                methods("m", List.of("c")))).isNull();
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void aMalformedFileIsLeftAlone() throws Exception {
        Files.writeString(file, "{\"allow\": [");
        assertThatThrownBy(() -> RpcAuthorizationUpdates.updateIdRpcAuthorizations(authFile, "agent",
                methods("m", List.of("c")))).isInstanceOf(ConfigException.class);
        assertThat(Files.readString(file)).isEqualTo("{\"allow\": [");
    }

    @Test
    void addAndDeleteRpcAuthorizations() throws Exception {
        assertThat(RpcAuthorizationUpdates.addRpcAuthorizations(authFile, "agent", "held", List.of("admin", "ops")))
                .isEmpty();
        assertThat(RpcAuthorizationUpdates.addRpcAuthorizations(authFile, "agent", "fresh", List.of("f"))).isEmpty();
        assertThat(AuthModel.of(authFile).rpcMethodAuthorizations("agent"))
                .isEqualTo(methods("held", List.of("admin", "ops"), "empty", List.of(), "fresh", List.of("f")));

        assertThat(RpcAuthorizationUpdates.deleteRpcAuthorizations(authFile, "agent", "held", List.of("admin")))
                .isEmpty();
        assertThat(RpcAuthorizationUpdates.deleteRpcAuthorizations(authFile, "agent", "fresh", List.of("f")))
                .isEmpty();
        assertThat(AuthModel.of(authFile).rpcMethodAuthorizations("agent"))
                .isEqualTo(methods("held", List.of("ops"), "empty", List.of(), "fresh", List.of("")));

        assertThat(RpcAuthorizationUpdates.deleteRpcAuthorizations(authFile, "agent", "held", List.of("zzz")))
                .hasValueSatisfying(t -> assertThat(t).contains("zzz"));
        assertThat(RpcAuthorizationUpdates.deleteRpcAuthorizations(authFile, "agent", "nope", List.of("a")))
                .hasValueSatisfying(t -> assertThat(t).contains("does not have a method called nope"));
        assertThat(RpcAuthorizationUpdates.addRpcAuthorizations(authFile, "platform.auth", "m", List.of("a")))
                .hasValueSatisfying(t -> assertThat(t).contains("platform identity"));
        assertThat(RpcAuthorizationUpdates.addRpcAuthorizations(authFile, "nobody", "m", List.of("a")))
                .hasValueSatisfying(t -> assertThat(t).contains("no allow entry"));
    }

    @Test
    void parsesRpcMethodArguments() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("a", List.of("x", "y"));
        raw.put("b", "z");
        raw.put("c", null);
        assertThat(RpcAuthorizationUpdates.parseRpcMethods(raw))
                .isEqualTo(methods("a", List.of("x", "y"), "b", List.of("z"), "c", List.of()));
        assertThatThrownBy(() -> RpcAuthorizationUpdates.parseRpcMethods(List.of("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("['a']");
        assertThatThrownBy(() -> RpcAuthorizationUpdates.parseRpcMethods(Map.of("m", List.of(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("method 'm'");
    }
}
