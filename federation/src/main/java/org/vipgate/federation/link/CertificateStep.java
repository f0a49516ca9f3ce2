package org.vipgate.federation.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.AtomicFiles;
import org.vipgate.federation.Causes;
import org.vipgate.federation.remote.CertificateOutcome;
import org.vipgate.federation.remote.RemoteCertificate;
import org.vipgate.federation.remote.RemoteCertificates;
import org.vipgate.federation.remote.RemoteInstanceNames;

/**
 * The certificate step of an upstream or shovel remote without a {@code certificates} block (vip-rabbitmq.md §5.2):
 * the remote instance name (from the file's {@code instance-name} or discovery), a certificate from the remote CSR
 * service, and on issue the three paths written back into the YAML file, the rest of it kept.
 */
final class CertificateStep {

    /** Either files to use, or the outcome that says why there are none yet. */
    sealed interface Result {
        record Ready(CertificateFiles files) implements Result {
        }

        record NotReady(ObjectOutcome outcome) implements Result {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(CertificateStep.class);

    private final RemoteCertificates certificates;
    private final RemoteInstanceNames instanceNames;

    CertificateStep(RemoteCertificates certificates, RemoteInstanceNames instanceNames) {
        this.certificates = certificates;
        this.instanceNames = instanceNames;
    }

    /**
     * @param file         the YAML file to write the paths back into
     * @param rootKey      {@code federation-upstream} or {@code shovel}
     * @param host         the entry's key under rootKey
     * @param commonSuffix what follows {@code <remote instance>.} in the CN
     * @param localKeyName the local key the certificate is for
     */
    Result obtain(Path file, String rootKey, String host, URI webAddress, Optional<String> instanceName,
                  String commonSuffix, String localKeyName) {
        String object = "certificate for " + host;
        String remote;
        if (instanceName.isPresent()) {
            remote = instanceName.get();
        } else {
            try {
                remote = instanceNames.of(webAddress);
            } catch (Exception e) {
                LOG.warn("cannot learn the instance name of {} from its discovery ({}); set 'instance-name' under"
                        + " {}.{} in {} or make the platform reachable", webAddress, Causes.describe(e), rootKey,
                        host, file);
                return new Result.NotReady(new ObjectOutcome.Failed(object, "discovery of " + webAddress
                        + " failed: " + Causes.describe(e)));
            }
        }
        String commonName = remote + "." + commonSuffix;
        CertificateOutcome outcome = certificates.obtain(webAddress, commonName, localKeyName);
        if (outcome instanceof CertificateOutcome.Issued issued) {
            return writeBack(file, rootKey, host, issued.certificate(), object);
        }
        if (outcome instanceof CertificateOutcome.Pending p) {
            return new Result.NotReady(new ObjectOutcome.Pending(object, "certificate request '" + p.commonName()
                    + "' waits for approval at " + p.webAddress() + " (its administrator: vctl auth remote approve "
                    + p.commonName() + ")"));
        }
        if (outcome instanceof CertificateOutcome.Denied d) {
            return new Result.NotReady(new ObjectOutcome.Failed(object, "certificate request '" + d.commonName()
                    + "' was denied by " + d.webAddress()));
        }
        CertificateOutcome.Failed f = (CertificateOutcome.Failed) outcome;
        return new Result.NotReady(new ObjectOutcome.Failed(object, "certificate request to " + webAddress
                + " failed: " + f.reason()));
    }

    private static Result writeBack(Path file, String rootKey, String host, RemoteCertificate issued, String object) {
        CertificateFiles files = new CertificateFiles(issued.remoteCa(), issued.certificate(), issued.privateKey());
        try {
            setCertificates(file, rootKey, host, Optional.of(files));
        } catch (IOException | LinkConfigException e) {
            LOG.error("obtained certificate '{}' but cannot write its paths into {} ({}); add them under {}.{}"
                    + ".certificates by hand", issued.commonName(), file, e.getMessage(), rootKey, host);
            return new Result.NotReady(new ObjectOutcome.Failed(object, "cannot write " + file + ": "
                    + e.getMessage()));
        }
        LOG.info("obtained certificate '{}' from {}; wrote its paths under {}.{}.certificates in {}",
                issued.commonName(), issued.rmqAddress(), rootKey, host, file);
        return new Result.Ready(files);
    }

    /**
     * Sets (or with empty, removes) {@code <rootKey>.<host>.certificates} in the YAML file, keeping every other key;
     * the file is replaced atomically. Comments are not kept (VOLTTRON rewrites the file the same way).
     */
    static void setCertificates(Path file, String rootKey, String host, Optional<CertificateFiles> files)
            throws IOException, LinkConfigException {
        ObjectNode root = new YamlKeys(file).readRoot("the file it was read from");
        JsonNode entry = root.path(rootKey).path(host);
        if (!entry.isObject()) {
            throw new LinkConfigException(file, rootKey + "." + host, "no longer in the file", "the entry");
        }
        if (files.isPresent()) {
            ((ObjectNode) entry).set(Certificates.KEY, Certificates.toYaml(files.get()));
        } else {
            ((ObjectNode) entry).remove(Certificates.KEY);
        }
        // as before: the rewritten file is the owner's only (0600)
        AtomicFiles.write(file, YamlKeys.YAML.writeValueAsString(root), AtomicFiles.OWNER_RW);
    }
}
