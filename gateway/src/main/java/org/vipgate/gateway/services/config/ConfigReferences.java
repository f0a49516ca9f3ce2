package org.vipgate.gateway.services.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * References between configs (docs/protocol/platform-services.md, configuration store references): a string value
 * anywhere inside objects and lists (not a key) that begins with {@code config://} names another config of the
 * same identity. The name is what follows the prefix, normalised like a config name and lower-cased. The store
 * never resolves references; agents do.
 */
public final class ConfigReferences {

    /** The prefix of a reference. */
    public static final String PREFIX = "config://";

    private ConfigReferences() {
    }

    /**
     * The configs {@code parsed} references, as agents resolve them: only values that begin with exactly
     * {@code config://} (case-sensitive). Names are normalised and lower-cased; in order of first appearance.
     */
    public static Set<String> references(JsonNode parsed) {
        return collect(parsed, false);
    }

    /**
     * The links the store follows when it looks for cycles. VOLTTRON's store lower-cases the value before it tests
     * the prefix, so {@code CONFIG://x} counts here (but agents do not resolve it).
     */
    static Set<String> links(JsonNode parsed) {
        return collect(parsed, true);
    }

    /**
     * Whether storing {@code parsed} under {@code key} would close a cycle (including a reference to itself),
     * given the other configs' links ({@code existing}: lower-cased name to parsed contents; the current
     * content stored under {@code key}, if any, is ignored). Links to missing configs are fine.
     */
    static boolean closesCycle(String key, JsonNode parsed, Map<String, JsonNode> existing) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(links(parsed));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (next.equals(key)) {
                return true;
            }
            if (!seen.add(next)) {
                continue;
            }
            JsonNode target = existing.get(next);
            if (target != null) {
                todo.addAll(links(target));
            }
        }
        return false;
    }

    private static Set<String> collect(JsonNode root, boolean anyCasePrefix) {
        Set<String> names = new LinkedHashSet<>();
        if (root == null || !(root.isObject() || root.isArray())) {
            return names; // a raw config has no links
        }
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            if (node.isContainerNode()) {
                // push in reverse so that names come out in document order
                Deque<JsonNode> children = new ArrayDeque<>();
                node.elements().forEachRemaining(children::push);
                children.forEach(todo::push);
            } else if (node.isTextual()) {
                String value = node.textValue();
                String tested = anyCasePrefix ? value.toLowerCase(Locale.ROOT) : value;
                if (tested.startsWith(PREFIX)) {
                    names.add(ConfigNames.key(ConfigNames.normalise(tested.substring(PREFIX.length()))));
                }
            }
        }
        return names;
    }
}
