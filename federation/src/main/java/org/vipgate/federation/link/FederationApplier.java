package org.vipgate.federation.link;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.federation.management.FederationLinkInfo;
import org.vipgate.federation.management.ManagementClient;
import org.vipgate.federation.management.ManagementException;
import org.vipgate.federation.management.Policy;
import org.vipgate.federation.remote.RemoteCertificates;
import org.vipgate.federation.remote.RemoteInstanceNames;

/**
 * Applies {@code rabbitmq_federation_config.yml} to the local (downstream) broker (vip-rabbitmq.md §5): certificates
 * for upstreams without them, one {@code federation-upstream} parameter per upstream, and the
 * {@code volttron-federation} policy. Apply converges: it writes only what differs from the broker, so a second run
 * reports every object unchanged and a run after drift (a policy deleted by hand) restores it.
 *
 * <p>Each method throws {@link ManagementException.Unreachable} or {@link ManagementException.Unauthorized} when the
 * local management API cannot be used at all; any other failure is reported per object and the rest goes on.
 */
public final class FederationApplier implements LinkApplier<FederationConfig> {

    /** vip-rabbitmq.md §5.4 step 2: the parameter component. */
    public static final String COMPONENT = "federation-upstream";
    /** vip-rabbitmq.md §5.4 step 3: policy volttron-federation, pattern ^volttron, all upstreams, exchanges. */
    public static final String POLICY_NAME = "volttron-federation";

    private static final Logger LOG = LoggerFactory.getLogger(FederationApplier.class);

    private final BrokerObjects broker;
    private final LocalBroker local;
    private final CertificateStep certificateStep;

    public FederationApplier(ManagementClient management, LocalBroker local, RemoteCertificates certificates,
                             RemoteInstanceNames instanceNames) {
        this.broker = new BrokerObjects(Objects.requireNonNull(management, "management"));
        this.local = Objects.requireNonNull(local, "local");
        this.certificateStep = new CertificateStep(certificates, instanceNames);
    }

    /** The policy of vip-rabbitmq.md §5.4 step 3. */
    public static Policy policy() {
        ObjectNode definition = YamlKeys.YAML.createObjectNode().put("federation-upstream-set", "all");
        return new Policy(POLICY_NAME, "^volttron", definition, 0, "exchanges");
    }

    /**
     * The value of the upstream parameter (§5.4 step 2): {@code {"uri": <§5.3 URI>}} plus vipgate's knobs that are
     * set.
     */
    public static ObjectNode upstreamValue(FederationUpstream upstream, CertificateFiles files) {
        ObjectNode value = YamlKeys.YAML.createObjectNode();
        value.put("uri", AmqpsUri.of(upstream.host(), upstream.port(), upstream.virtualHost(), files));
        upstream.tuning().writeInto(value);
        return value;
    }

    @Override
    public FederationConfig load(Path file) throws LinkConfigException {
        return FederationConfig.load(file);
    }

    /** Creates or updates what the file asks for; never deletes. */
    @Override
    public ApplyReport apply(FederationConfig config) throws ManagementException {
        List<ObjectOutcome> out = new ArrayList<>();
        for (FederationUpstream upstream : config.upstreams()) {
            Optional<CertificateFiles> files = upstream.certificates();
            if (files.isEmpty()) {
                // vip-rabbitmq.md §5.2: CN <upstream inst>.<local inst>.federation, key <local inst>.federation
                String localName = local.instance() + ".federation";
                CertificateStep.Result result = certificateStep.obtain(config.file(), FederationConfig.ROOT_KEY,
                        upstream.host(), upstream.webAddress(), upstream.instanceName(), localName, localName);
                if (result instanceof CertificateStep.Result.NotReady notReady) {
                    out.add(notReady.outcome());
                    LOG.warn("federation upstream {} not applied: {}", upstream.host(), notReady.outcome().reason());
                    continue;
                }
                files = Optional.of(((CertificateStep.Result.Ready) result).files());
            }
            CertificateFiles ready = files.get();
            out.add(guard("parameter " + COMPONENT + "/" + upstream.parameterName(), () -> broker.parameter(COMPONENT,
                    local.vhost(), upstream.parameterName(), upstreamValue(upstream, ready))));
        }
        if (!config.upstreams().isEmpty()) {
            out.add(guard("policy " + POLICY_NAME, () -> broker.policy(local.vhost(), policy())));
        }
        return new ApplyReport(out);
    }

    /**
     * Every federation link of the local vhost with its state, and each upstream of the file that has no link as
     * {@link LinkStatus#MISSING}.
     */
    @Override
    public List<LinkStatus> status(FederationConfig config) throws ManagementException {
        List<LinkStatus> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (FederationLinkInfo link : broker.management().federationLinks(local.vhost())) {
            seen.add(link.upstream());
            out.add(new LinkStatus(link.upstream(), link.status(), link.peer(), link.error(), link.timestamp()));
        }
        for (FederationUpstream upstream : config.upstreams()) {
            if (!seen.contains(upstream.parameterName())) {
                out.add(new LinkStatus(upstream.parameterName(), LinkStatus.MISSING,
                        "amqps://" + upstream.host() + ":" + upstream.port() + "/" + upstream.virtualHost(),
                        Optional.empty(), Optional.empty()));
            }
        }
        return out;
    }

    /**
     * Deletes the upstream parameters of the file's upstreams, and the policy when no upstream parameter is left in
     * the vhost (VOLTTRON leaves it, §5.4). With {@code deleteCertificates}, also deletes each upstream's obtained
     * certificate and remote CA and drops its {@code certificates} block from the file; the local private key is
     * kept, as it is the instance's own identity shared by all upstreams.
     */
    @Override
    public ApplyReport remove(FederationConfig config, boolean deleteCertificates) throws ManagementException {
        List<ObjectOutcome> out = new ArrayList<>();
        for (FederationUpstream upstream : config.upstreams()) {
            out.add(guard("parameter " + COMPONENT + "/" + upstream.parameterName(),
                    () -> broker.deleteParameter(COMPONENT, local.vhost(), upstream.parameterName())));
            if (deleteCertificates && upstream.certificates().isPresent()) {
                out.add(deleteCertificates(config.file(), FederationConfig.ROOT_KEY, upstream.host(),
                        upstream.certificates().get()));
            }
        }
        if (broker.management().parameters(COMPONENT, local.vhost()).isEmpty()) {
            out.add(guard("policy " + POLICY_NAME, () -> broker.deletePolicy(local.vhost(), POLICY_NAME)));
        } else {
            out.add(new ObjectOutcome.Kept("policy " + POLICY_NAME, "other upstreams remain in vhost '"
                    + local.vhost() + "'"));
        }
        return new ApplyReport(out);
    }

    /** Deletes the obtained certificate and remote CA, and the file's certificates block. Shared with shovels. */
    static ObjectOutcome deleteCertificates(Path file, String rootKey, String host, CertificateFiles files) {
        String object = "certificates of " + host;
        try {
            Files.deleteIfExists(files.publicCert());
            Files.deleteIfExists(files.remoteCa());
            CertificateStep.setCertificates(file, rootKey, host, Optional.empty());
            LOG.info("deleted {} and {}, and {}.{}.certificates from {}; kept the local key {}", files.publicCert(),
                    files.remoteCa(), rootKey, host, file, files.privateKey());
            return new ObjectOutcome.Deleted(object);
        } catch (IOException | LinkConfigException e) {
            return new ObjectOutcome.Failed(object, e.getMessage());
        }
    }

    /** A write that may fail on its own (a 4xx/5xx answer) without stopping the others. */
    interface Write {
        ObjectOutcome run() throws ManagementException;
    }

    static ObjectOutcome guard(String object, Write write) throws ManagementException {
        try {
            return write.run();
        } catch (ManagementException.Failed e) {
            LOG.warn("{}: {}", object, e.getMessage());
            return new ObjectOutcome.Failed(object, e.getMessage());
        }
    }
}
