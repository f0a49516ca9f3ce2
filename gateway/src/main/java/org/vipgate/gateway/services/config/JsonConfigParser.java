package org.vipgate.gateway.services.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Reads a {@code json} config as VOLTTRON does: comments removed ({@link JsonCommentStripper}), then JSON with the
 * rules of Python's {@code json.loads}: {@code NaN}, {@code Infinity} and {@code -Infinity} are numbers, a
 * repeated key keeps its last value (at the place of its first), and nothing but whitespace may follow the value
 * (docs/protocol/platform-services.md, configuration store types).
 *
 * <p>Errors are {@code json.decoder.JSONDecodeError}s whose message ends like Python's,
 * {@code : line L column C (char P)}, counted in the text as written (comments included).
 */
final class JsonConfigParser {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final Pattern SOURCE_NOTE = Pattern.compile("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)");

    private JsonConfigParser() {
    }

    /** Any JSON value (the store then insists on an object or a list). */
    static JsonNode parse(String text) throws ConfigStoreException {
        JsonCommentStripper stripped = JsonCommentStripper.strip(text);
        String json = stripped.text();
        int bad = pythonRejects(json);
        if (bad >= 0) {
            throw error("Expecting value", stripped, text, bad);
        }
        try (JsonParser parser = MAPPER.createParser(json)) {
            if (parser.nextToken() == null) {
                throw error("Expecting value", stripped, text, json.length());
            }
            JsonNode value = MAPPER.readTree(parser);
            JsonToken extra = parser.nextToken();
            if (extra != null) {
                throw error("Extra data", stripped, text, offset(parser.currentTokenLocation(), json));
            }
            return value;
        } catch (JsonProcessingException e) {
            throw error(message(e), stripped, text, offset(e.getLocation(), json));
        } catch (IOException e) {
            // Reading from a String cannot fail for I/O reasons; report it as a parse error anyway.
            throw error(String.valueOf(e.getMessage()), stripped, text, 0);
        }
    }

    /** Jackson's message for {@code e} on one line, without its note about the (absent) source. */
    static String message(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        return SOURCE_NOTE.matcher(message.lines().findFirst().orElse("")).replaceAll("");
    }

    /**
     * The offset of a token Jackson accepts but Python's parser does not ({@code +1}, {@code +Infinity},
     * {@code -INF}, {@code +INF}), or -1. Only text outside strings is looked at.
     */
    private static int pythonRejects(String json) {
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '+') {
                char before = i > 0 ? json.charAt(i - 1) : ' ';
                if (before != 'e' && before != 'E') {
                    return i;
                }
            } else if (c == 'I' && !json.startsWith("Infinity", i)) {
                return i > 0 && json.charAt(i - 1) == '-' ? i - 1 : i;
            }
        }
        return -1;
    }

    private static int offset(JsonLocation location, String json) {
        if (location == null) {
            return 0;
        }
        long chars = location.getCharOffset();
        if (chars < 0) {
            return json.length();
        }
        return (int) Math.min(chars, json.length());
    }

    private static ConfigStoreException error(String message, JsonCommentStripper stripped, String original,
                                              int strippedOffset) {
        int pos = stripped.originalOffset(strippedOffset);
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < pos; i++) {
            if (original.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = pos - lineStart + 1;
        return ConfigStoreException.jsonError(message + ": line " + line + " column " + column + " (char " + pos + ")");
    }
}
