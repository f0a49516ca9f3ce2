package org.vipgate.gateway.services.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One stored config as {@code get_metadata} describes it.
 *
 * @param name     the name in the case it was last stored with
 * @param type     how {@code data} is read
 * @param modified when it was last stored, UTC with microseconds and {@code +00:00}
 *                 (e.g. {@code 2025-05-28T19:33:07.123456+00:00}); null for entries older than that field
 * @param data     the raw text as stored
 * @param parsed   {@code data} read according to {@code type}; references are not resolved. A copy: changing it
 *                 does not change the store
 */
public record StoredConfig(String name, ConfigType type, String modified, String data, JsonNode parsed) {
}
