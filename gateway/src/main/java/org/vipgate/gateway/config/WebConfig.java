package org.vipgate.gateway.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web service's settings from {@code $VOLTTRON_HOME/config} (certs-csr-discovery.md §6): {@code bind-web-address}
 * and, for https, {@code web-ssl-cert} and {@code web-ssl-key} (environment variables expanded, as VOLTTRON does).
 *
 * @param bindAddress the address to listen on, {@code http(s)://host:port}
 * @param sslCert     the PEM certificate for https, when configured
 * @param sslKey      its PEM private key, when configured
 */
public record WebConfig(URI bindAddress, Optional<Path> sslCert, Optional<Path> sslKey) {

    private static final Pattern ENV = Pattern.compile("\\$(\\w+|\\{[^}]*})");

    public WebConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(sslCert, "sslCert");
        Objects.requireNonNull(sslKey, "sslKey");
    }

    /** True for an {@code https://} address. */
    public boolean tls() {
        return "https".equals(bindAddress.getScheme().toLowerCase(Locale.ROOT));
    }

    /** The port to bind: the address's, else 443 for https and 80 for http. */
    public int port() {
        return bindAddress.getPort() > 0 ? bindAddress.getPort() : tls() ? 443 : 80;
    }

    /**
     * The web settings of {@code platform}, or empty when {@code bind-web-address} is not set.
     *
     * @throws ConfigException §6: one of {@code web-ssl-cert}/{@code web-ssl-key} without the other, a named file that
     *                         does not exist, or (on a ZeroMQ platform, which has no CA to make one) https without both
     */
    public static Optional<WebConfig> from(PlatformConfig platform, Path configFile) throws ConfigException {
        return from(platform, configFile, System::getenv);
    }

    static Optional<WebConfig> from(PlatformConfig platform, Path configFile, Function<String, String> env)
            throws ConfigException {
        if (platform.bindWebAddress().isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> settings = platform.settings();
        Optional<Path> cert = path(settings.get("web-ssl-cert"), env);
        Optional<Path> key = path(settings.get("web-ssl-key"), env);
        String where = "[" + PlatformConfig.SECTION + "] web-ssl-cert / web-ssl-key";
        if (cert.isPresent() != key.isPresent()) {
            throw ConfigException.invalid(configFile, where, "only " + (cert.isPresent() ? "web-ssl-cert" : "web-ssl-key")
                    + " is set", "both, or neither (then vipgate issues the platform_web-server certificate itself)");
        }
        for (Optional<Path> file : List.of(cert, key)) {
            if (file.isPresent() && !Files.isReadable(file.get())) {
                throw ConfigException.invalid(configFile, where, file.get() + " does not exist or cannot be read",
                        "a readable PEM file");
            }
        }
        WebConfig web = new WebConfig(platform.bindWebAddress().get(), cert, key);
        if (web.tls() && cert.isEmpty() && platform.messageBus() == MessageBus.ZMQ) {
            throw ConfigException.invalid(configFile, where, "https on a ZeroMQ platform needs both",
                    "web-ssl-cert and web-ssl-key naming PEM files (VOLTTRON requires them too)");
        }
        return Optional.of(web);
    }

    private static Optional<Path> path(String raw, Function<String, String> env) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        Matcher m = ENV.matcher(raw.strip());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).startsWith("{") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
            String value = env.apply(name);
            // os.path.expandvars leaves unknown variables as they are
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        return Optional.of(Path.of(out.toString()));
    }
}
