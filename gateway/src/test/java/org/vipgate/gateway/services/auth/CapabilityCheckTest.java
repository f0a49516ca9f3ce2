package org.vipgate.gateway.services.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapabilityCheckTest {

    private static Map<String, Object> caps(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void anUnknownUserIsShownWithAnEmptyList() {
        assertThat(CapabilityCheck.denial("foo", "set_config", Set.of("edit_config_store"), null, Map.of()))
                .contains("method 'set_config' requires capabilities {'edit_config_store'}, but capability []"
                        + " was provided for user foo");
    }

    @Test
    void aKnownUserIsShownWithTheReprOfTheirCapabilities() {
        Map<String, Object> userCaps = caps("read", null, "edit_config_store", caps("identity", "foo"));
        assertThat(CapabilityCheck.denial("foo", "do_it", Set.of("zeta", "alpha"), userCaps, Map.of()))
                .contains("method 'do_it' requires capabilities {'alpha', 'zeta'}, but capability"
                        + " {'read': None, 'edit_config_store': {'identity': 'foo'}} was provided for user foo");
        assertThat(CapabilityCheck.denial("foo", "do_it", Set.of("x"), Map.of(), Map.of()))
                .contains("method 'do_it' requires capabilities {'x'}, but capability {} was provided for user foo");
    }

    @Test
    void theBlankRequirementLetsEveryoneCall() {
        assertThat(CapabilityCheck.denial("foo", "m", Set.of(""), null, Map.of())).isEmpty();
        assertThat(CapabilityCheck.denial("foo", "m", Set.of(), null, Map.of())).isEmpty();
        assertThat(CapabilityCheck.denial("foo", "m", Set.of("", "x"), caps("x", null), Map.of())).isPresent();
    }

    @Test
    void heldCapabilitiesWithoutRestrictionsAllow() {
        assertThat(CapabilityCheck.denial("foo", "m", Set.of("a", "b"), caps("a", null, "b", Map.of(), "c", null),
                Map.of())).isEmpty();
    }

    @Test
    void equalityRestriction() {
        Map<String, Object> userCaps = caps("edit_config_store", caps("identity", "foo"));
        Set<String> required = Set.of("edit_config_store");
        assertThat(CapabilityCheck.denial("foo", "set_config", required, userCaps, Map.of("identity", "foo")))
                .isEmpty();
        assertThat(CapabilityCheck.denial("foo", "set_config", required, userCaps,
                caps("identity", "bar", "config_name", "c")))
                .contains("User foo can call method set_config only with identity=foo but called with identity=bar");
        // Python equality and str(): 1 == 1.0 == True, None prints as None
        assertThat(CapabilityCheck.denial("u", "m", Set.of("c"), caps("c", caps("n", 1)), caps("n", 1.0)))
                .isEmpty();
        assertThat(CapabilityCheck.denial("u", "m", Set.of("c"), caps("c", caps("n", 1)), caps("n", true)))
                .isEmpty();
        assertThat(CapabilityCheck.denial("u", "m", Set.of("c"), caps("c", caps("n", 1)), caps("n", null)))
                .contains("User u can call method m only with n=1 but called with n=None");
        assertThat(CapabilityCheck.denial("u", "m", Set.of("c"), caps("c", caps("n", List.of("a"))),
                caps("n", List.of("b"))))
                .contains("User u can call method m only with n=['a'] but called with n=['b']");
    }

    @Test
    void regexRestrictionMustMatchTheWholeArgument() {
        Map<String, Object> userCaps = caps("edit_config_store", caps("identity", "/platform\\..*/"));
        Set<String> required = Set.of("edit_config_store");
        assertThat(CapabilityCheck.denial("foo", "set_config", required, userCaps,
                Map.of("identity", "platform.driver"))).isEmpty();
        assertThat(CapabilityCheck.denial("foo", "set_config", required, userCaps,
                Map.of("identity", "xplatform.driver")))
                .contains("User foo can call method set_config only with identity matching pattern /platform\\..*/"
                        + " but called with identity=xplatform.driver");
        Map<String, Object> alternation = caps("c", caps("identity", "/a|b/"));
        assertThat(CapabilityCheck.denial("foo", "m", Set.of("c"), alternation, Map.of("identity", "ab")))
                .isPresent();
        assertThat(CapabilityCheck.denial("foo", "m", Set.of("c"), alternation, Map.of("identity", "a")))
                .isEmpty();
        assertThat(CapabilityCheck.denial("foo", "m", Set.of("c"), alternation, Map.of("identity", 5)))
                .contains("User foo can call method m only with identity matching pattern /a|b/ but called with"
                        + " identity=5");
        assertThat(CapabilityCheck.denial("foo", "m", Set.of("c"), caps("c", caps("identity", "/(/")),
                Map.of("identity", "("))).isPresent();
    }

    @Test
    void aRestrictionOnAParameterTheMethodLacks() {
        assertThat(CapabilityCheck.denial("foo", "set_config", Set.of("c"), caps("c", caps("nope", "x")),
                Map.of("identity", "foo")))
                .contains("User foo capability is not defined properly. method set_config does not have a"
                        + " parameter nope");
    }

    @Test
    void restrictionsOfCapabilitiesTheMethodDoesNotRequireAreIgnored() {
        assertThat(CapabilityCheck.denial("foo", "m", Set.of("a"), caps("a", null, "b", caps("x", "y")),
                Map.of())).isEmpty();
    }
}
