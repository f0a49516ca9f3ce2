package org.vipgate.gateway.services.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** Turns a config's raw text into its parsed form, by type (docs/protocol/platform-services.md, types). */
public final class ConfigContents {

    private ConfigContents() {
    }

    /**
     * The parsed form of {@code raw}: for {@code json} an object or list, for {@code csv} a list of objects of
     * strings, for {@code raw} a JSON string holding the text.
     *
     * @throws ConfigStoreException JSONDecodeError when json does not parse, ValueError
     *                              {@code Configuration must be a list or object.} when it is a scalar,
     *                              {@code _csv.Error} when csv cannot be read
     */
    public static JsonNode parse(ConfigType type, String raw) throws ConfigStoreException {
        switch (type) {
            case RAW:
                return TextNode.valueOf(raw);
            case CSV:
                return CsvConfigParser.parse(raw);
            case JSON:
                JsonNode value = JsonConfigParser.parse(raw);
                if (!value.isObject() && !value.isArray()) {
                    throw ConfigStoreException.valueError("Configuration must be a list or object.");
                }
                return value;
            default:
                throw new IllegalArgumentException("unknown type " + type);
        }
    }
}
