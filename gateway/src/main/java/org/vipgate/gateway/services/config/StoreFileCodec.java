package org.vipgate.gateway.services.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of one {@code <identity>.store} file (docs/protocol/platform-services.md, on-disk store): a JSON
 * object from config name to {@code {"type": "json"|"csv"|"raw", "modified": "<UTC timestamp>", "data": "<raw
 * text>"}}; {@code modified} is missing or null in old files.
 *
 * <p>Reading is tolerant where VOLTTRON gives up: an entry that cannot be used is left out and reported, and kept
 * as it was so that the next write puts it back unchanged ({@link Decoded#keptAsIs}); of two entries whose names
 * differ only in case (VOLTTRON leaves the old one behind when a config is stored with new case) the newer one is
 * used and the other is reported and not written again.
 */
final class StoreFileCodec {

    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    /** Non-ASCII escaped as Python's {@code json.dump} does, so VOLTTRON reads it whatever its locale. */
    private static final ObjectMapper WRITER = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private StoreFileCodec() {
    }

    /** The file could not be read at all. */
    static final class UnreadableFile extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableFile(String why) {
            super(why);
        }
    }

    /**
     * What a file holds.
     *
     * @param configs  usable configs, lower-cased normalised name to config, in file order
     * @param keptAsIs entries left out, stored name to the entry as found, to be written back unchanged
     * @param problems one line per entry left out or dropped: what and how to fix it
     */
    record Decoded(LinkedHashMap<String, StoredConfig> configs, LinkedHashMap<String, JsonNode> keptAsIs,
                   List<String> problems) {
    }

    /**
     * The file content for these configs ({@code configs} keyed by lower-cased normalised name) and the entries
     * kept as found, except those a config of the same name now replaces.
     */
    static byte[] encode(Map<String, StoredConfig> configs, Map<String, JsonNode> keptAsIs) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (StoredConfig config : configs.values()) {
            ObjectNode entry = root.putObject(config.name());
            entry.put("type", config.type().wireName());
            entry.put("modified", config.modified());
            entry.put("data", config.data());
        }
        keptAsIs.forEach((name, entry) -> {
            // A usable config of the same name (ignoring case) replaces the entry kept as found.
            if (!configs.containsKey(ConfigNames.key(ConfigNames.normalise(name))) && !root.has(name)) {
                root.set(name, entry);
            }
        });
        try {
            return WRITER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings cannot fail to serialise", e);
        }
    }

    static Decoded decode(byte[] bytes, String fileName) throws UnreadableFile {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableFile("it is not UTF-8 text, so not a JSON store (very old VOLTTRON versions wrote "
                    + "Python pickle files)");
        }
        JsonNode root;
        try {
            root = READER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UnreadableFile("it is not JSON (" + JsonConfigParser.message(e)
                    + "); very old VOLTTRON versions wrote Python pickle files");
        }
        if (root == null || !root.isObject()) {
            throw new UnreadableFile("it holds " + (root == null ? "nothing" : "a JSON " + root.getNodeType()
                    .name().toLowerCase(java.util.Locale.ROOT)) + " where a JSON object of configs is expected");
        }

        List<String> problems = new ArrayList<>();
        LinkedHashMap<String, JsonNode> keptAsIs = new LinkedHashMap<>();
        LinkedHashMap<String, StoredConfig> usable = new LinkedHashMap<>();
        List<StoredConfig> inOrder = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            JsonNode entry = field.getValue();
            String where = fileName + ": config " + PythonRepr.of(name);
            StoredConfig config;
            try {
                config = entry(name, entry);
            } catch (BadEntry e) {
                problems.add(where + " is left out: " + e.getMessage() + ". It stays in the file as it is; "
                        + "store it again (vctl config store) to replace it, or correct the file while vipgate "
                        + "is stopped");
                keptAsIs.put(name, entry);
                continue;
            }
            String key = ConfigNames.key(ConfigNames.normalise(name));
            StoredConfig other = usable.get(key);
            if (other != null) {
                StoredConfig newer = newer(other, config);
                StoredConfig older = newer == config ? other : config;
                problems.add(fileName + ": configs " + PythonRepr.of(other.name()) + " and " + PythonRepr.of(name)
                        + " differ only in case; using the newer " + PythonRepr.of(newer.name())
                        + " and dropping " + PythonRepr.of(older.name()) + " (modified " + older.modified()
                        + ") at the next write of this store. Nothing to do unless the dropped one is wanted");
                usable.put(key, newer);
                continue;
            }
            usable.put(key, config);
            inOrder.add(config);
        }

        // Cycles, checked in file order against the configs before, as VOLTTRON does when it loads.
        LinkedHashMap<String, StoredConfig> configs = new LinkedHashMap<>();
        Map<String, JsonNode> parsedSoFar = new HashMap<>();
        for (StoredConfig first : inOrder) {
            String key = ConfigNames.key(ConfigNames.normalise(first.name()));
            StoredConfig config = usable.get(key);
            if (ConfigReferences.closesCycle(key, config.parsed(), parsedSoFar)) {
                problems.add(fileName + ": config " + PythonRepr.of(config.name()) + " is left out: its "
                        + "config:// references close a cycle with the configs before it. It stays in the file as "
                        + "it is; store it again without the cycle (vctl config store) to replace it");
                keptAsIs.put(config.name(), root.get(config.name()));
                continue;
            }
            configs.put(key, config);
            parsedSoFar.put(key, config.parsed());
        }
        return new Decoded(configs, keptAsIs, problems);
    }

    private static final class BadEntry extends Exception {
        private static final long serialVersionUID = 1L;

        BadEntry(String why) {
            super(why);
        }
    }

    private static StoredConfig entry(String name, JsonNode entry) throws BadEntry {
        if (ConfigNames.normalise(name).isEmpty()) {
            throw new BadEntry("its name is empty once surrounding whitespace and slashes are removed");
        }
        if (!entry.isObject()) {
            throw new BadEntry("it is a JSON " + entry.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not an object with type, modified and data");
        }
        JsonNode typeNode = entry.get("type");
        ConfigType type;
        try {
            type = ConfigType.parse(typeNode != null && typeNode.isTextual() ? typeNode.textValue() : null);
        } catch (ConfigStoreException e) {
            throw new BadEntry("its type " + typeNode + " is not \"json\", \"csv\" or \"raw\"");
        }
        JsonNode dataNode = entry.get("data");
        if (dataNode == null || !dataNode.isTextual()) {
            throw new BadEntry("its data " + (dataNode == null ? "is missing" : "is not a string"));
        }
        JsonNode modifiedNode = entry.get("modified");
        if (modifiedNode != null && !modifiedNode.isNull() && !modifiedNode.isTextual()) {
            throw new BadEntry("its modified time " + modifiedNode + " is not a string");
        }
        String modified = modifiedNode == null || modifiedNode.isNull() ? null : modifiedNode.textValue();
        JsonNode parsed;
        try {
            parsed = ConfigContents.parse(type, dataNode.textValue());
        } catch (ConfigStoreException e) {
            throw new BadEntry("its data does not read as " + type.wireName() + ": " + e.getMessage());
        }
        return new StoredConfig(name, type, modified, dataNode.textValue(), parsed);
    }

    /** The one modified later; when that cannot be told, the one later in the file ({@code b}). */
    private static StoredConfig newer(StoredConfig a, StoredConfig b) {
        OffsetDateTime ta = time(a.modified());
        OffsetDateTime tb = time(b.modified());
        if (ta != null && tb != null && ta.isAfter(tb)) {
            return a;
        }
        if (ta != null && tb == null) {
            return a;
        }
        return b;
    }

    private static OffsetDateTime time(String modified) {
        if (modified == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(modified);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
