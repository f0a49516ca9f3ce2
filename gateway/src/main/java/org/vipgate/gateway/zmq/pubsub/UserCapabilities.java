package org.vipgate.gateway.zmq.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One user's capabilities from {@code auth_update} (vip-zmq.md §3.2). VOLTTRON 9 sends a dict
 * {@code {capability: restrictions}}; a list of names or a single name is accepted too; null means none.
 *
 * @param names capability names (the dict's keys)
 * @param raw   the value as sent, shown (Python repr) in the -32001 error text
 */
record UserCapabilities(Set<String> names, JsonNode raw) {

    UserCapabilities {
        names = Set.copyOf(names);
    }

    /** @throws InvalidRequestException when the value is not a dict, list of strings, string or null */
    static UserCapabilities of(String user, JsonNode value) throws InvalidRequestException {
        Set<String> names = new LinkedHashSet<>();
        if (value == null || value.isNull()) {
            return new UserCapabilities(names, value);
        } else if (value.isTextual()) {
            names.add(value.textValue());
        } else if (value.isObject()) {
            value.fieldNames().forEachRemaining(names::add);
        } else if (value.isArray()) {
            for (JsonNode n : value) {
                if (!n.isTextual()) {
                    throw new InvalidRequestException("capabilities of user '" + user + "' must be strings");
                }
                names.add(n.textValue());
            }
        } else {
            throw new InvalidRequestException("capabilities of user '" + user
                    + "' must be a dict, a list or a string");
        }
        return new UserCapabilities(names, value);
    }

    /** Python's repr of the value as sent, e.g. {@code {'edit_config_store': {'identity': 'x'}}}. */
    String repr() {
        return PythonJson.repr(raw);
    }
}
