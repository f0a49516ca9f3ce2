package org.vipgate.gateway.config;

import java.util.Locale;

/** The {@code message-bus} of a VOLTTRON platform config: {@code zmq} (the default) or {@code rmq}. */
public enum MessageBus {
    ZMQ("zmq"),
    RMQ("rmq");

    private final String configName;

    MessageBus(String configName) {
        this.configName = configName;
    }

    /** The value as written in {@code $VOLTTRON_HOME/config}. */
    public String configName() {
        return configName;
    }

    /**
     * Parses {@code zmq} or {@code rmq}, ignoring case and surrounding whitespace.
     *
     * @throws IllegalArgumentException for anything else (including null)
     */
    public static MessageBus parse(String value) {
        if (value != null) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            for (MessageBus bus : values()) {
                if (bus.configName.equals(v)) {
                    return bus;
                }
            }
        }
        throw new IllegalArgumentException("unknown message bus " + (value == null ? "null" : "'" + value + "'")
                + "; expected 'zmq' or 'rmq'");
    }
}
