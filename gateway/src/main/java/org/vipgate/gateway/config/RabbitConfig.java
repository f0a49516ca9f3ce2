package org.vipgate.gateway.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The keys of {@code $VOLTTRON_HOME/rabbitmq_config.yml} that vipgate uses (vip-rabbitmq.md §7.1).
 *
 * <p>{@link #load} succeeds when the file is YAML whose top level is a mapping (or empty), and every known key
 * that is present has a usable value; absent keys take VOLTTRON's defaults. Unknown keys ({@code certificate-data},
 * {@code rmq-home}, ...) are kept in {@link #settings()} and are not an error. Otherwise it throws a
 * {@link ConfigException} naming the file and the key, or the line and column of a YAML syntax error.
 * {@link #toString()} masks the password.
 *
 * @param host           broker host name; used as TLS SNI and must match the server certificate
 * @param amqpPort       plain AMQP port ({@code amqp-port})
 * @param amqpPortSsl    AMQPS port ({@code amqp-port-ssl})
 * @param mgmtPort       management HTTP port ({@code mgmt-port})
 * @param mgmtPortSsl    management HTTPS port ({@code mgmt-port-ssl})
 * @param virtualHost    the virtual host ({@code virtual-host})
 * @param user           the admin user ({@code user})
 * @param password       the admin user's password ({@code pass})
 * @param ssl            whether the broker is used over TLS ({@code ssl})
 * @param reconnectDelay wait before reconnecting after a drop ({@code reconnect-delay}, seconds)
 * @param nodeName       the RabbitMQ node name ({@code node-name})
 * @param settings       every top-level key of the file, raw (nested maps and lists unmodifiable)
 */
public record RabbitConfig(String host, int amqpPort, int amqpPortSsl, int mgmtPort, int mgmtPortSsl,
                           String virtualHost, String user, String password, boolean ssl,
                           Duration reconnectDelay, String nodeName, Map<String, Object> settings) {

    // vip-rabbitmq.md §7.1: defaults (volttron/utils/rmq_config_params.py)
    public static final String DEFAULT_HOST = "localhost";
    public static final boolean DEFAULT_SSL = true;
    public static final int DEFAULT_AMQP_PORT = 5672;
    public static final int DEFAULT_AMQP_PORT_SSL = 5671;
    public static final int DEFAULT_MGMT_PORT = 15672;
    public static final int DEFAULT_MGMT_PORT_SSL = 15671;
    public static final String DEFAULT_VIRTUAL_HOST = "volttron";
    public static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofSeconds(30);
    /** The admin user is {@code <instance>-admin} by default. */
    public static final String DEFAULT_USER_SUFFIX = "-admin";
    public static final String DEFAULT_PASSWORD = "default_passwd";
    public static final String DEFAULT_NODE_NAME = "rabbit";

    static final String MISSING_FILE_EXPECTED = "VOLTTRON's RabbitMQ settings as YAML (keys host, amqp-port,"
            + " virtual-host, user, pass, ssl; see VOLTTRON's examples/configurations/rabbitmq/rabbitmq_config.yml)."
            + " Create it (vcfg --rabbitmq single) or point --home at a VOLTTRON_HOME";

    private static final YAMLMapper YAML = new YAMLMapper();

    public RabbitConfig {
        Objects.requireNonNull(host, "host");
        checkPort(amqpPort, "amqpPort");
        checkPort(amqpPortSsl, "amqpPortSsl");
        checkPort(mgmtPort, "mgmtPort");
        checkPort(mgmtPortSsl, "mgmtPortSsl");
        Objects.requireNonNull(virtualHost, "virtualHost");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(reconnectDelay, "reconnectDelay");
        if (reconnectDelay.isNegative() || reconnectDelay.isZero()) {
            throw new IllegalArgumentException("reconnectDelay must be positive: " + reconnectDelay);
        }
        Objects.requireNonNull(nodeName, "nodeName");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    private static void checkPort(int port, String name) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be from 1 to 65535: " + port);
        }
    }

    /** All defaults of vip-rabbitmq.md §7.1, with user {@code <instanceName>-admin} and no other settings. */
    public static RabbitConfig defaults(String instanceName) {
        Objects.requireNonNull(instanceName, "instanceName");
        return new RabbitConfig(DEFAULT_HOST, DEFAULT_AMQP_PORT, DEFAULT_AMQP_PORT_SSL, DEFAULT_MGMT_PORT,
                DEFAULT_MGMT_PORT_SSL, DEFAULT_VIRTUAL_HOST, instanceName + DEFAULT_USER_SUFFIX, DEFAULT_PASSWORD,
                DEFAULT_SSL, DEFAULT_RECONNECT_DELAY, DEFAULT_NODE_NAME, Map.of());
    }

    /**
     * Reads {@code file} (normally {@code $VOLTTRON_HOME/rabbitmq_config.yml}); {@code instanceName} gives the
     * default user. An empty file gives {@link #defaults}.
     *
     * @throws ConfigException when the file is missing, unreadable, not YAML, not a mapping, or a known key has a
     *                         bad value; the message names the file and the key (or line and column)
     */
    public static RabbitConfig load(Path file, String instanceName) throws ConfigException {
        Objects.requireNonNull(instanceName, "instanceName");
        JsonNode root = parse(file, ConfigFiles.read(file, MISSING_FILE_EXPECTED));
        if (root == null || root.isMissingNode() || root.isNull()) {
            return defaults(instanceName);
        }
        if (!root.isObject()) {
            throw ConfigException.invalid(file, null, "the top level is " + kind(root) + ", not a mapping",
                    "a mapping of keys such as 'host: rmq.example.com' and 'amqp-port: 5672'");
        }
        Keys keys = new Keys(file, root);
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) plain(root);
        return new RabbitConfig(
                keys.text("host", DEFAULT_HOST, true, "the broker's host name (its FQDN, as in its certificate)"),
                keys.port("amqp-port", DEFAULT_AMQP_PORT),
                keys.port("amqp-port-ssl", DEFAULT_AMQP_PORT_SSL),
                keys.port("mgmt-port", DEFAULT_MGMT_PORT),
                keys.port("mgmt-port-ssl", DEFAULT_MGMT_PORT_SSL),
                keys.text("virtual-host", DEFAULT_VIRTUAL_HOST, true, "a RabbitMQ virtual host name"),
                keys.text("user", instanceName + DEFAULT_USER_SUFFIX, false, "a RabbitMQ user name"),
                keys.text("pass", DEFAULT_PASSWORD, false, "the admin user's password"),
                keys.bool("ssl", DEFAULT_SSL),
                keys.seconds("reconnect-delay", DEFAULT_RECONNECT_DELAY),
                keys.text("node-name", DEFAULT_NODE_NAME, true, "a RabbitMQ node name"),
                settings);
    }

    /** The AMQP port a client connects to: {@code amqp-port-ssl} with SSL, else {@code amqp-port} (§7.5). */
    public int clientAmqpPort() {
        return ssl ? amqpPortSsl : amqpPort;
    }

    /** The management API port: {@code mgmt-port-ssl} with SSL, else {@code mgmt-port} (§7.4). */
    public int clientMgmtPort() {
        return ssl ? mgmtPortSsl : mgmtPort;
    }

    /** Like the record's, but the password is masked and only the keys of {@link #settings()} are shown. */
    @Override
    public String toString() {
        return "RabbitConfig[host=" + host + ", amqpPort=" + amqpPort + ", amqpPortSsl=" + amqpPortSsl
                + ", mgmtPort=" + mgmtPort + ", mgmtPortSsl=" + mgmtPortSsl + ", virtualHost=" + virtualHost
                + ", user=" + user + ", password=****, ssl=" + ssl + ", reconnectDelay=" + reconnectDelay
                + ", nodeName=" + nodeName + ", settings=" + settings.keySet() + "]";
    }

    private static JsonNode parse(Path file, String text) throws ConfigException {
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw yamlSyntax(file, e);
        }
    }

    /**
     * Line, column and short text of a YAML error. SnakeYAML's own exception (the cause) marks the problem
     * itself; Jackson's location is where the parser stood, which can be a line earlier.
     */
    private static ConfigException yamlSyntax(Path file, JsonProcessingException e) {
        String expected = "valid YAML ('key: value' lines, nested keys indented with spaces)";
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null
                && marked.getProblem() != null) {
            String problem = marked.getProblem().strip()
                    + (marked.getContext() == null ? "" : " (" + marked.getContext().strip() + ")");
            return ConfigException.syntax(file, marked.getProblemMark().getLine() + 1,
                    marked.getProblemMark().getColumn() + 1, problem, expected, e);
        }
        String problem = firstLine(e.getOriginalMessage());
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            return ConfigException.syntax(file, at.getLineNr(), at.getColumnNr(), problem, expected, e);
        }
        return new ConfigException(file, null, problem, expected, e);
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "YAML syntax error";
        }
        return message.strip().lines().findFirst().orElse(message).strip();
    }

    private static String kind(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNull()) {
            return "no value";
        }
        return "the scalar " + ConfigException.quote(node.asText());
    }

    /** The node as plain unmodifiable Java values: maps, lists, String, Number, Boolean, null. */
    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return Collections.unmodifiableMap(map);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.elements().forEachRemaining(e -> list.add(plain(e)));
            return Collections.unmodifiableList(list);
        }
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }

    /** Reads known keys of the top-level mapping, turning bad values into ConfigExceptions. */
    private static final class Keys {
        private static final String PORT_EXPECTED = "an integer port from 1 to 65535";
        private final Path file;
        private final JsonNode root;

        Keys(Path file, JsonNode root) {
            this.file = file;
            this.root = root;
        }

        /** The value of {@code key}, or null when absent; a key present without a value is an error. */
        private JsonNode value(String key, String expected, Object defaultValue) throws ConfigException {
            JsonNode node = root.get(key);
            if (node != null && node.isNull()) {
                throw ConfigException.invalid(file, where(key), "has no value",
                        expected + ", or remove the key for the default " + ConfigException.quote(
                                String.valueOf(defaultValue)));
            }
            return node;
        }

        String text(String key, String defaultValue, boolean nonBlank, String expected) throws ConfigException {
            JsonNode node = value(key, expected, defaultValue);
            if (node == null) {
                return defaultValue;
            }
            if (!node.isValueNode()) {
                throw ConfigException.invalid(file, where(key), "got " + kind(node), expected);
            }
            String text = node.asText();
            if (nonBlank && text.isBlank()) {
                throw ConfigException.badValue(file, where(key), text, "non-blank " + expected);
            }
            return text;
        }

        int port(String key, int defaultValue) throws ConfigException {
            JsonNode node = value(key, PORT_EXPECTED, defaultValue);
            if (node == null) {
                return defaultValue;
            }
            BigInteger n = integer(node);
            if (n == null || n.compareTo(BigInteger.ONE) < 0 || n.compareTo(BigInteger.valueOf(65535)) > 0) {
                throw bad(key, node, PORT_EXPECTED);
            }
            return n.intValue();
        }

        Duration seconds(String key, Duration defaultValue) throws ConfigException {
            String expected = "a positive whole number of seconds, e.g. 30";
            JsonNode node = value(key, expected, defaultValue.toSeconds());
            if (node == null) {
                return defaultValue;
            }
            BigInteger n = integer(node);
            if (n == null || n.signum() <= 0 || n.bitLength() > 31) {
                throw bad(key, node, expected);
            }
            return Duration.ofSeconds(n.longValue());
        }

        boolean bool(String key, boolean defaultValue) throws ConfigException {
            String expected = "true or false (yes or no also accepted)";
            JsonNode node = value(key, expected, defaultValue);
            if (node == null) {
                return defaultValue;
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            // vcfg writes ssl: 'true' (a string); VOLTTRON compares it with 'true', 'True', 'TRUE' (§7.1).
            if (node.isTextual()) {
                switch (node.asText().strip().toLowerCase(Locale.ROOT)) {
                    case "true", "yes" -> {
                        return true;
                    }
                    case "false", "no" -> {
                        return false;
                    }
                    default -> {
                    }
                }
            }
            throw bad(key, node, expected);
        }

        /** A YAML integer or a string of digits, else null. */
        private static BigInteger integer(JsonNode node) {
            if (node.isIntegralNumber()) {
                return node.bigIntegerValue();
            }
            if (node.isTextual()) {
                String t = node.asText().strip();
                if (!t.isEmpty() && t.length() <= 12 && t.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return new BigInteger(t);
                }
            }
            return null;
        }

        private ConfigException bad(String key, JsonNode node, String expected) {
            if (node.isValueNode()) {
                return ConfigException.badValue(file, where(key), node.asText(), expected);
            }
            return ConfigException.invalid(file, where(key), "got " + kind(node), expected);
        }

        private static String where(String key) {
            return "key '" + key + "'";
        }
    }
}
