package org.vipgate.federation.management;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A runtime parameter as {@code /api/parameters/<component>/<vhost>/<name>} reports it, e.g. a federation upstream or
 * a dynamic shovel (vip-rabbitmq.md §5.4, §6.2).
 *
 * @param component {@code federation-upstream} or {@code shovel}
 * @param value     the parameter's value object, as the broker stores it
 */
public record RuntimeParameter(String component, String vhost, String name, JsonNode value) {

    public RuntimeParameter {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(vhost, "vhost");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
