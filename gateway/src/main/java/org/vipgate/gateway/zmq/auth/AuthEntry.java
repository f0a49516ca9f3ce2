package org.vipgate.gateway.zmq.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One entry of the {@code allow} or {@code deny} list of auth.json (vip-zmq.md §5.4; VOLTTRON
 * {@code auth_entry.py}). Every text value may be null, meaning "not set"; an empty string or list reads as
 * null, as in VOLTTRON. {@code domain}, {@code address} and {@code credentials} written as {@code /regex/} are
 * regular expressions that must match the whole value.
 *
 * @param domain                  ZAP domain, or null for any
 * @param address                 peer IP address, or null for any
 * @param mechanism               {@code CURVE}, {@code NULL} or {@code PLAIN}
 * @param credentials             43-character public key for CURVE, the user name for PLAIN; null for NULL
 * @param userId                  the user id handed to the router (a uuid4 when the file has none)
 * @param identity                the VIP identity the entry is meant for, or null (informative; not checked by ZAP)
 * @param groups                  group names (never null)
 * @param roles                   role names (never null)
 * @param capabilities            capability name to null or to a map of parameter restrictions (never null)
 * @param rpcMethodAuthorizations method name to the capabilities it needs (never null)
 * @param comments                free text, or null
 * @param enabled                 false to keep the entry without using it
 */
public record AuthEntry(String domain, String address, String mechanism, String credentials, String userId,
                        String identity, List<String> groups, List<String> roles,
                        Map<String, Map<String, Object>> capabilities,
                        Map<String, List<String>> rpcMethodAuthorizations, String comments, boolean enabled) {

    /** The mechanisms ZAP may ask about. */
    public static final Set<String> MECHANISMS = Set.of("CURVE", "NULL", "PLAIN");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Checks the entry as VOLTTRON's {@code AuthEntry._check_validity} does and normalizes empty values. */
    public AuthEntry {
        domain = emptyToNull(domain);
        address = emptyToNull(address);
        mechanism = mechanism == null ? "CURVE" : mechanism;
        credentials = emptyToNull(credentials);
        userId = emptyToNull(userId);
        identity = emptyToNull(identity);
        groups = groups == null ? List.of() : List.copyOf(groups);
        roles = roles == null ? List.of() : List.copyOf(roles);
        capabilities = capabilities == null ? Map.of() : unmodifiableCopy(capabilities);
        rpcMethodAuthorizations = rpcMethodAuthorizations == null ? Map.of() : Map.copyOf(rpcMethodAuthorizations);
        comments = emptyToNull(comments);
        if (!MECHANISMS.contains(mechanism)) {
            throw new IllegalArgumentException("mechanism must be CURVE, NULL or PLAIN, not '" + mechanism + "'");
        }
        if (!mechanism.equals("NULL") && credentials == null) {
            throw new IllegalArgumentException("credentials are required for mechanism " + mechanism);
        }
        if (mechanism.equals("CURVE") && !isRegex(credentials) && credentials.length() != 43) {
            throw new IllegalArgumentException("CURVE credentials must be a 43-character public key or a /regex/,"
                    + " not " + credentials.length() + " characters");
        }
    }

    /**
     * An enabled CURVE allow entry for one public key, as setup mode and {@code vctl auth add} write it.
     *
     * @param publicKey 43-character public key
     */
    public static AuthEntry curve(String publicKey, String userId, String identity, String comments) {
        return new AuthEntry(null, null, "CURVE", publicKey, userId, identity, List.of(), List.of(), Map.of(),
                Map.of(), comments, true);
    }

    /** A copy with another user id. */
    public AuthEntry withUserId(String newUserId) {
        return new AuthEntry(domain, address, mechanism, credentials, newUserId, identity, groups, roles,
                capabilities, rpcMethodAuthorizations, comments, enabled);
    }

    /** True for VOLTTRON's {@code /regex/} form: longer than one character, starting and ending with '/'. */
    public static boolean isRegex(String value) {
        return value != null && value.length() > 1 && value.startsWith("/") && value.endsWith("/");
    }

    /**
     * Reads one auth.json entry. A missing {@code user_id} gets {@code newUserId.get()}; unknown keys are ignored
     * (the file keeps them, see {@link AuthFile#addAllow}).
     *
     * @throws IllegalArgumentException when the entry is not an object or a value has the wrong type or form
     */
    static AuthEntry fromJson(JsonNode node, Supplier<String> newUserId) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("an entry must be a JSON object");
        }
        String userId = text(node, "user_id");
        return new AuthEntry(text(node, "domain"), text(node, "address"), text(node, "mechanism"),
                text(node, "credentials"), userId == null ? newUserId.get() : userId, text(node, "identity"),
                names(node, "groups"), names(node, "roles"), capabilities(node.get("capabilities")),
                rpcAuthorizations(node.get("rpc_method_authorizations")), comments(node.get("comments")),
                enabled(node.get("enabled")));
    }

    /** The entry with all of VOLTTRON's keys, as VOLTTRON writes it. */
    ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("domain", domain);
        node.put("address", address);
        node.put("mechanism", mechanism);
        node.put("credentials", credentials);
        node.put("user_id", userId);
        node.put("identity", identity);
        ArrayNode groupsNode = node.putArray("groups");
        groups.forEach(groupsNode::add);
        ArrayNode rolesNode = node.putArray("roles");
        roles.forEach(rolesNode::add);
        node.set("capabilities", JSON.valueToTree(capabilities));
        node.set("rpc_method_authorizations", JSON.valueToTree(rpcMethodAuthorizations));
        node.put("comments", comments);
        node.put("enabled", enabled);
        return node;
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("'" + key + "' must be a string or null, not " + value.getNodeType());
        }
        return value.asText();
    }

    private static List<String> names(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isTextual()) {
            return value.asText().isEmpty() ? List.of() : List.of(value.asText());
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("'" + key + "' must be a list of names, not " + value.getNodeType());
        }
        List<String> names = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new IllegalArgumentException("'" + key + "' must hold strings, not " + element.getNodeType());
            }
            names.add(element.asText());
        }
        return names;
    }

    /** VOLTTRON's {@code build_capabilities_field}: a name, a {name: args} map, or a list of either. */
    private static Map<String, Map<String, Object>> capabilities(JsonNode value) {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return result;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                addCapability(result, element);
            }
        } else {
            addCapability(result, value);
        }
        return result;
    }

    private static void addCapability(Map<String, Map<String, Object>> result, JsonNode value) {
        if (value.isTextual()) {
            if (!value.asText().isEmpty()) {
                result.putIfAbsent(value.asText(), null);
            }
        } else if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode args = field.getValue();
                if (args == null || args.isNull()) {
                    result.putIfAbsent(field.getKey(), null);
                } else if (args.isObject()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map = JSON.convertValue(args, LinkedHashMap.class);
                    result.put(field.getKey(), Collections.unmodifiableMap(map));
                } else {
                    throw new IllegalArgumentException("capability '" + field.getKey()
                            + "' must map to null or to an object of parameters, not " + args.getNodeType());
                }
            }
        } else {
            throw new IllegalArgumentException("'capabilities' must be a name, an object or a list of them, not "
                    + value.getNodeType());
        }
    }

    private static Map<String, List<String>> rpcAuthorizations(JsonNode value) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return result;
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException("'rpc_method_authorizations' must be an object {method: [caps]}, not "
                    + value.getNodeType());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            List<String> caps = new ArrayList<>();
            JsonNode list = field.getValue();
            if (list != null && list.isArray()) {
                list.forEach(c -> caps.add(c.asText()));
            } else if (list != null && list.isTextual()) {
                caps.add(list.asText());
            } else if (list != null && !list.isNull()) {
                throw new IllegalArgumentException("rpc method '" + field.getKey()
                        + "' must map to a list of capabilities, not " + list.getNodeType());
            }
            result.put(field.getKey(), List.copyOf(caps));
        }
        return result;
    }

    private static String comments(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static boolean enabled(JsonNode value) {
        if (value == null || value.isNull()) {
            return true;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        throw new IllegalArgumentException("'enabled' must be true or false, not " + value);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static Map<String, Map<String, Object>> unmodifiableCopy(Map<String, Map<String, Object>> map) {
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, v == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        return Collections.unmodifiableMap(copy);
    }
}
