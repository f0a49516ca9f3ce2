package org.vipgate.federation.management;

import java.util.Objects;
import java.util.Optional;

/**
 * One federation link as {@code GET /api/federation-links/<vhost>} reports it (vip-rabbitmq.md §5.4 step 4).
 *
 * @param upstream  the upstream parameter's name, e.g. {@code upstream-v2-volttron}
 * @param exchange  the federated local exchange ({@code volttron})
 * @param status    {@code running}, {@code starting}, {@code error}, ...
 * @param peer      the upstream's address without user info or query (no certificate paths, no secrets)
 * @param error     the last error text, when the broker reports one
 * @param timestamp when the status last changed, as the broker prints it, when present
 */
public record FederationLinkInfo(String upstream, String vhost, String exchange, String status, String peer,
                                 Optional<String> error, Optional<String> timestamp) {

    public FederationLinkInfo {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(vhost, "vhost");
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
