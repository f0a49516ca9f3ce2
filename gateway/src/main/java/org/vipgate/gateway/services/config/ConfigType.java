package org.vipgate.gateway.services.config;

import java.util.Locale;

/**
 * How a stored config's raw text is read (docs/protocol/platform-services.md, configuration store types). The wire
 * and on-disk names are the lower-case constant names.
 */
public enum ConfigType {
    /** JSON with comments allowed; must be an object or a list. */
    JSON,
    /** CSV with a header row; read as a list of objects of strings. */
    CSV,
    /** The text as it is. */
    RAW;

    /** The name on the wire and on disk: {@code json}, {@code csv} or {@code raw}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type with this wire name, exactly (case-sensitive, as VOLTTRON compares).
     *
     * @throws ConfigStoreException ValueError {@code Unsupported configuration type.} for anything else, null too
     */
    public static ConfigType parse(String wireName) throws ConfigStoreException {
        for (ConfigType type : values()) {
            if (type.wireName().equals(wireName)) {
                return type;
            }
        }
        throw ConfigStoreException.valueError("Unsupported configuration type.");
    }

    @Override
    public String toString() {
        return wireName();
    }
}
