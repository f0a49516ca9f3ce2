package org.vipgate.federation.link;

import java.util.Objects;
import java.util.Optional;

/**
 * The state of one link as the broker reports it, or {@value #MISSING} when the file defines it and the broker has
 * no such link.
 *
 * @param name      the upstream or shovel name
 * @param state     {@code running}, {@code starting}, {@code error}, {@code terminated}, or {@value #MISSING}
 * @param peer      the remote address without secrets
 * @param lastError the broker's last error text, if any
 * @param since     when the state last changed, as the broker prints it, if known
 */
public record LinkStatus(String name, String state, String peer, Optional<String> lastError, Optional<String> since) {

    public static final String RUNNING = "running";
    public static final String MISSING = "missing";

    public LinkStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(since, "since");
    }

    public boolean running() {
        return RUNNING.equals(state);
    }
}
