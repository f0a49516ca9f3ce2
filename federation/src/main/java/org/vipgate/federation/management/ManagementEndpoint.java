package org.vipgate.federation.management;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where a RabbitMQ management API listens and how to log in to it.
 *
 * @param baseUri  e.g. {@code http://localhost:15672} or {@code https://host:15671}, without {@code /api}
 * @param user     a user with the management (or administrator) tag
 * @param password that user's password
 * @param tls      the TLS context for {@code https} endpoints (trusting the broker's CA); empty for plain HTTP
 */
public record ManagementEndpoint(URI baseUri, String user, String password, Optional<SSLContext> tls) {

    public ManagementEndpoint {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(tls, "tls");
        String scheme = baseUri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("management URI " + baseUri + ": expected http:// or https://");
        }
    }

    /** A plain HTTP endpoint. */
    public static ManagementEndpoint http(String host, int port, String user, String password) {
        return new ManagementEndpoint(URI.create("http://" + host + ":" + port), user, password, Optional.empty());
    }

    @Override
    public String toString() {
        return "ManagementEndpoint[" + baseUri + " as " + user + "]"; // never the password
    }
}
