package org.vipgate.gateway.zmq.pubsub;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
final class PythonJson {

    private static final ObjectMapper MAPPER = new ObjectMapper(new JsonFactoryBuilder()
            .characterEscapes(new AsciiEscapes())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final ObjectWriter WRITER = MAPPER.writer(new PythonSeparators());

    private PythonJson() {
    }

    /** Parses one frame's text; fails on empty text, bad syntax or trailing data. */
    static JsonNode parse(String text) throws InvalidRequestException {
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
    static JsonNode parseObject(String text) throws InvalidRequestException {
        JsonNode node = parse(text);
        if (!node.isObject()) {
            throw new InvalidRequestException("body must be a JSON object, got " + node.getNodeType());
        }
        return node;
    }

    /** A new empty object node. */
    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A new empty array node. */
    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Python's {@code json.dumps(value)} with default arguments; the result is pure ASCII. */
    static String dumps(JsonNode value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // A tree that was parsed or built in memory always serializes; this would be a Jackson bug.
            throw new IllegalStateException("cannot serialize JSON tree", e);
        }
    }

    /**
     * Python's {@code repr()} of the value {@code json.loads} would give, e.g. {@code ['a', 'b']},
     * {@code {'x': None}}; used in error texts that VOLTTRON builds with {@code str.format}.
     */
    static String repr(JsonNode value) {
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
    static void reprString(String s, StringBuilder sb) {
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

    /** Python's default separators {@code ", "} and {@code ": "}, no newlines or indentation. Stateless. */
    private static final class PythonSeparators implements PrettyPrinter {

        @Override
        public void writeRootValueSeparator(JsonGenerator gen) {
            // one value per frame: nothing between root values
        }

        @Override
        public void writeStartObject(JsonGenerator gen) throws IOException {
            gen.writeRaw('{');
        }

        @Override
        public void writeEndObject(JsonGenerator gen, int nrOfEntries) throws IOException {
            gen.writeRaw('}');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator gen) throws IOException {
            gen.writeRaw(", ");
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator gen) throws IOException {
            gen.writeRaw(": ");
        }

        @Override
        public void writeStartArray(JsonGenerator gen) throws IOException {
            gen.writeRaw('[');
        }

        @Override
        public void writeEndArray(JsonGenerator gen, int nrOfValues) throws IOException {
            gen.writeRaw(']');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator gen) throws IOException {
            gen.writeRaw(", ");
        }

        @Override
        public void beforeArrayValues(JsonGenerator gen) {
            // no whitespace after '['
        }

        @Override
        public void beforeObjectEntries(JsonGenerator gen) {
            // no whitespace after '{'
        }
    }

    /** JSON's standard ASCII escapes plus DEL (0x7f), which Python's ensure_ascii also escapes. */
    private static final class AsciiEscapes extends CharacterEscapes {

        private static final long serialVersionUID = 1L;
        private static final int[] CODES;

        static {
            CODES = CharacterEscapes.standardAsciiEscapesForJSON();
            CODES[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return CODES;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null; // only ESCAPE_STANDARD is used
        }
    }
}
