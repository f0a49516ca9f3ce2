package org.vipgate.federation.management;

import java.util.Objects;
import java.util.Optional;

/**
 * One shovel as {@code GET /api/shovels/<vhost>} reports it (vip-rabbitmq.md §6.2).
 *
 * @param state     {@code running}, {@code starting}, {@code terminated}
 * @param peer      the destination's address without user info or query (no certificate paths, no secrets)
 * @param error     why it is not running ({@code reason}), when the broker says
 * @param timestamp when the state last changed, as the broker prints it, when present
 */
public record ShovelInfo(String name, String vhost, String state, String peer, Optional<String> error,
                         Optional<String> timestamp) {

    public ShovelInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vhost, "vhost");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
