package org.vipgate.federation.management;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A policy of one vhost ({@code /api/policies/<vhost>/<name>}).
 *
 * @param pattern    regular expression over exchange or queue names
 * @param definition the policy's keys, e.g. {@code {"federation-upstream-set": "all"}}
 * @param applyTo    {@code exchanges}, {@code queues} or {@code all}
 */
public record Policy(String name, String pattern, JsonNode definition, int priority, String applyTo) {

    public Policy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(applyTo, "applyTo");
    }
}
