package org.vipgate.federation.link;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code $VOLTTRON_HOME/rabbitmq_shovel_config.yml} (vip-rabbitmq.md §6.1), accepting both {@code private_key} and
 * the example's {@code private_cert}; plus vipgate's optional per-remote keys {@code instance-name} and
 * {@code queue-shovel}.
 */
public record ShovelConfig(Path file, List<ShovelRemote> remotes) {

    public static final String ROOT_KEY = "shovel";

    static final String EXPECTED = "'" + ROOT_KEY + ":' mapping remote host names to port, virtual-host, https-port,"
            + " shovel-user, optionally certificates, pubsub and rpc (see VOLTTRON's"
            + " examples/configurations/rabbitmq/rabbitmq_shovel_config.yml)";

    public ShovelConfig {
        Objects.requireNonNull(file, "file");
        remotes = List.copyOf(remotes);
    }

    /**
     * Reads and checks the file.
     *
     * @throws LinkConfigException naming the file and the key at fault
     */
    public static ShovelConfig load(Path file) throws LinkConfigException {
        YamlKeys keys = new YamlKeys(file);
        return new ShovelConfig(file, keys.hostEntries(ROOT_KEY, EXPECTED, "the remote's host name",
                (host, node, at) -> remote(keys, host, node, at)));
    }

    private static ShovelRemote remote(YamlKeys keys, String host, JsonNode node, String at)
            throws LinkConfigException {
        if (!node.isObject()) {
            throw keys.problem(at, node, "a mapping with port, virtual-host, https-port, shovel-user, pubsub, rpc");
        }
        return new ShovelRemote(host,
                keys.requiredInt(node, "port", at + ".port", 1, 65535),
                keys.text(node, "virtual-host", at + ".virtual-host", "the remote RabbitMQ virtual host"),
                keys.optionalInt(node, "https-port", at + ".https-port", 1, 65535)
                        .orElse(ShovelRemote.DEFAULT_HTTPS_PORT),
                keys.text(node, "shovel-user", at + ".shovel-user", "<local instance>.<unique name>"),
                keys.optionalText(node, "instance-name", at + ".instance-name", "the remote's instance name"),
                Certificates.read(keys, node, at + ".certificates"),
                pubsub(keys, node, at + ".pubsub"),
                rpc(keys, node, at + ".rpc"),
                keys.optionalBool(node, "queue-shovel", at + ".queue-shovel").orElse(false));
    }

    /** {@code <publisher identity>: topic | [topics]} (§6.1). */
    private static List<PubSubRoute> pubsub(YamlKeys keys, JsonNode node, String at) throws LinkConfigException {
        String expected = "a mapping of local publisher identities to a topic or a list of topics";
        List<PubSubRoute> out = new ArrayList<>();
        var block = keys.optionalMapping(node, "pubsub", at, expected);
        if (block.isEmpty()) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = block.get().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = at + "." + e.getKey();
            JsonNode topics = e.getValue();
            if (topics.isValueNode() && !topics.isNull() && !topics.asText().isBlank()) {
                out.add(new PubSubRoute(e.getKey(), topics.asText().strip()));
            } else if (topics.isArray() && !topics.isEmpty()) {
                for (JsonNode t : topics) {
                    if (!t.isValueNode() || t.asText().isBlank()) {
                        throw keys.problem(key, t, "a topic such as 'devices'");
                    }
                    out.add(new PubSubRoute(e.getKey(), t.asText().strip()));
                }
            } else {
                throw keys.problem(key, topics, "a topic or a list of topics");
            }
        }
        return out;
    }

    /** {@code <remote instance>: [[<local caller>, <remote callee>], ...]} (§6.1). */
    private static List<RpcRoute> rpc(YamlKeys keys, JsonNode node, String at) throws LinkConfigException {
        String expected = "a mapping of remote instance names to lists of [<local caller>, <remote callee>] pairs";
        List<RpcRoute> out = new ArrayList<>();
        var block = keys.optionalMapping(node, "rpc", at, expected);
        if (block.isEmpty()) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = block.get().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = at + "." + e.getKey();
            JsonNode pairs = e.getValue();
            if (!pairs.isArray() || pairs.isEmpty()) {
                throw keys.problem(key, pairs, "a list of [<local caller>, <remote callee>] pairs");
            }
            for (JsonNode pair : pairs) {
                if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isValueNode() || !pair.get(1).isValueNode()
                        || pair.get(0).asText().isBlank() || pair.get(1).asText().isBlank()) {
                    throw keys.problem(key, pair, "a pair [<local caller identity>, <remote callee identity>]");
                }
                out.add(new RpcRoute(e.getKey(), pair.get(0).asText().strip(), pair.get(1).asText().strip()));
            }
        }
        return out;
    }
}
