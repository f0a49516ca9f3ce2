package org.vipgate.federation.management;

import java.util.Map;

/** An exchange as the management API reports it. */
public record ExchangeInfo(String vhost, String name, String type, boolean durable, boolean autoDelete,
                          boolean internal, Map<String, Object> arguments) {

    public ExchangeInfo {
        arguments = Map.copyOf(arguments);
    }
}
