package org.vipgate.gateway.zmq.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vipgate.gateway.vip.VipMessage;

/**
 * Parses the ARGS of pubsub requests (vip-zmq.md §3.2; args[0] is the op). Every method either returns a complete
 * request or throws {@link InvalidRequestException} naming what is wrong; nothing is half-applied.
 *
 * <p>Leniency, chosen where VOLTTRON's client always sends the key: a missing or null {@code bus} is {@code ""}
 * (except for {@code list}, where null means every bus, as in VOLTTRON); missing booleans take the client's defaults;
 * a publish without {@code headers}/{@code message} gets {@code {}}/{@code null}.
 */
final class PubSubRequests {

    record Subscribe(Scope scope, String bus, List<String> prefixes) {
    }

    /** @param prefixes null = every prefix of the sender on that bus */
    record Unsubscribe(Scope scope, String bus, List<String> prefixes) {
    }

    /** @param topicFrame the topic frame as received, forwarded byte for byte */
    record Publish(byte[] topicFrame, String topic, String bus, JsonNode headers, JsonNode message) {
    }

    /** @param bus null = every bus */
    record ListQuery(String prefix, String bus, boolean subscribed, boolean reverse, Scope scope) {
    }

    private PubSubRequests() {
    }

    /** {@code subscribe {"prefix": str|[str], "bus": str, "all_platforms": bool}}. */
    static Subscribe subscribe(VipMessage m) throws InvalidRequestException {
        JsonNode body = PythonJson.parseObject(frame(m, 1, "JSON body"));
        JsonNode prefix = body.get("prefix");
        if (prefix == null || prefix.isNull()) {
            throw new InvalidRequestException("\"prefix\" is missing");
        }
        return new Subscribe(Scope.of(bool(body, "all_platforms", false)), bus(body), prefixes(prefix));
    }

    /**
     * {@code unsubscribe {"internal"|"all": {"prefix": str|[str]|null, "bus": str}}}, both keys allowed; a body with
     * neither key is the legacy flat {@code {"prefix", "bus"}} for {@code internal}.
     */
    static List<Unsubscribe> unsubscribe(VipMessage m) throws InvalidRequestException {
        JsonNode body = PythonJson.parseObject(frame(m, 1, "JSON body"));
        List<Unsubscribe> out = new ArrayList<>();
        if (!body.has(Scope.INTERNAL.key()) && !body.has(Scope.ALL.key())) {
            out.add(unsubscribeOne(Scope.INTERNAL, body));
            return out;
        }
        Iterator<String> keys = body.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            Scope scope = Scope.ofKey(key);
            if (scope == null) {
                throw new InvalidRequestException("unknown key \"" + key + "\" (expected \"internal\" or \"all\")");
            }
            JsonNode inner = body.get(key);
            if (!inner.isObject()) {
                throw new InvalidRequestException("\"" + key + "\" must be an object");
            }
            out.add(unsubscribeOne(scope, inner));
        }
        return out;
    }

    private static Unsubscribe unsubscribeOne(Scope scope, JsonNode body) throws InvalidRequestException {
        if (!body.has("prefix")) {
            throw new InvalidRequestException("\"prefix\" is missing (use null to remove every prefix)");
        }
        JsonNode prefix = body.get("prefix");
        return new Unsubscribe(scope, bus(body), prefix.isNull() ? null : prefixes(prefix));
    }

    /** {@code publish <topic> {"bus": str, "headers": {...}, "message": any}}. */
    static Publish publish(VipMessage m) throws InvalidRequestException {
        if (m.args().size() < 2) {
            throw new InvalidRequestException("missing frame 7 (topic)");
        }
        byte[] topicFrame = m.args().get(1);
        JsonNode body = PythonJson.parseObject(frame(m, 2, "JSON body"));
        JsonNode headers = body.has("headers") ? body.get("headers") : PythonJson.object();
        JsonNode message = body.has("message") ? body.get("message") : NullNode.getInstance();
        return new Publish(topicFrame, VipMessage.text(topicFrame), bus(body), headers, message);
    }

    /** {@code list {"prefix", "bus", "subscribed", "reverse", "all_platforms"}}. */
    static ListQuery list(VipMessage m) throws InvalidRequestException {
        JsonNode body = PythonJson.parseObject(frame(m, 1, "JSON body"));
        JsonNode prefix = body.get("prefix");
        String p;
        if (prefix == null || prefix.isNull()) {
            p = "";
        } else if (prefix.isTextual()) {
            p = prefix.textValue();
        } else {
            throw new InvalidRequestException("\"prefix\" must be a string");
        }
        String bus;
        if (!body.has("bus")) {
            bus = "";
        } else if (body.get("bus").isNull()) {
            bus = null; // vip-zmq.md §3.2 / ps.py _peer_list: bus None lists every bus
        } else {
            bus = bus(body);
        }
        return new ListQuery(p, bus, bool(body, "subscribed", true), bool(body, "reverse", false),
                Scope.of(bool(body, "all_platforms", false)));
    }

    /** {@code synchronize connected {"subscriptions": {"internal": {bus: [prefixes]}, "all": {...}}}}. */
    static Set<Subscription> synchronize(VipMessage m) throws InvalidRequestException {
        JsonNode body = PythonJson.parseObject(frame(m, 2, "JSON body"));
        JsonNode subs = body.get("subscriptions");
        if (subs == null || !subs.isObject()) {
            throw new InvalidRequestException("\"subscriptions\" must be an object");
        }
        Set<Subscription> out = new LinkedHashSet<>();
        Iterator<Map.Entry<String, JsonNode>> scopes = subs.fields();
        while (scopes.hasNext()) {
            Map.Entry<String, JsonNode> s = scopes.next();
            Scope scope = Scope.ofKey(s.getKey());
            if (scope == null) {
                throw new InvalidRequestException("unknown key \"" + s.getKey()
                        + "\" in subscriptions (expected \"internal\" or \"all\")");
            }
            if (s.getValue().isNull()) {
                continue;
            }
            if (!s.getValue().isObject()) {
                throw new InvalidRequestException("subscriptions." + s.getKey() + " must be an object {bus: [prefixes]}");
            }
            Iterator<Map.Entry<String, JsonNode>> buses = s.getValue().fields();
            while (buses.hasNext()) {
                Map.Entry<String, JsonNode> b = buses.next();
                if (b.getValue().isNull()) {
                    continue;
                }
                for (String prefix : prefixes(b.getValue())) {
                    out.add(new Subscription(scope, b.getKey(), prefix));
                }
            }
        }
        return out;
    }

    /** {@code auth_update {"capabilities": {user_id: caps}}}. */
    static Map<String, UserCapabilities> authUpdate(VipMessage m) throws InvalidRequestException {
        JsonNode body = PythonJson.parseObject(frame(m, 1, "JSON body"));
        JsonNode caps = body.get("capabilities");
        if (caps == null || !caps.isObject()) {
            throw new InvalidRequestException("\"capabilities\" must be an object {user_id: capabilities}");
        }
        Map<String, UserCapabilities> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = caps.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), UserCapabilities.of(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** {@code protected_update {"write-protect": [{"topic": t, "capabilities": [..]}]}}. */
    static ProtectedTopics protectedUpdate(VipMessage m) throws InvalidRequestException {
        JsonNode body = PythonJson.parseObject(frame(m, 1, "JSON body"));
        try {
            return ProtectedTopics.fromJson(body);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }

    /** ARGS frame {@code i} as text; error texts number frames as in view B (vip-zmq.md §1.1), where the op is 6. */
    private static String frame(VipMessage m, int i, String what) throws InvalidRequestException {
        String text = m.arg(i);
        if (text == null) {
            throw new InvalidRequestException("missing frame " + (6 + i) + " (" + what + ")");
        }
        return text;
    }

    private static String bus(JsonNode body) throws InvalidRequestException {
        JsonNode bus = body.get("bus");
        if (bus == null || bus.isNull()) {
            return "";
        }
        if (!bus.isTextual()) {
            throw new InvalidRequestException("\"bus\" must be a string");
        }
        return bus.textValue();
    }

    private static boolean bool(JsonNode body, String key, boolean dflt) throws InvalidRequestException {
        JsonNode v = body.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new InvalidRequestException("\"" + key + "\" must be true or false");
        }
        return v.booleanValue();
    }

    private static List<String> prefixes(JsonNode prefix) throws InvalidRequestException {
        if (prefix.isTextual()) {
            return List.of(prefix.textValue());
        }
        if (!prefix.isArray()) {
            throw new InvalidRequestException("\"prefix\" must be a string or a list of strings");
        }
        List<String> out = new ArrayList<>(prefix.size());
        for (JsonNode p : prefix) {
            if (!p.isTextual()) {
                throw new InvalidRequestException("\"prefix\" must be a string or a list of strings");
            }
            out.add(p.textValue());
        }
        return out;
    }
}
