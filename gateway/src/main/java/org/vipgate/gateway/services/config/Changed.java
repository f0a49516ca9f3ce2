package org.vipgate.gateway.services.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@link ConfigStore#set} did, for the {@code config.update} push that follows.
 *
 * @param storedName the normalised name the config is now stored under (the case of this call)
 * @param action     {@code NEW} when no config of that name (ignoring case) existed before, else {@code UPDATE}
 * @param parsed     the parsed contents, references not resolved (a copy)
 */
public record Changed(String storedName, String action, JsonNode parsed) {

    /** The action for a config that did not exist. */
    public static final String NEW = "NEW";
    /** The action for a config that replaced one of the same name (ignoring case). */
    public static final String UPDATE = "UPDATE";
}
