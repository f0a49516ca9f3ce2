package org.vipgate.federation.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.CertificateAuthority;
import org.vipgate.certs.PemException;
import org.vipgate.certs.PemFiles;
import org.vipgate.certs.PemTls;
import org.vipgate.certs.PkiException;
import org.vipgate.federation.Causes;

/**
 * {@link RemoteCertificates} through a remote platform's CSR service (certs-csr-discovery.md §2.1; vip-rabbitmq.md
 * §5.2, §8.1), files stored in one directory as VOLTTRON names them (§1.6):
 * <ul>
 *   <li>{@code <CN>.crt}: the certificate the remote CA signed, 0644;</li>
 *   <li>{@code <remote>_ca.crt}: the remote root CA, pinned at first discovery ({@link PinnedCas}), 0644;</li>
 *   <li>{@code <CN>.json}: {@code {"remote_ca_name":"<remote>_ca","local_keyname":"<local key>"}}, 0644;</li>
 *   <li>{@code requests_ca_bundle}: the local root CA plus every {@code *_ca.crt} of the directory, 0644.</li>
 * </ul>
 * The private key stays where the local CA keeps it, {@code certificates/private/<localKeyName>.pem}.
 *
 * <p>Beyond VOLTTRON: a stored certificate is reused only while it is valid, issued by the pinned CA and made for the
 * local key (VOLTTRON reuses any file, §2.1 step 3); the POST verifies the server against the pinned CA (VOLTTRON
 * uses {@code verify=False}); a certificate returned for another key or by another CA is not stored.
 * Thread-safe: requests for one CN run one at a time.
 */
public final class CsrRemoteCertificates implements RemoteCertificates {

    /** certs-csr-discovery.md §2.2: the CSR route. */
    public static final String CSR_PATH = "/csr/request_new";
    /** §1.6: the bundle file name. */
    public static final String BUNDLE = "requests_ca_bundle";
    /** Largest answer read; an approval with a certificate is about 2 KiB. */
    public static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(CsrRemoteCertificates.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CertificateAuthority localCa;
    private final Path directory;
    private final DiscoveryClient discovery;
    private final String hostname;
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

    /**
     * @param localCa   the local instance's CA: it makes the local key when missing, and the CSR with its subject
     * @param directory where the remote certificates, the pinned remote CAs and the bundle are stored (an agent's
     *                  agent-data directory, or {@code certificates/federation} / {@code shovel})
     */
    public CsrRemoteCertificates(CertificateAuthority localCa, Path directory) {
        this(localCa, directory, new DiscoveryClient(directory), localHostName());
    }

    /**
     * @param discovery a discovery client pinning in {@code directory}
     * @param hostname  sent as {@code hostname} in the CSR body (§2.1 step 5; the server ignores it)
     */
    public CsrRemoteCertificates(CertificateAuthority localCa, Path directory, DiscoveryClient discovery,
                                 String hostname) {
        this.localCa = Objects.requireNonNull(localCa, "localCa");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.discovery = Objects.requireNonNull(discovery, "discovery");
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        if (!discovery.pins().directory().equals(directory)) {
            throw new IllegalArgumentException("the discovery client pins in " + discovery.pins().directory()
                    + ", not in " + directory + "; <remote>_ca.crt must live next to the certificates (§1.6)");
        }
    }

    public DiscoveryClient discovery() {
        return discovery;
    }

    public Path directory() {
        return directory;
    }

    /** {@code <dir>/<CN>.crt}. */
    public Path certificateFile(String commonName) {
        return directory.resolve(requireSafe(commonName) + ".crt");
    }

    /** {@code <dir>/<CN>.json}. */
    public Path metadataFile(String commonName) {
        return directory.resolve(requireSafe(commonName) + ".json");
    }

    /** {@code <dir>/requests_ca_bundle}. */
    public Path bundleFile() {
        return directory.resolve(BUNDLE);
    }

    @Override
    public CertificateOutcome obtain(URI webAddress, String commonName, String localKeyName) {
        Objects.requireNonNull(webAddress, "webAddress");
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(localKeyName, "localKeyName");
        if (!PinnedCas.isSafeName(commonName) || !PinnedCas.isSafeName(localKeyName)) {
            return new CertificateOutcome.Failed("the common name '" + commonName + "' or the local key name '"
                    + localKeyName + "' is not usable as a file name (letters, digits, '_', '-', '.')");
        }
        synchronized (locks.computeIfAbsent(commonName, cn -> new Object())) {
            return obtainLocked(webAddress, commonName, localKeyName);
        }
    }

    /**
     * Deletes the stored certificate of {@code commonName} and its metadata, e.g. when the remote broker no longer
     * accepts it; the next {@link #obtain} asks again.
     *
     * @return true when a certificate was deleted
     */
    public boolean forget(String commonName) {
        try {
            boolean deleted = Files.deleteIfExists(certificateFile(commonName));
            Files.deleteIfExists(metadataFile(commonName));
            return deleted;
        } catch (IOException e) {
            LOG.error("cannot delete the stored certificate {} of '{}': {}; delete it by hand, or it will be used"
                    + " again", certificateFile(commonName), commonName, e.toString());
            return false;
        }
    }

    private CertificateOutcome obtainLocked(URI webAddress, String commonName, String localKeyName) {
        RemoteDiscovery remote;
        try {
            remote = discovery.discover(webAddress);
        } catch (DiscoveryException e) {
            return failed(commonName, "discovery failed: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return failed(commonName, e.getMessage());
        }
        String instance = remote.instanceName();
        // certs-csr-discovery.md §2.1 step 3: CN = <remote instance>.<local instance>.<identity>.
        if (!commonName.startsWith(instance + ".")) {
            return failed(commonName, "the common name '" + commonName + "' does not start with '" + instance
                    + ".', the instance name the platform at " + webAddress + " reports; ask for '" + instance
                    + ".<local instance>.<identity>' (the remote CSR service refuses any other prefix, §2.2)");
        }
        if (!remote.isRabbitMq()) {
            return failed(commonName, "the platform '" + instance + "' at " + webAddress + " is not a RabbitMQ"
                    + " platform (its discovery has no rmq-address and rmq-ca-cert, §3.1); it has no CSR service");
        }
        Path caFile = discovery.pins().file(instance);
        Path keyFile = localCa.layout().privateKey(localKeyName);
        Optional<RemoteCertificate> stored = reusable(remote, commonName, keyFile, caFile);
        if (stored.isPresent()) {
            LOG.debug("reusing the stored certificate {} of '{}' for {}", stored.get().certificate(), commonName,
                    webAddress);
            return new CertificateOutcome.Issued(stored.get());
        }
        String csr;
        try {
            ensureLocalKey(localKeyName, keyFile);
            // §2.1 step 4: the local CA's subject with CN replaced, signed by the existing local key.
            csr = localCa.createCsr(localKeyName, commonName);
        } catch (PkiException e) {
            return failed(commonName, "cannot make the CSR with the local key " + keyFile + ": " + e.getMessage());
        }
        return request(webAddress, remote, commonName, localKeyName, keyFile, caFile, csr);
    }

    private CertificateOutcome request(URI webAddress, RemoteDiscovery remote, String commonName,
                                       String localKeyName, Path keyFile, Path caFile, String csr) {
        URI url = webAddress.resolve(CSR_PATH);
        String body;
        try {
            ObjectNode inner = JSON.createObjectNode().put("csr", csr).put("identity", commonName)
                    .put("hostname", hostname);
            // certs-csr-discovery.md §2.1 step 5: the body is double-encoded, a JSON string holding the object.
            body = JSON.writeValueAsString(JSON.writeValueAsString(inner));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a CSR body as JSON", e);
        }
        HttpResponse<byte[]> response;
        try {
            // The POST trusts only the pinned remote CA and checks the host name (VOLTTRON: verify=False).
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(discovery.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER)
                    .sslContext(PemTls.trustContext(caFile)).build();
            HttpRequest post = HttpRequest.newBuilder(url).timeout(discovery.requestTimeout())
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
            response = client.send(post, new BoundedBodyHandler(MAX_RESPONSE_BYTES));
        } catch (PemException e) {
            return failed(commonName, "cannot read the pinned CA of '" + remote.instanceName() + "': "
                    + e.getMessage());
        } catch (IOException e) {
            return failed(commonName, "cannot POST the CSR to " + url + ": " + Causes.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(commonName, "interrupted while POSTing the CSR to " + url);
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() / 100 != 2) {
            return failed(commonName, "POST " + url + " answered HTTP " + response.statusCode() + ": "
                    + DiscoveryClient.excerpt(text));
        }
        JsonNode reply;
        try {
            reply = JSON.readTree(text);
        } catch (IOException e) {
            return failed(commonName, "POST " + url + " answered something that is not JSON: "
                    + DiscoveryClient.excerpt(text));
        }
        if (reply == null || !reply.isObject()) {
            return failed(commonName, "POST " + url + " answered JSON that is not an object: "
                    + DiscoveryClient.excerpt(text));
        }
        String status = reply.path("status").asText("").toUpperCase(Locale.ROOT);
        String message = reply.path("message").asText("");
        // certs-csr-discovery.md §2.1 step 6.
        return switch (status) {
            case "APPROVED", "SUCCESSFUL" -> store(webAddress, remote, commonName, localKeyName, keyFile, caFile,
                    reply.path("cert").asText(""));
            case "PENDING" -> {
                LOG.info("the certificate request '{}' waits for the administrator of '{}' at {}; they approve it"
                        + " with 'vctl auth remote approve {}' (or vipgate auth remote approve); ask again later",
                        commonName, remote.instanceName(), webAddress, commonName);
                yield new CertificateOutcome.Pending(commonName, webAddress.toString());
            }
            case "DENIED" -> {
                if (forget(commonName)) {
                    LOG.info("deleted the stored certificate of '{}': the request is denied", commonName);
                }
                LOG.error("the administrator of '{}' at {} denied the certificate request '{}'; asking again is"
                        + " pointless until they approve it or delete it ('vctl auth remote delete {}')",
                        remote.instanceName(), webAddress, commonName, commonName);
                yield new CertificateOutcome.Denied(commonName, webAddress.toString());
            }
            case "ERROR" -> failed(commonName, "the platform at " + webAddress + " answered ERROR: " + message);
            default -> failed(commonName, "the platform at " + webAddress + " answered status '" + status + "' ("
                    + DiscoveryClient.excerpt(message) + "); expected APPROVED, SUCCESSFUL, PENDING or DENIED");
        };
    }

    private CertificateOutcome store(URI webAddress, RemoteDiscovery remote, String commonName, String localKeyName,
                                     Path keyFile, Path caFile, String certificatePem) {
        X509Certificate certificate;
        try {
            certificate = TrustManagers.parsePem(certificatePem).get(0);
            X509Certificate ca = PemTls.readCertificates(caFile).get(0);
            String problem = problemWith(certificate, commonName, ca, PemTls.readPrivateKey(keyFile));
            if (problem != null) {
                return failed(commonName, "the platform at " + webAddress + " approved '" + commonName
                        + "' but returned a certificate that " + problem);
            }
        } catch (CertificateException | PemException e) {
            return failed(commonName, "the platform at " + webAddress + " approved '" + commonName
                    + "' but its certificate cannot be used: " + e.getMessage());
        }
        Path certFile = certificateFile(commonName);
        try {
            Files.createDirectories(directory);
            PemFiles.writeCertificate(certFile, certificate);
            // §1.6: <CN>.json = {"remote_ca_name":"<remote>_ca","local_keyname":"<local>.<identity>"}.
            String metadata = JSON.writeValueAsString(JSON.createObjectNode()
                    .put("remote_ca_name", remote.instanceName() + "_ca").put("local_keyname", localKeyName));
            PemFiles.writeAtomically(metadataFile(commonName), metadata, PemFiles.PUBLIC_MODE);
            writeBundle();
        } catch (IOException e) {
            return failed(commonName, "cannot store the approved certificate in " + directory + ": " + e);
        }
        LOG.info("the platform '{}' at {} approved '{}': stored {} (valid until {}); remote CA {}",
                remote.instanceName(), webAddress, commonName, certFile, certificate.getNotAfter().toInstant(),
                caFile);
        return new CertificateOutcome.Issued(new RemoteCertificate(remote.instanceName(), commonName, certFile,
                caFile, keyFile, remote.rmqAddress()));
    }

    /** §1.6: the local root CA plus every {@code *_ca.crt} file, 0644. */
    private void writeBundle() throws IOException {
        StringBuilder bundle = new StringBuilder(localCa.certificatePem());
        List<Path> cas = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + PinnedCas.CA_SUFFIX)) {
            files.forEach(cas::add);
        }
        cas.sort(null);
        for (Path ca : cas) {
            String pem = Files.readString(ca, StandardCharsets.US_ASCII);
            bundle.append(pem.endsWith("\n") ? pem : pem + "\n");
        }
        PemFiles.writeAtomically(bundleFile(), bundle.toString(), PemFiles.PUBLIC_MODE);
    }

    private Optional<RemoteCertificate> reusable(RemoteDiscovery remote, String commonName, Path keyFile,
                                                 Path caFile) {
        Path certFile = certificateFile(commonName);
        if (!Files.exists(certFile)) {
            return Optional.empty();
        }
        String problem;
        try {
            X509Certificate certificate = PemTls.readCertificates(certFile).get(0);
            X509Certificate ca = PemTls.readCertificates(caFile).get(0);
            problem = Files.exists(keyFile) ? problemWith(certificate, commonName, ca, PemTls.readPrivateKey(keyFile))
                    : "has no local key " + keyFile;
            if (problem == null) {
                certificate.checkValidity();
            }
        } catch (PemException e) {
            problem = "cannot be read: " + e.getMessage();
        } catch (CertificateException e) {
            problem = "is not valid now (" + e.getMessage() + ")";
        }
        if (problem == null) {
            return Optional.of(new RemoteCertificate(remote.instanceName(), commonName, certFile, caFile, keyFile,
                    remote.rmqAddress()));
        }
        LOG.warn("the stored certificate {} of '{}' {}; deleting it and asking the platform again", certFile,
                commonName, problem);
        forget(commonName);
        return Optional.empty();
    }

    /** Null when the certificate is for {@code commonName}, issued by {@code ca} and for {@code key}. */
    private static String problemWith(X509Certificate certificate, String commonName, X509Certificate ca,
                                      PrivateKey key) {
        if (!PemTls.commonName(certificate).equals(commonName)) {
            return "is for '" + PemTls.commonName(certificate) + "', not '" + commonName + "'";
        }
        try {
            if (!certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                throw new GeneralSecurityException("issuer differs");
            }
            certificate.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return "is not issued by the pinned remote CA '" + ca.getSubjectX500Principal().getName() + "'";
        }
        if (!(key instanceof RSAPrivateCrtKey rsa) || !(certificate.getPublicKey() instanceof RSAPublicKey pub)
                || !rsa.getModulus().equals(pub.getModulus())) {
            return "is not for the local key (the remote service keeps the first CSR of a CN: its administrator"
                    + " deletes the request '" + commonName + "' with 'vctl auth remote delete " + commonName
                    + "' to accept the new key)";
        }
        return null;
    }

    private void ensureLocalKey(String localKeyName, Path keyFile) throws PkiException {
        if (Files.exists(keyFile)) {
            return;
        }
        // vip-rabbitmq.md §5.2 step 1: the local key and certificate are made first when missing.
        localCa.issueClient(localKeyName);
        LOG.info("made the local key {} and its certificate for '{}' (signed by the local CA '{}')", keyFile,
                localKeyName, localCa.name());
    }

    private static CertificateOutcome failed(String commonName, String reason) {
        LOG.warn("cannot obtain a remote certificate for '{}': {}", commonName, reason);
        return new CertificateOutcome.Failed(reason);
    }

    private static String requireSafe(String commonName) {
        if (!PinnedCas.isSafeName(commonName)) {
            throw new IllegalArgumentException("not usable as a file name: '" + commonName + "'");
        }
        return commonName;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            LOG.debug("the local host name is unknown ({}); sending 'localhost' in CSR bodies", e.getMessage());
            return "localhost";
        }
    }
}
