package org.vipgate.certs.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@code GET /discovery/} tells a remote platform (certs-csr-discovery.md §3.1). Every part but the instance
 * name may be absent (null) and is then left out of the answer.
 *
 * @param serverkey    the platform's CURVE public key, 43-char URL-safe base64 without padding (§4.1), or null
 * @param vipAddress   the external VIP address, e.g. {@code tcp://10.0.0.1:22916}, or null
 * @param instanceName this instance's name; mandatory (the client fails without it, §3.1)
 * @param rmqAddress   e.g. {@code amqps://host:5671/volttron}, or null on a ZMQ platform
 * @param rmqCaCertPem the instance root CA, PEM with newlines (§7.2), or null on a ZMQ platform
 */
public record DiscoveryInfo(String serverkey, String vipAddress, String instanceName, String rmqAddress,
                            String rmqCaCertPem) {

    private static final Pattern ENCODED_CURVE_KEY = Pattern.compile("[A-Za-z0-9_-]{43}");

    public DiscoveryInfo {
        Objects.requireNonNull(instanceName, "instanceName");
        if (instanceName.isBlank()) {
            throw new IllegalArgumentException("instanceName must not be blank");
        }
        if (serverkey != null && !ENCODED_CURVE_KEY.matcher(serverkey).matches()) {
            // certs-csr-discovery.md §7.2: the 43-char URL-safe base64 form.
            throw new IllegalArgumentException("serverkey must be 43 URL-safe base64 characters, got '" + serverkey
                    + "'");
        }
    }

    /**
     * The JSON object of the answer, keys spelled as VOLTTRON spells them, absent parts left out.
     * certs-csr-discovery.md §3.1, §7.1: only serverkey, vip-address, instance-name, rmq-address, rmq-ca-cert;
     * the Python client rejects any other key.
     */
    public Map<String, String> toWire() {
        Map<String, String> m = new LinkedHashMap<>();
        putIfPresent(m, "serverkey", serverkey);
        putIfPresent(m, "vip-address", vipAddress);
        m.put("instance-name", instanceName);
        putIfPresent(m, "rmq-address", rmqAddress);
        putIfPresent(m, "rmq-ca-cert", rmqCaCertPem);
        return Collections.unmodifiableMap(m);
    }

    private static void putIfPresent(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
