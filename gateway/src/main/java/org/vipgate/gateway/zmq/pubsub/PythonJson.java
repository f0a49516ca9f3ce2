package org.vipgate.gateway.zmq.pubsub;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON as VOLTTRON's Python code reads and writes it (vip-zmq.md §1.3, §7 item 8).
 *
 * <p>Reading: strict JSON plus {@code NaN}/{@code Infinity}/{@code -Infinity} (Python's {@code json.loads} accepts
 * them); trailing data is an error. Writing ({@link #dumps}) matches {@code json.dumps} defaults: separators
 * {@code ", "} and {@code ": "}, {@code ensure_ascii} (every char outside {@code 0x20..0x7e} escaped, lowercase
 * {@code \}{@code uXXXX}, non-BMP chars as surrogate pairs, short forms for {@code \n \r \t \b \f}), and
 * {@code NaN}/{@code Infinity} unquoted. Floats may be spelled differently from Python ({@code 1.0E16} versus
 * {@code 1e+16}); the value is the same.
 */
public final class PythonJson {

    private static final ObjectMapper MAPPER = new ObjectMapper(new JsonFactoryBuilder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private PythonJson() {
    }

    /** Parses one frame's text; fails on empty text, bad syntax or trailing data. */
    public static JsonNode parse(String text) throws InvalidRequestException {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException("empty JSON body");
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new InvalidRequestException("empty JSON body");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("body is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** Parses text that must hold a JSON object. */
    public static JsonNode parseObject(String text) throws InvalidRequestException {
        JsonNode node = parse(text);
        if (!node.isObject()) {
            throw new InvalidRequestException("body must be a JSON object, got " + node.getNodeType());
        }
        return node;
    }

    /** A new empty object node. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A new empty array node. */
    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Python's {@code json.dumps(value)} with default arguments; the result is pure ASCII. */
    public static String dumps(JsonNode value) {
        return org.vipgate.gateway.vip.PythonJsonWriter.dumps(value, true);
    }

    /**
     * Python's {@code repr()} of the value {@code json.loads} would give, e.g. {@code ['a', 'b']},
     * {@code {'x': None}}; used in error texts that VOLTTRON builds with {@code str.format}.
     */
    public static String repr(JsonNode value) {
        StringBuilder sb = new StringBuilder();
        repr(value, sb);
        return sb.toString();
    }

    private static void repr(JsonNode value, StringBuilder sb) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            sb.append("None");
        } else if (value.isBoolean()) {
            sb.append(value.booleanValue() ? "True" : "False");
        } else if (value.isTextual()) {
            reprString(value.textValue(), sb);
        } else if (value.isArray()) {
            sb.append('[');
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                repr(value.get(i), sb);
            }
            sb.append(']');
        } else if (value.isObject()) {
            sb.append('{');
            Iterator<Map.Entry<String, JsonNode>> it = value.fields();
            boolean first = true;
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                reprString(e.getKey(), sb);
                sb.append(": ");
                repr(e.getValue(), sb);
            }
            sb.append('}');
        } else {
            sb.append(value.asText());
        }
    }

    /** Python 3 {@code repr(str)}: single quotes unless the text has a single quote and no double quote. */
    public static void reprString(String s, StringBuilder sb) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == quote) {
                        sb.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append(quote);
    }
}
