package org.vipgate.federation.link;

import static org.vipgate.federation.link.FederationApplier.guard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.federation.Causes;
import org.vipgate.federation.management.ManagementClient;
import org.vipgate.federation.management.ManagementException;
import org.vipgate.federation.management.Permissions;
import org.vipgate.federation.management.ShovelInfo;
import org.vipgate.federation.remote.RemoteCertificates;
import org.vipgate.federation.remote.RemoteInstanceNames;

/**
 * Applies {@code rabbitmq_shovel_config.yml} on the sending side (vip-rabbitmq.md §6): certificates for remotes
 * without them, and per remote either VOLTTRON's exchange shovels (one per topic and per caller, §6.2) or, with
 * {@code queue-shovel: true}, one durable queue {@code vipgate.shovel.<host>} bound to {@code volttron} with all the
 * keys and one shovel from it with {@code ack-mode: on-confirm}. VOLTTRON's exchange shovels read from a server-named
 * transient queue, so what is published while the link is down is lost; the durable queue keeps it until the link is
 * back. Apply converges as {@link FederationApplier} does.
 */
public final class ShovelApplier implements LinkApplier<ShovelConfig> {

    /** The parameter component (§6.2). */
    public static final String COMPONENT = "shovel";
    /** The exchange both ends use (§6.2). */
    public static final String EXCHANGE = "volttron";

    private static final Logger LOG = LoggerFactory.getLogger(ShovelApplier.class);

    private final BrokerObjects broker;
    private final LocalBroker local;
    private final LocalCertificates localCertificates;
    private final CertificateStep certificateStep;

    public ShovelApplier(ManagementClient management, LocalBroker local, LocalCertificates localCertificates,
                         RemoteCertificates certificates, RemoteInstanceNames instanceNames) {
        this.broker = new BrokerObjects(Objects.requireNonNull(management, "management"));
        this.local = Objects.requireNonNull(local, "local");
        this.localCertificates = Objects.requireNonNull(localCertificates, "localCertificates");
        this.certificateStep = new CertificateStep(certificates, instanceNames);
    }

    /** One shovel parameter the file asks for: its name, the local identity it reads as, and the source. */
    record Planned(String name, String localIdentity, String routingKey) {
    }

    /** The exchange shovels of §6.2 for a remote: {@code shovel-<host>-<topic>} and {@code shovel-<host>-<caller>}. */
    List<Planned> exchangeShovels(ShovelRemote remote) {
        List<Planned> out = new ArrayList<>();
        for (PubSubRoute p : remote.pubsub()) {
            // §6.2: the topic goes in verbatim, with no '/' to '.' conversion
            out.add(new Planned("shovel-" + remote.host() + "-" + p.topic(), local.instance() + "." + p.publisher(),
                    "__pubsub__." + local.instance() + "." + p.topic() + ".#"));
        }
        for (RpcRoute r : remote.rpc()) {
            out.add(new Planned("shovel-" + remote.host() + "-" + r.caller(), local.instance() + "." + r.caller(),
                    r.remoteInstance() + "." + r.callee() + ".#"));
        }
        return out;
    }

    /** {@code vipgate.shovel.<host>}: the durable queue of a queue shovel. */
    public static String queueName(ShovelRemote remote) {
        return "vipgate.shovel." + remote.host();
    }

    /** {@code vipgate-shovel-<host>}: the parameter of a queue shovel. */
    public static String queueShovelName(ShovelRemote remote) {
        return "vipgate-shovel-" + remote.host();
    }

    /** The value of an exchange shovel (§6.2 table), keys in its order; nothing else (RabbitMQ's defaults). */
    public static ObjectNode exchangeShovelValue(String srcUri, String srcKey, String destUri) {
        ObjectNode value = YamlKeys.YAML.createObjectNode();
        value.put("src-uri", srcUri);
        value.put("src-exchange", EXCHANGE);
        value.put("src-exchange-key", srcKey);
        value.put("dest-uri", destUri);
        value.put("dest-exchange", EXCHANGE);
        return value;
    }

    /**
     * The value of a queue shovel: from the durable queue, to the remote {@code volttron} exchange keeping each
     * message's routing key, acknowledged only once the remote broker confirmed it.
     */
    public static ObjectNode queueShovelValue(String srcUri, String queue, String destUri) {
        ObjectNode value = YamlKeys.YAML.createObjectNode();
        value.put("src-uri", srcUri);
        value.put("src-queue", queue);
        value.put("dest-uri", destUri);
        value.put("dest-exchange", EXCHANGE);
        value.put("ack-mode", "on-confirm");
        return value;
    }

    @Override
    public ShovelConfig load(Path file) throws LinkConfigException {
        return ShovelConfig.load(file);
    }

    /** Creates or updates what the file asks for; deletes only the shovels of the other mode of a remote. */
    @Override
    public ApplyReport apply(ShovelConfig config) throws ManagementException {
        List<ObjectOutcome> out = new ArrayList<>();
        for (ShovelRemote remote : config.remotes()) {
            Optional<CertificateFiles> files = remote.certificates();
            if (files.isEmpty()) {
                // §6.1: CN <remote inst>.<shovel-user>. VOLTTRON's non-interactive path prefixes the already
                // prefixed shovel-user again (<inst>.<inst>.<name>, a quirk); vipgate uses shovel-user as it is.
                CertificateStep.Result result = certificateStep.obtain(config.file(), ShovelConfig.ROOT_KEY,
                        remote.host(), remote.webAddress(), remote.instanceName(), remote.shovelUser(),
                        remote.shovelUser());
                if (result instanceof CertificateStep.Result.NotReady notReady) {
                    out.add(notReady.outcome());
                    LOG.warn("shovels to {} not applied: {}", remote.host(), notReady.outcome().reason());
                    continue;
                }
                files = Optional.of(((CertificateStep.Result.Ready) result).files());
            }
            String destUri = AmqpsUri.of(remote.host(), remote.port(), remote.virtualHost(), files.get());
            if (remote.queueShovel()) {
                applyQueueShovel(remote, destUri, out);
            } else {
                applyExchangeShovels(remote, destUri, out);
            }
        }
        return new ApplyReport(out);
    }

    private void applyExchangeShovels(ShovelRemote remote, String destUri, List<ObjectOutcome> out)
            throws ManagementException {
        for (Planned p : exchangeShovels(remote)) {
            Optional<String> srcUri = localSource(p.localIdentity(), Permissions.agentDefault(p.localIdentity()),
                    out);
            if (srcUri.isEmpty()) {
                continue;
            }
            out.add(guard("parameter shovel/" + p.name(), () -> broker.parameter(COMPONENT, local.vhost(), p.name(),
                    exchangeShovelValue(srcUri.get(), p.routingKey(), destUri))));
        }
        deleteIfPresent(queueShovelName(remote), out);
    }

    private void applyQueueShovel(ShovelRemote remote, String destUri, List<ObjectOutcome> out)
            throws ManagementException {
        String queue = queueName(remote);
        out.add(guard("queue " + queue, () -> broker.durableQueue(local.vhost(), queue)));
        Set<String> keys = new LinkedHashSet<>();
        for (Planned p : exchangeShovels(remote)) {
            keys.add(p.routingKey());
        }
        for (String key : keys) {
            out.add(guard("binding " + key, () -> broker.binding(local.vhost(), EXCHANGE, queue, key)));
        }
        // The shovel reads as the shovel user: it may use its own queue and nothing else.
        String own = "^" + queue.replace(".", "\\.") + "$";
        Optional<String> srcUri = localSource(remote.shovelUser(), new Permissions(own, "^$", own), out);
        if (srcUri.isPresent()) {
            out.add(guard("parameter shovel/" + queueShovelName(remote), () -> broker.parameter(COMPONENT,
                    local.vhost(), queueShovelName(remote), queueShovelValue(srcUri.get(), queue, destUri))));
        }
        for (Planned p : exchangeShovels(remote)) {
            deleteIfPresent(p.name(), out);
        }
    }

    /**
     * The src-uri for a local identity (§6.2: local host, amqp-port-ssl, trusted CAs, {@code certs/<id>.crt} and
     * {@code private/<id>.pem}, issued when missing), and its local user with the given permissions, as VOLTTRON's
     * auth_rmq.py L192-204 makes sure of.
     */
    private Optional<String> localSource(String identity, Permissions permissions, List<ObjectOutcome> out)
            throws ManagementException {
        LocalCertificates.Files files;
        try {
            files = localCertificates.ensure(identity);
        } catch (Exception e) {
            LOG.warn("no local certificate for '{}' ({}); its shovel is not applied", identity, Causes.describe(e));
            out.add(new ObjectOutcome.Failed("local certificate " + identity, Causes.describe(e)));
            return Optional.empty();
        }
        ObjectOutcome user = guard("user " + identity, () -> broker.certificateUser(local.vhost(), identity,
                permissions));
        if (!(user instanceof ObjectOutcome.Unchanged) || out.stream().noneMatch(o -> o.equals(user))) {
            out.add(user);
        }
        return Optional.of(AmqpsUri.of(local.host(), local.amqpsPort(), local.vhost(), local.trustedCas(),
                files.certificate(), files.privateKey()));
    }

    private void deleteIfPresent(String name, List<ObjectOutcome> out) throws ManagementException {
        ObjectOutcome o = guard("parameter shovel/" + name, () -> broker.deleteParameter(COMPONENT, local.vhost(),
                name));
        if (!(o instanceof ObjectOutcome.Absent)) {
            out.add(o);
        }
    }

    /** Every shovel of the local vhost with its state, and each one the file asks for that is absent as missing. */
    @Override
    public List<LinkStatus> status(ShovelConfig config) throws ManagementException {
        List<LinkStatus> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ShovelInfo s : broker.management().shovels(local.vhost())) {
            seen.add(s.name());
            out.add(new LinkStatus(s.name(), s.state(), s.peer(), s.error(), s.timestamp()));
        }
        for (Map.Entry<String, ShovelRemote> e : expectedNames(config).entrySet()) {
            if (!seen.contains(e.getKey())) {
                ShovelRemote r = e.getValue();
                out.add(new LinkStatus(e.getKey(), LinkStatus.MISSING, "amqps://" + r.host() + ":" + r.port() + "/"
                        + r.virtualHost(), Optional.empty(), Optional.empty()));
            }
        }
        return out;
    }

    private Map<String, ShovelRemote> expectedNames(ShovelConfig config) {
        Map<String, ShovelRemote> names = new LinkedHashMap<>();
        for (ShovelRemote r : config.remotes()) {
            if (r.queueShovel()) {
                names.put(queueShovelName(r), r);
            } else {
                exchangeShovels(r).forEach(p -> names.put(p.name(), r));
            }
        }
        return names;
    }

    /**
     * Deletes the shovel parameters of the file's remotes (both modes), and each queue shovel's queue when it is
     * empty; a queue that still holds messages is kept and reported. Local users are kept (they are agents'
     * identities). {@code deleteCertificates} as in {@link FederationApplier#remove}.
     */
    @Override
    public ApplyReport remove(ShovelConfig config, boolean deleteCertificates) throws ManagementException {
        List<ObjectOutcome> out = new ArrayList<>();
        for (ShovelRemote remote : config.remotes()) {
            for (Planned p : exchangeShovels(remote)) {
                out.add(guard("parameter shovel/" + p.name(), () -> broker.deleteParameter(COMPONENT, local.vhost(),
                        p.name())));
            }
            String name = queueShovelName(remote);
            ObjectOutcome q = guard("parameter shovel/" + name, () -> broker.deleteParameter(COMPONENT,
                    local.vhost(), name));
            if (remote.queueShovel() || !(q instanceof ObjectOutcome.Absent)) {
                out.add(q);
            }
            String queue = queueName(remote);
            var existing = broker.management().queue(local.vhost(), queue);
            if (existing.isPresent()) {
                out.add(guard("queue " + queue, () -> broker.management().deleteQueueIfEmpty(local.vhost(), queue)
                        ? new ObjectOutcome.Deleted("queue " + queue)
                        : new ObjectOutcome.Kept("queue " + queue, "messages wait in it; delete it by hand to"
                        + " drop them, or apply again to send them")));
            }
            if (deleteCertificates && remote.certificates().isPresent()) {
                out.add(FederationApplier.deleteCertificates(config.file(), ShovelConfig.ROOT_KEY, remote.host(),
                        remote.certificates().get()));
            }
        }
        return new ApplyReport(out);
    }
}
