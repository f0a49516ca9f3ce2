package org.vipgate.gateway.zmq.external;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.AtomicFiles;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.gateway.vip.CurveKeys;

/**
 * Reads the discovery files of a VOLTTRON_HOME (certs-csr-discovery.md §3.2): {@code external_platform_discovery.json}
 * (an object keyed by instance-name, each value the {@code /discovery/} dict) and {@code external_address.json}
 * (an array of web base URLs, used in setup mode, §3.3).
 *
 * <p>A file that is not JSON of the right shape is an error naming the file; a single unusable entry is logged and
 * skipped, so that one bad platform does not keep the others from linking.
 */
public final class DiscoveryFiles {

    /** Files larger than this are refused unread. */
    static final long MAX_BYTES = 1L << 20;
    /** At most this many platforms are taken from the file; the rest are logged and skipped. */
    public static final int MAX_PLATFORMS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryFiles.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLATFORMS_EXPECTED = "a JSON object {\"<instance-name>\": {\"instance-name\": ...,"
            + " \"vip-address\": \"tcp://host:port\", \"serverkey\": \"<43-char key>\"}, ...}";
    private static final String ADDRESSES_EXPECTED = "a JSON array of web addresses [\"https://host:8443\", ...]";

    private DiscoveryFiles() {
    }

    /**
     * The usable platforms of {@code external_platform_discovery.json}, in file order, without our own instance.
     * An absent file means none.
     *
     * @throws ConfigException the file cannot be read, is not JSON, or is not an object of objects
     */
    public static List<ExternalPlatform> platforms(VolttronHome home, String ownInstanceName) throws ConfigException {
        Path file = home.externalPlatformDiscoveryFile();
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode root = read(file, PLATFORMS_EXPECTED);
        if (!root.isObject()) {
            throw ConfigException.invalid(file, null, "not a JSON object", PLATFORMS_EXPECTED);
        }
        List<ExternalPlatform> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String problem = problem(e.getValue(), ownInstanceName);
            if (problem != null) {
                LOG.warn("{}: entry '{}' skipped: {}; fix it or run setup mode again (certs-csr-discovery.md §3.2)",
                        file, e.getKey(), problem);
                continue;
            }
            if (out.size() >= MAX_PLATFORMS) {
                LOG.warn("{}: entry '{}' skipped: more than {} platforms", file, e.getKey(), MAX_PLATFORMS);
                continue;
            }
            out.add(platform(e.getValue()));
        }
        return List.copyOf(out);
    }

    /** The platform of a {@code /discovery/} dict that {@link #problem} accepted. */
    static ExternalPlatform platform(JsonNode v) {
        return new ExternalPlatform(v.get("instance-name").textValue(), v.get("vip-address").textValue(),
                v.get("serverkey").textValue(), v.hasNonNull("rmq-address"));
    }

    /**
     * Stores {@code info} (a {@code /discovery/} dict that {@link #problem} accepted) under its instance-name in
     * {@code external_platform_discovery.json}, keeping every other entry (certs-csr-discovery.md §3.2). An entry
     * already there is replaced only when {@code replace} (setup mode); otherwise the file's entry, perhaps written
     * by hand, wins.
     *
     * @return the entry now in the file for that platform
     * @throws ConfigException the file exists but cannot be read or is not a JSON object (it is left untouched)
     * @throws IOException     the file cannot be written
     */
    public static synchronized JsonNode store(VolttronHome home, JsonNode info, boolean replace)
            throws ConfigException, IOException {
        Path file = home.externalPlatformDiscoveryFile();
        ObjectNode root = JSON.createObjectNode();
        if (Files.exists(file)) {
            JsonNode existing = read(file, PLATFORMS_EXPECTED);
            if (!existing.isObject()) {
                throw ConfigException.invalid(file, null, "not a JSON object", PLATFORMS_EXPECTED);
            }
            root = (ObjectNode) existing;
        }
        String name = info.get("instance-name").textValue();
        JsonNode before = root.get(name);
        if (before != null && (before.equals(info) || !replace)) {
            return before;
        }
        root.set(name, info);
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
                AtomicFiles.OWNER_RW);
        LOG.info("{}: {} platform '{}' (vip-address {})", file, before == null ? "added" : "updated", name,
                info.get("vip-address").textValue());
        return info;
    }

    /** Why an entry cannot be used, or null when it can. */
    static String problem(JsonNode v, String ownInstanceName) {
        if (!v.isObject()) {
            return "not a JSON object";
        }
        for (String key : List.of("instance-name", "vip-address", "serverkey")) {
            JsonNode n = v.get(key);
            if (n == null || !n.isTextual() || n.textValue().isBlank()) {
                return "\"" + key + "\" is missing or not a non-empty string";
            }
        }
        String name = v.get("instance-name").textValue();
        if (name.equals(ownInstanceName)) {
            return "it is this platform's own instance-name";
        }
        String address = v.get("vip-address").textValue();
        if (!address.startsWith("tcp://") || address.contains("?")) {
            return "\"vip-address\" " + ConfigException.quote(address) + " is not tcp://host:port";
        }
        String key = v.get("serverkey").textValue();
        if (key.length() != 43) {
            return "\"serverkey\" has " + key.length() + " characters, not 43";
        }
        try {
            CurveKeys.decode(key);
        } catch (IllegalArgumentException bad) {
            return "\"serverkey\" is not a base64url CURVE key (" + bad.getMessage() + ")";
        }
        return null;
    }

    /**
     * The web addresses of {@code external_address.json}; an absent file means none.
     *
     * @throws ConfigException the file cannot be read, is not JSON, or is not an array of strings
     */
    public static List<String> webAddresses(VolttronHome home) throws ConfigException {
        Path file = home.externalAddressFile();
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode root = read(file, ADDRESSES_EXPECTED);
        if (!root.isArray()) {
            throw ConfigException.invalid(file, null, "not a JSON array", ADDRESSES_EXPECTED);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode n = root.get(i);
            if (!n.isTextual() || !(n.textValue().startsWith("http://") || n.textValue().startsWith("https://"))) {
                throw ConfigException.invalid(file, "item " + i, "not an http(s) URL string", ADDRESSES_EXPECTED);
            }
            out.add(n.textValue());
        }
        return List.copyOf(out);
    }

    private static JsonNode read(Path file, String expected) throws ConfigException {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw ConfigException.invalid(file, null, "too large (" + Files.size(file) + " bytes)",
                        "at most " + MAX_BYTES + " bytes");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ConfigException.unreadable(file, e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw ConfigException.invalid(file, null, "empty", expected);
            }
            return node;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw ConfigException.syntax(file, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(),
                    e.getOriginalMessage().lines().findFirst().orElse("not valid JSON"), expected, e);
        }
    }
}
