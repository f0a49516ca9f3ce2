package org.vipgate.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a test asks of a broker it starts for itself. Every default is a named constant.
 *
 * @param tls           a TLS listener with these files, or none
 * @param extraConfig   further {@code rabbitmq.conf} lines, written after the fixture's own
 * @param startTimeout  how long to wait for the node to answer on AMQP and the management API
 */
public record NodeOptions(Optional<TlsFiles> tls, List<String> extraConfig, Duration startTimeout) {

    /** A node starts in about 8 s on a 2-core machine; leave room for a loaded CI run. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);

    public NodeOptions {
        extraConfig = List.copyOf(extraConfig);
    }

    /** No TLS, no extra configuration, {@link #DEFAULT_START_TIMEOUT}. */
    public static NodeOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link NodeOptions}. */
    public static final class Builder {
        private TlsFiles tls;
        private final List<String> extraConfig = new ArrayList<>();
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder() {
        }

        /** Adds a TLS listener with these files (and the EXTERNAL mechanism, login from the certificate CN). */
        public Builder tls(TlsFiles files) {
            this.tls = files;
            return this;
        }

        /** Adds one {@code key = value} line to {@code rabbitmq.conf}. */
        public Builder config(String line) {
            this.extraConfig.add(line);
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public NodeOptions build() {
            return new NodeOptions(Optional.ofNullable(tls), extraConfig, startTimeout);
        }
    }
}
