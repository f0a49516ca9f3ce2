package org.vipgate.gateway.services.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReferencesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void findsReferencesInNestedValuesNotKeysNormalisedAndLowerCased() throws Exception {
        JsonNode config = tree("{\"config://key\": 1, \"a\": \"config:// /Devices/X \","
                + " \"b\": [1, {\"c\": \"config://other\"}, \"config://devices/x\"], \"d\": \"no config://\"}");

        assertThat(ConfigReferences.references(config)).containsExactly("devices/x", "other");
    }

    @Test
    void onlyTheExactLowerCasePrefixIsAReferenceForAgents() throws Exception {
        assertThat(ConfigReferences.references(tree("[\"CONFIG://x\", \"Config://y\"]"))).isEmpty();
        // The store's cycle check counts them, as VOLTTRON's store does.
        assertThat(ConfigReferences.links(tree("[\"CONFIG://X\"]"))).containsExactly("x");
    }

    @Test
    void rawAndScalarConfigsHaveNoReferences() throws Exception {
        assertThat(ConfigReferences.references(tree("\"config://x\""))).isEmpty();
    }

    @Test
    void cyclesThroughTheNewConfigAreFound() throws Exception {
        Map<String, JsonNode> existing = Map.of(
                "b", tree("{\"next\": \"config://c\"}"),
                "c", tree("{\"next\": \"config://A\"}"),
                "d", tree("{\"next\": \"config://missing\"}"));

        assertThat(ConfigReferences.closesCycle("a", tree("{\"x\": \"config://b\"}"), existing)).isTrue();
        assertThat(ConfigReferences.closesCycle("a", tree("{\"x\": \"config://a\"}"), Map.of())).isTrue();
        assertThat(ConfigReferences.closesCycle("a", tree("{\"x\": \"config://d\"}"), existing)).isFalse();
        assertThat(ConfigReferences.closesCycle("e", tree("{\"x\": \"config://b\"}"), existing)).isFalse();
    }
}
