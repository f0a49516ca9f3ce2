package org.vipgate.federation.link;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code $VOLTTRON_HOME/rabbitmq_federation_config.yml} as VOLTTRON writes it (vip-rabbitmq.md §5.1), plus vipgate's
 * optional per-upstream keys {@code instance-name}, {@code ack-mode}, {@code prefetch-count}, {@code reconnect-delay},
 * {@code max-hops} and {@code queue-type}. Unknown keys (VOLTTRON's docs show {@code csr: true}) are ignored.
 *
 * @param file      where it was read from; certificates are written back there
 * @param upstreams in file order
 */
public record FederationConfig(Path file, List<FederationUpstream> upstreams) {

    /** The top-level key (§5.1). */
    public static final String ROOT_KEY = "federation-upstream";

    static final String EXPECTED = "'" + ROOT_KEY + ":' mapping upstream host names to port, virtual-host,"
            + " https-port, federation-user and optionally certificates (see VOLTTRON's"
            + " examples/configurations/rabbitmq/rabbitmq_federation_config.yml)";

    public FederationConfig {
        Objects.requireNonNull(file, "file");
        upstreams = List.copyOf(upstreams);
    }

    /**
     * Reads and checks the file.
     *
     * @throws LinkConfigException when it is missing, not YAML, or a key is missing or has a bad value; the message
     *                             names the file and the key
     */
    public static FederationConfig load(Path file) throws LinkConfigException {
        YamlKeys keys = new YamlKeys(file);
        return new FederationConfig(file, keys.hostEntries(ROOT_KEY, EXPECTED, "the upstream's host name",
                (host, node, at) -> upstream(keys, host, node, at)));
    }

    private static FederationUpstream upstream(YamlKeys keys, String host, JsonNode node, String at)
            throws LinkConfigException {
        if (!node.isObject()) {
            throw keys.problem(at, node, "a mapping with port, virtual-host, https-port and federation-user");
        }
        UpstreamTuning tuning = new UpstreamTuning(
                keys.optionalText(node, "ack-mode", at + ".ack-mode", "on-confirm, on-publish or no-ack"),
                keys.optionalInt(node, "prefetch-count", at + ".prefetch-count", 1, 1_000_000),
                keys.optionalInt(node, "reconnect-delay", at + ".reconnect-delay", 0, 86_400),
                keys.optionalInt(node, "max-hops", at + ".max-hops", 1, 255),
                keys.optionalText(node, "queue-type", at + ".queue-type", "classic or quorum"));
        if (tuning.ackMode().isPresent()
                && !List.of("on-confirm", "on-publish", "no-ack").contains(tuning.ackMode().get())) {
            throw keys.problem(at + ".ack-mode", node.path("ack-mode"), "on-confirm, on-publish or no-ack");
        }
        return new FederationUpstream(host,
                keys.requiredInt(node, "port", at + ".port", 1, 65535),
                keys.text(node, "virtual-host", at + ".virtual-host", "the upstream's RabbitMQ virtual host"),
                keys.optionalInt(node, "https-port", at + ".https-port", 1, 65535)
                        .orElse(FederationUpstream.DEFAULT_HTTPS_PORT),
                keys.text(node, "federation-user", at + ".federation-user", "<local instance>.federation"),
                keys.optionalText(node, "instance-name", at + ".instance-name", "the upstream's instance name"),
                Certificates.read(keys, node, at + ".certificates"),
                tuning);
    }

    /** The upstream for {@code host}, if the file has it. */
    public Optional<FederationUpstream> upstream(String host) {
        return upstreams.stream().filter(u -> u.host().equals(host)).findFirst();
    }
}
