package org.vipgate.gateway.zmq.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Write-protected topics and the capabilities a publisher needs for them (vip-zmq.md §3.2; VOLTTRON's
 * {@code ProtectedPubSubTopics}, docs .../vip/vip-authorization.rst). Immutable.
 *
 * <p>Format: {@code {"write-protect": [{"topic": "T", "capabilities": ["c1", ...]}, ...]}}; {@code capabilities}
 * may be a single string. A topic written {@code /re/} is a regular expression matched against the whole topic
 * ({@code ^re$}). Lookup order, as in VOLTTRON: the exact topic, then the first plain entry (in file order) that is a
 * string prefix of the topic, then the first matching regular expression.
 */
public final class ProtectedTopics {

    private static final ProtectedTopics EMPTY = new ProtectedTopics(Map.of(), List.of());

    private final Map<String, List<String>> plain;
    private final List<RegexEntry> regexes;

    private record RegexEntry(Pattern pattern, List<String> capabilities) {
    }

    private ProtectedTopics(Map<String, List<String>> plain, List<RegexEntry> regexes) {
        this.plain = plain;
        this.regexes = regexes;
    }

    /** No protected topic. */
    public static ProtectedTopics empty() {
        return EMPTY;
    }

    /**
     * Reads the {@code write-protect} list. A missing list means no protected topic (as in VOLTTRON).
     *
     * @throws IllegalArgumentException when the root is not an object, an entry lacks a string {@code topic} or
     *                                  string/list-of-strings {@code capabilities}, or a {@code /regex/} does not
     *                                  compile; the caller keeps its previous topics
     */
    public static ProtectedTopics fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("protected topics must be a JSON object");
        }
        JsonNode list = root.get("write-protect");
        if (list == null || list.isNull()) {
            return EMPTY;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("\"write-protect\" must be a list");
        }
        Map<String, List<String>> plain = new LinkedHashMap<>();
        List<RegexEntry> regexes = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : list) {
            String where = "write-protect[" + index++ + "]";
            JsonNode topic = entry.get("topic");
            if (topic == null || !topic.isTextual()) {
                throw new IllegalArgumentException(where + ": \"topic\" must be a string");
            }
            List<String> caps = capabilities(entry.get("capabilities"), where);
            String t = topic.textValue();
            if (t.length() > 1 && t.startsWith("/") && t.endsWith("/")) {
                try {
                    regexes.add(new RegexEntry(Pattern.compile("^" + t.substring(1, t.length() - 1) + "$"), caps));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(where + ": bad regular expression " + t + ": "
                            + e.getDescription(), e);
                }
            } else {
                plain.put(t, caps);
            }
        }
        return new ProtectedTopics(Collections.unmodifiableMap(plain), List.copyOf(regexes));
    }

    private static List<String> capabilities(JsonNode caps, String where) {
        if (caps != null && caps.isTextual()) {
            return List.of(caps.textValue());
        }
        if (caps == null || !caps.isArray()) {
            throw new IllegalArgumentException(where + ": \"capabilities\" must be a string or a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode c : caps) {
            if (!c.isTextual()) {
                throw new IllegalArgumentException(where + ": \"capabilities\" must hold strings only");
            }
            out.add(c.textValue());
        }
        return List.copyOf(out);
    }

    /** The capabilities needed to publish to {@code topic}; empty when the topic is not protected. */
    public List<String> requiredCapabilities(String topic) {
        List<String> exact = plain.get(topic);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, List<String>> e : plain.entrySet()) {
            if (topic.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        for (RegexEntry r : regexes) {
            if (r.pattern().matcher(topic).lookingAt()) {
                return r.capabilities();
            }
        }
        return List.of();
    }

    /** Number of entries (plain and regular expressions). */
    public int size() {
        return plain.size() + regexes.size();
    }

    @Override
    public String toString() {
        return "ProtectedTopics" + plain + " regexes=" + regexes.size();
    }
}
