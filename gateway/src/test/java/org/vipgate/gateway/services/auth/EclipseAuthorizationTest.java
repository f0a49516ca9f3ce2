package org.vipgate.gateway.services.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vipgate.gateway.services.auth.AuthModelTest.entry;
import static org.vipgate.gateway.services.auth.AuthModelTest.restricted;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vipgate.gateway.zmq.pubsub.ProtectedTopics;

class EclipseAuthorizationTest {

    private final AuthModel model = model();

    private static AuthModel model() {
        Map<String, List<String>> storeRpc = new LinkedHashMap<>();
        storeRpc.put("set_config", List.of("edit_config_store"));
        storeRpc.put("get_config", List.of());
        storeRpc.put("manage_list", List.of(""));
        Map<String, Map<String, Object>> agentCaps = new LinkedHashMap<>();
        agentCaps.put("edit_config_store", restricted("identity", "agent"));
        agentCaps.put("publish_devices", null);
        Map<String, Map<String, Object>> adminCaps = new LinkedHashMap<>();
        adminCaps.put("edit_config_store", restricted("identity", "/.*/"));
        return AuthModel.of(List.of(
                entry("platform.config_store", "platform.config_store", Map.of(), List.of(), List.of(), storeRpc,
                        true),
                entry("platform", "platform", Map.of(), List.of(), List.of(),
                        Map.of("config_store.x", List.of("nobody_has_this")), true),
                entry("agent", "agent", agentCaps, List.of(), List.of(), Map.of(), true),
                entry("admin", "admin", adminCaps, List.of(), List.of(), Map.of(), true)), Map.of(), Map.of());
    }

    @Test
    void aCallerWithTheCapabilityAndMatchingArgumentsIsAllowed() {
        assertThat(EclipseAuthorization.checkRpc(model, "agent", "platform.config_store.set_config",
                Map.of("identity", "agent", "config_name", "c"))).isEqualTo(RpcAuthorization.ALLOWED);
        assertThat(EclipseAuthorization.checkRpc(model, "admin", "platform.config_store.set_config",
                Map.of("identity", "anyone"))).isInstanceOf(RpcAuthorization.Allowed.class);
    }

    @Test
    void aCallerWithoutTheCapabilityIsDenied() {
        assertThat(EclipseAuthorization.checkRpc(model, "stranger", "platform.config_store.set_config",
                Map.of("identity", "stranger")))
                .isEqualTo(new RpcAuthorization.Denied(
                        "User stranger does not have access to call platform.config_store.set_config "));
    }

    @Test
    void aRestrictedCapabilityWithOtherArgumentsIsDenied() {
        assertThat(EclipseAuthorization.checkRpc(model, "agent", "platform.config_store.set_config",
                Map.of("identity", "other")))
                .isEqualTo(new RpcAuthorization.Denied("User agent can call method platform.config_store.set_config"
                        + " only with identity=agent but called with identity=other"));
    }

    @Test
    void unprotectedMethodsAndUnknownCalleesAreAllowed() {
        assertThat(EclipseAuthorization.checkRpc(model, "stranger", "platform.config_store.get_config", Map.of()))
                .isEqualTo(RpcAuthorization.ALLOWED);
        assertThat(EclipseAuthorization.checkRpc(model, "stranger", "platform.config_store.manage_list", null))
                .isEqualTo(RpcAuthorization.ALLOWED);
        assertThat(EclipseAuthorization.checkRpc(model, "stranger", "platform.config_store.no_such", Map.of()))
                .isEqualTo(RpcAuthorization.ALLOWED);
        assertThat(EclipseAuthorization.checkRpc(model, "stranger", "unknown.agent.method", Map.of()))
                .isEqualTo(RpcAuthorization.ALLOWED);
        assertThat(EclipseAuthorization.checkRpc(model, "stranger", null, Map.of()))
                .isEqualTo(RpcAuthorization.ALLOWED);
    }

    @Test
    void theLongestMatchingIdentityIsTheCallee() {
        // "platform.config_store.x" could be platform's method "config_store.x"; the longer identity wins.
        assertThat(EclipseAuthorization.checkRpc(model, "stranger", "platform.config_store.x", Map.of()))
                .isEqualTo(RpcAuthorization.ALLOWED);
        assertThat(EclipseAuthorization.checkRpc(model, "stranger", "platform.config_store.set_config", Map.of()))
                .isInstanceOf(RpcAuthorization.Denied.class);
    }

    @Test
    void publishingToAProtectedTopicNeedsItsCapabilities() throws Exception {
        ProtectedTopics topics = ProtectedTopics.fromJson(new ObjectMapper().readTree("""
                {"write-protect": [
                  {"topic": "devices", "capabilities": ["publish_devices"]},
                  {"topic": "/secret/.*/", "capabilities": "nobody_has_this"}
                ]}"""));
        assertThat(EclipseAuthorization.checkPubsub(model, topics, "agent", "devices/campus/x/all", "publish"))
                .isTrue();
        assertThat(EclipseAuthorization.checkPubsub(model, topics, "admin", "devices/campus/x/all", "publish"))
                .isFalse();
        assertThat(EclipseAuthorization.checkPubsub(model, topics, "stranger", "devices", "publish")).isFalse();
        assertThat(EclipseAuthorization.checkPubsub(model, topics, "agent", "secret/x", "pubsub")).isFalse();
        assertThat(EclipseAuthorization.checkPubsub(model, topics, "stranger", "record/x", "publish")).isTrue();
        assertThat(EclipseAuthorization.checkPubsub(model, topics, "stranger", "devices", "subscribe")).isTrue();
        assertThat(EclipseAuthorization.checkPubsub(model, ProtectedTopics.empty(), "stranger", "devices",
                "publish")).isTrue();
    }

    @Test
    void platformIdentities() {
        assertThat(PlatformIdentities.isPlatformIdentity("platform.auth")).isTrue();
        assertThat(PlatformIdentities.isPlatformIdentity("control.connection")).isTrue();
        assertThat(PlatformIdentities.isPlatformIdentity("config.store")).isTrue();
        assertThat(PlatformIdentities.isPlatformIdentity("platform.driver")).isFalse();
        assertThat(PlatformIdentities.isPlatformIdentity(null)).isFalse();
    }
}
