package org.vipgate.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a JSON configuration file of the home ({@code auth.json}, {@code keystore}, ...) whose top level must be an
 * object. Every failure is a {@link ConfigException} naming the file, and the line and column for bad JSON.
 */
public final class JsonConfigFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonConfigFile() {
    }

    /**
     * @param expected      what the file should hold, for messages
     * @param maxBytes      a larger file is refused without reading it
     * @param quoteParser   false for files with secrets: the parser's message may quote the text, so only the
     *                      position is reported
     */
    public static ObjectNode readObject(Path file, String expected, long maxBytes, boolean quoteParser)
            throws ConfigException {
        try {
            if (Files.exists(file) && Files.size(file) > maxBytes) {
                throw ConfigException.invalid(file, null, "too large (" + Files.size(file) + " bytes)",
                        "at most " + maxBytes + " bytes");
            }
        } catch (IOException e) {
            throw ConfigException.unreadable(file, e);
        }
        String text = ConfigFiles.read(file, expected);
        try {
            if (JSON.readTree(text) instanceof ObjectNode object) {
                return object;
            }
            throw ConfigException.invalid(file, null, "not a JSON object", expected);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String problem = quoteParser
                    ? e.getOriginalMessage().lines().findFirst().orElse("not valid JSON") : "not valid JSON";
            throw ConfigException.syntax(file, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(),
                    problem, expected, quoteParser ? e : null);
        }
    }
}
