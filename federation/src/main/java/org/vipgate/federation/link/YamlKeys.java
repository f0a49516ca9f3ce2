package org.vipgate.federation.link;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads typed values out of a parsed YAML file, throwing {@link LinkConfigException} naming file and key. */
final class YamlKeys {

    static final YAMLMapper YAML = new YAMLMapper();

    private final Path file;

    YamlKeys(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The file's top-level mapping. */
    ObjectNode readRoot(String expected) throws LinkConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new LinkConfigException(file, null, "missing file", expected, e);
        } catch (IOException e) {
            throw new LinkConfigException(file, null, "cannot read the file (" + e + ")", expected, e);
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new LinkConfigException(file, null, "not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), expected, e);
        }
        if (root == null || !root.isObject()) {
            throw new LinkConfigException(file, null, "the top level is not a mapping", expected);
        }
        return (ObjectNode) root;
    }

    ObjectNode mapping(JsonNode parent, String field, String key, String expected) throws LinkConfigException {
        JsonNode n = parent.path(field);
        if (!n.isObject()) {
            throw problem(key, n, expected);
        }
        return (ObjectNode) n;
    }

    Optional<ObjectNode> optionalMapping(JsonNode parent, String field, String key, String expected)
            throws LinkConfigException {
        JsonNode n = parent.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            throw problem(key, n, expected);
        }
        return Optional.of((ObjectNode) n);
    }

    String text(JsonNode parent, String field, String key, String expected) throws LinkConfigException {
        return optionalText(parent, field, key, expected)
                .orElseThrow(() -> new LinkConfigException(file, key, "missing", expected));
    }

    Optional<String> optionalText(JsonNode parent, String field, String key, String expected)
            throws LinkConfigException {
        JsonNode n = parent.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isValueNode() || n.asText().isBlank()) {
            throw problem(key, n, expected);
        }
        return Optional.of(n.asText().strip());
    }

    /** An integer given as a YAML number or a string of digits (VOLTTRON's example quotes the port). */
    Optional<Integer> optionalInt(JsonNode parent, String field, String key, int min, int max)
            throws LinkConfigException {
        JsonNode n = parent.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return Optional.empty();
        }
        String expected = "an integer from " + min + " to " + max;
        String t = n.isValueNode() ? n.asText().strip() : "";
        if (t.isEmpty() || t.length() > 10 || !t.chars().allMatch(Character::isDigit)) {
            throw problem(key, n, expected);
        }
        long v = Long.parseLong(t);
        if (v < min || v > max) {
            throw problem(key, n, expected);
        }
        return Optional.of((int) v);
    }

    int requiredInt(JsonNode parent, String field, String key, int min, int max) throws LinkConfigException {
        return optionalInt(parent, field, key, min, max).orElseThrow(() -> new LinkConfigException(file, key,
                "missing", "an integer from " + min + " to " + max));
    }

    Optional<Boolean> optionalBool(JsonNode parent, String field, String key) throws LinkConfigException {
        JsonNode n = parent.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return Optional.empty();
        }
        if (n.isBoolean()) {
            return Optional.of(n.booleanValue());
        }
        throw problem(key, n, "true or false");
    }

    /** Reads one entry of a per-host mapping; {@code at} is its key path, {@code <root>.<host>}. */
    @FunctionalInterface
    interface HostEntry<T> {
        T read(String host, JsonNode node, String at) throws LinkConfigException;
    }

    /**
     * The entries of the top-level mapping {@code rootKey}, each keyed by a host name (§5.1, §6.1), in file order.
     *
     * @param expected what the file should hold, for the error when it does not
     * @param hostRole what the key names, e.g. {@code the upstream's host name}
     */
    <T> List<T> hostEntries(String rootKey, String expected, String hostRole, HostEntry<T> reader)
            throws LinkConfigException {
        ObjectNode all = mapping(readRoot(expected), rootKey, rootKey, expected);
        List<T> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String host = e.getKey();
            String at = rootKey + "." + host;
            if (host.isBlank() || host.chars().anyMatch(c -> c == '/' || c == ' ' || c == '?' || c == '@')) {
                throw new LinkConfigException(file, at, "not a host name", hostRole);
            }
            out.add(reader.read(host, e.getValue(), at));
        }
        return out;
    }

    LinkConfigException problem(String key, JsonNode found, String expected) {
        String got = found.isMissingNode() || found.isNull() ? "missing"
                : found.isValueNode() ? "got '" + found.asText() + "'"
                : found.isArray() ? "got a list" : "got a mapping";
        return new LinkConfigException(file, key, got, expected);
    }
}
