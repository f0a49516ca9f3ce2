package org.vipgate.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code [volttron]} section of {@code $VOLTTRON_HOME/config}, the INI file VOLTTRON's {@code vcfg} writes.
 *
 * <p>{@link #load} succeeds when the file parses as INI, has a {@code [volttron]} section with a usable
 * {@code instance-name}, and the optional {@code vip-address}, {@code bind-web-address} and {@code message-bus}
 * are valid or absent (defaults apply). Otherwise it throws a {@link ConfigException} naming the file and the
 * key with its line. Every raw entry of the section is kept in {@link #settings()}.
 *
 * @param instanceName   the instance name (surrounding double quotes removed, as VOLTTRON does)
 * @param vipAddresses   the ZMQ addresses the platform binds, at least one
 * @param bindWebAddress the HTTP(S) address of the platform's web service, when configured
 * @param messageBus     the platform's message bus
 * @param settings       every entry of {@code [volttron]}, raw, in file order, unmodifiable
 * @param authEnabled    {@code allow-auth} (default true): CURVE and ZAP on every VIP address; false only when the
 *                       file says so (vip-zmq.md §5.3, §7.1)
 */
public record PlatformConfig(String instanceName, List<String> vipAddresses, Optional<URI> bindWebAddress,
                             MessageBus messageBus, Map<String, String> settings, boolean authEnabled) {

    /** The section VOLTTRON reads its settings from. */
    public static final String SECTION = "volttron";
    /** VOLTTRON's default {@code vip-address}. */
    public static final String DEFAULT_VIP_ADDRESS = "tcp://127.0.0.1:22916";
    /** VOLTTRON's default {@code message-bus}. */
    public static final MessageBus DEFAULT_MESSAGE_BUS = MessageBus.ZMQ;

    static final String MISSING_FILE_EXPECTED = "a VOLTTRON platform config (INI with a [volttron] section)."
            + " Create it or point --home at a VOLTTRON_HOME";

    private static final String VIP_EXPECTED = "tcp://host:port (port 1-65535; host '*' or [IPv6] allowed)"
            + " or ipc://path, several separated by commas or spaces";

    public PlatformConfig {
        Objects.requireNonNull(instanceName, "instanceName");
        vipAddresses = List.copyOf(vipAddresses);
        if (vipAddresses.isEmpty()) {
            throw new IllegalArgumentException("vipAddresses is empty");
        }
        Objects.requireNonNull(bindWebAddress, "bindWebAddress");
        Objects.requireNonNull(messageBus, "messageBus");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * Reads {@code configFile} (normally {@code $VOLTTRON_HOME/config}).
     *
     * @throws ConfigException when the file is missing, unreadable, not INI, has no {@code [volttron]} section,
     *                         or holds a bad value; the message names the file, the key and its line
     */
    public static PlatformConfig load(Path configFile) throws ConfigException {
        IniFile ini = IniFile.parse(configFile, ConfigFiles.read(configFile, MISSING_FILE_EXPECTED));
        return from(ini);
    }

    /** Builds the config from an already parsed file; errors as for {@link #load}. */
    public static PlatformConfig from(IniFile ini) throws ConfigException {
        Path file = ini.file();
        Map<String, String> section = ini.section(SECTION).orElseThrow(() -> ConfigException.invalid(file,
                "[" + SECTION + "]", "section missing" + foundSections(ini),
                "a [volttron] section with at least 'instance-name = <name>', as VOLTTRON's vcfg writes it"));
        return new PlatformConfig(
                instanceName(ini, section),
                vipAddresses(ini, section),
                bindWebAddress(ini, section),
                messageBus(ini, section),
                section,
                // vip-zmq.md §5.3, §7.1: configparser's getboolean, as VOLTTRON reads allow-auth
                ini.getBoolean(SECTION, "allow-auth", true));
    }

    private static String foundSections(IniFile ini) {
        return ini.sectionNames().isEmpty() ? " (the file has no sections)"
                : " (found [" + String.join("], [", ini.sectionNames()) + "])";
    }

    private static String instanceName(IniFile ini, Map<String, String> section) throws ConfigException {
        String key = "instance-name";
        String raw = section.get(key);
        if (raw == null) {
            throw ConfigException.invalid(ini.file(), location(ini, key), "missing",
                    "the name of this instance, e.g. 'instance-name = volttron1'");
        }
        // VOLTTRON strips surrounding double quotes (agent/utils.py get_platform_instance_name: strip('"')).
        String name = stripQuotes(raw).strip();
        if (name.isEmpty()) {
            throw ConfigException.badValue(ini.file(), location(ini, key), raw,
                    "a non-blank instance name, e.g. 'volttron1'");
        }
        if (name.chars().anyMatch(Character::isWhitespace)) {
            throw ConfigException.badValue(ini.file(), location(ini, key), raw,
                    "an instance name without whitespace");
        }
        // vip-rabbitmq.md §1.3 and §2.1: the instance name is the first word of AMQP routing keys, where '.'
        // separates words and '#' and '*' are wildcards.
        if (name.indexOf('.') >= 0 || name.indexOf('#') >= 0 || name.indexOf('*') >= 0) {
            throw ConfigException.badValue(ini.file(), location(ini, key), raw,
                    "an instance name without '.', '#' or '*' (it is the first word of AMQP routing keys,"
                            + " where '.' separates words and '#' and '*' are wildcards)");
        }
        return name;
    }

    private static String stripQuotes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '"') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '"') {
            end--;
        }
        return s.substring(start, end);
    }

    private static List<String> vipAddresses(IniFile ini, Map<String, String> section) throws ConfigException {
        String key = "vip-address";
        String raw = section.get(key);
        if (raw == null) {
            return List.of(DEFAULT_VIP_ADDRESS);
        }
        List<String> addresses = new ArrayList<>();
        for (String address : raw.strip().split("[,\\s]+")) {
            if (address.isEmpty()) {
                continue;
            }
            String why = vipAddressProblem(address);
            if (why != null) {
                throw ConfigException.invalid(ini.file(), location(ini, key),
                        "got " + ConfigException.quote(address) + " (" + why + ")", VIP_EXPECTED);
            }
            addresses.add(address);
        }
        if (addresses.isEmpty()) {
            throw ConfigException.badValue(ini.file(), location(ini, key), raw, VIP_EXPECTED);
        }
        return addresses;
    }

    /** Why {@code address} is not a usable VIP bind address, or null when it is. */
    static String vipAddressProblem(String address) {
        if (address.startsWith("ipc://")) {
            return address.length() > "ipc://".length() ? null : "no path after ipc://";
        }
        if (!address.startsWith("tcp://")) {
            return "not tcp:// or ipc://";
        }
        String rest = address.substring("tcp://".length());
        String host;
        String port;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                return "'[' without ']'";
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.startsWith(":")) {
                return "no ':port' after the host";
            }
            port = after.substring(1);
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                return "no ':port'";
            }
            host = rest.substring(0, colon);
            port = rest.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                return "an IPv6 host must be in brackets, e.g. tcp://[::1]:22916";
            }
        }
        if (host.isEmpty()) {
            return "empty host";
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            return "port is not a number from 1 to 65535";
        }
        return null;
    }

    private static Optional<URI> bindWebAddress(IniFile ini, Map<String, String> section) throws ConfigException {
        String key = "bind-web-address";
        String raw = section.get(key);
        if (raw == null) {
            return Optional.empty();
        }
        String expected = "an absolute http:// or https:// address with a host, e.g. https://myhost.example.com:8443";
        URI uri;
        try {
            uri = new URI(raw.strip());
        } catch (URISyntaxException e) {
            throw new ConfigException(ini.file(), location(ini, key),
                    "got " + ConfigException.quote(raw) + " (" + e.getReason() + ")", expected, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw ConfigException.badValue(ini.file(), location(ini, key), raw, expected);
        }
        return Optional.of(uri);
    }

    private static MessageBus messageBus(IniFile ini, Map<String, String> section) throws ConfigException {
        String key = "message-bus";
        String raw = section.get(key);
        if (raw == null) {
            return DEFAULT_MESSAGE_BUS;
        }
        try {
            return MessageBus.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ini.file(), location(ini, key), "got " + ConfigException.quote(raw),
                    "'zmq' or 'rmq'", e);
        }
    }

    /** {@code [volttron] key (line N)} when the key is in the file, else {@code [volttron] key}. */
    private static String location(IniFile ini, String key) {
        return ini.location(SECTION, key);
    }
}
