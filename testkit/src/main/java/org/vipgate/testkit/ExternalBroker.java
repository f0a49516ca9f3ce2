package org.vipgate.testkit;

import java.net.URI;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A broker the user already runs, named in the environment. The fixture never stops it.
 *
 * <p>{@value #AMQP_ENV} holds {@code amqp://user:pass@host:port}; {@value #MANAGEMENT_ENV} holds the
 * management base URI and defaults to {@code http://<host>:15672}.
 */
record ExternalBroker(String host, int amqpPort, int managementPort, String username, String password)
        implements RabbitBroker {

    static final String AMQP_ENV = "VIPGATE_TEST_BROKER";
    static final String MANAGEMENT_ENV = "VIPGATE_TEST_BROKER_MANAGEMENT";
    static final int DEFAULT_AMQP_PORT = 5672;
    static final int DEFAULT_MANAGEMENT_PORT = 15672;

    /** Reads the environment; returns null when {@value #AMQP_ENV} is unset or blank. */
    static ExternalBroker fromEnvironment(Map<String, String> env) {
        String amqp = env.get(AMQP_ENV);
        if (amqp == null || amqp.isBlank()) {
            return null;
        }
        URI uri = URI.create(amqp.trim());
        if (!"amqp".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(AMQP_ENV + "='" + amqp + "': expected amqp://user:pass@host:port");
        }
        String user = "guest";
        String pass = "guest";
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            pass = parts.length > 1 ? parts[1] : "";
        }
        int port = uri.getPort() > 0 ? uri.getPort() : DEFAULT_AMQP_PORT;
        int mgmtPort = DEFAULT_MANAGEMENT_PORT;
        String mgmt = env.get(MANAGEMENT_ENV);
        if (mgmt != null && !mgmt.isBlank()) {
            URI m = URI.create(mgmt.trim());
            mgmtPort = m.getPort() > 0 ? m.getPort() : DEFAULT_MANAGEMENT_PORT;
        }
        return new ExternalBroker(uri.getHost(), port, mgmtPort, user, pass);
    }

    @Override
    public OptionalInt amqpsPort() {
        return OptionalInt.empty();
    }

    @Override
    public String describe() {
        return "external RabbitMQ at " + host + " (amqp " + amqpPort + ", management " + managementPort
                + ", from $" + AMQP_ENV + ")";
    }

    @Override
    public void close() {
        // Not ours to stop.
    }

    @Override
    public String toString() {
        return describe();
    }
}
