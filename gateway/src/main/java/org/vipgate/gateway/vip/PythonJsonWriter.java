package org.vipgate.gateway.vip;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON the way Python's {@code json.dumps} does with default separators ({@code ", "} and {@code ": "}) and the
 * same string escapes, so that bodies look like VOLTTRON's (vip-rabbitmq.md §1.5, vip-zmq.md §1.3). Numbers are
 * written as Jackson writes them (e.g. {@code 1.0E-5} where Python writes {@code 1e-05}); both parse the same.
 * With {@code ensureAscii} every char outside {@code 0x20..0x7e} is escaped (non-BMP as surrogate pairs), as
 * {@code json.dumps} does by default; without it non-ASCII text stays as it is ({@code ensure_ascii=False}).
 */
public final class PythonJsonWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PythonJsonWriter() {
    }

    /** {@code json.dumps(list_of_str, ensure_ascii=...)}. */
    public static String dumpsStrings(List<String> values, boolean ensureAscii) {
        StringBuilder sb = new StringBuilder();
        sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            quote(sb, values.get(i), ensureAscii);
        }
        return sb.append(']').toString();
    }

    /** {@code json.dumps(text)}: the text as one JSON string literal, quotes included, pure ASCII. */
    public static String quoted(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2);
        quote(sb, text, true);
        return sb.toString();
    }

    /** {@code json.dumps(value, ensure_ascii=...)}. */
    public static String dumps(JsonNode node, boolean ensureAscii) {
        StringBuilder sb = new StringBuilder();
        write(sb, node, ensureAscii);
        return sb.toString();
    }

    private static void write(StringBuilder sb, JsonNode node, boolean ensureAscii) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            sb.append("null");
        } else if (node.isTextual()) {
            quote(sb, node.textValue(), ensureAscii);
        } else if (node.isArray()) {
            sb.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                write(sb, node.get(i), ensureAscii);
            }
            sb.append(']');
        } else if (node.isObject()) {
            sb.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            boolean first = true;
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                quote(sb, field.getKey(), ensureAscii);
                sb.append(": ");
                write(sb, field.getValue(), ensureAscii);
            }
            sb.append('}');
        } else if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            // Python writes these unquoted (not strict JSON, but what json.dumps and json.loads use)
            double d = node.doubleValue();
            sb.append(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        } else {
            // numbers and booleans: Jackson's JSON text
            sb.append(node.toString());
        }
    }

    /** Python's escapes: short forms for {@code " \ \b \f \n \r \t}, {@code \\u00xx} for other controls. */
    private static void quote(StringBuilder sb, String s, boolean ensureAscii) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        unicodeEscape(sb, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        // a lone surrogate has no UTF-8 form; the escape keeps the JSON valid
                        unicodeEscape(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void unicodeEscape(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }
}
