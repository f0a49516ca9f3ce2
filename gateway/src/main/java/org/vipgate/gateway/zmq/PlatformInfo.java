package org.vipgate.gateway.zmq;

import java.util.List;
import java.util.Map;

/**
 * What the router tells peers about the platform: the {@code query} values (vip-zmq.md §2) and the router's own
 * identity in {@code welcome}.
 *
 * @param instanceName    {@code instance-name}
 * @param serverKey       the platform's public key, 43-character form, or empty when auth is off
 * @param bindWebAddress  {@code bind-web-address}, or empty
 * @param messageBus      {@code zmq} or {@code rmq}
 * @param settings        further values of the {@code [volttron]} section (e.g. {@code volttron-central-address})
 */
public record PlatformInfo(String instanceName, String serverKey, String bindWebAddress, String messageBus,
                           Map<String, String> settings) {

    /** The VOLTTRON release whose wire protocol vipgate speaks; agents read it with {@code query}. */
    public static final String PLATFORM_VERSION = "9.0.4";

    public PlatformInfo {
        settings = Map.copyOf(settings);
    }

    /**
     * The value of a {@code query} name, given the router's bound addresses: a String, a List (sent as JSON), or
     * null for an unknown name (sent as an empty frame, which agents read as '').
     */
    public Object query(String name, List<String> addresses) {
        return switch (name) {
            case "addresses" -> addresses;
            case "local_address" -> addresses.isEmpty() ? null : addresses.get(0);
            case "serverkey" -> serverKey.isEmpty() ? null : serverKey;
            case "instance-name" -> instanceName;
            case "bind-web-address" -> bindWebAddress.isEmpty() ? null : bindWebAddress;
            case "platform-version" -> PLATFORM_VERSION;
            case "message-bus" -> messageBus;
            case "volttron-central-address", "volttron-central-serverkey" -> settings.get(name);
            default -> null;
        };
    }
}
