package org.vipgate.federation.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.PemException;
import org.vipgate.federation.Causes;

/**
 * {@code GET <https://host:port>/discovery/} of a remote platform (certs-csr-discovery.md §3.1), with the remote CA
 * pinned on first use.
 *
 * <p>VOLTTRON fetches discovery with {@code verify=False} and trusts whatever {@code rmq-ca-cert} says (§1.6).
 * vipgate does better: on first contact the HTTPS certificate must at least be issued by the CA the answer
 * advertises, and that CA is then pinned in {@link PinnedCas} ({@code <dir>/<remote>_ca.crt}); afterwards the server
 * must present a certificate for its host issued by the pinned CA, and an answer advertising another CA is refused
 * ({@link DiscoveryException.PinMismatch} names the file to delete to re-pin). Thread-safe.
 */
public final class DiscoveryClient {

    /** Time to open the TCP connection and finish the TLS handshake. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Time from sending the request to the end of the answer. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** Largest answer read; a discovery answer with a CA certificate is about 2 KiB. */
    public static final int MAX_RESPONSE_BYTES = 64 * 1024;
    /** certs-csr-discovery.md §3.1: the route, trailing slash required. */
    public static final String PATH = "/discovery/";

    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** §3.1: the keys VOLTTRON sends; others are ignored here (the Python client would fail on them). */
    private static final Set<String> KNOWN_KEYS =
            Set.of("serverkey", "vip-address", "instance-name", "rmq-address", "rmq-ca-cert");
    private static final int EXCERPT_CHARS = 200;

    private final PinnedCas pins;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    /** A client pinning remote CAs in {@code pinDirectory}, with the default timeouts. */
    public DiscoveryClient(Path pinDirectory) {
        this(new PinnedCas(pinDirectory), DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public DiscoveryClient(PinnedCas pins, Duration connectTimeout, Duration requestTimeout) {
        this.pins = Objects.requireNonNull(pins, "pins");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    public PinnedCas pins() {
        return pins;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * Asks the platform at {@code webAddress} who it is, verifies it against the pinned CA or pins it.
     *
     * @param webAddress {@code https://host:port}, no path (certs-csr-discovery.md §2.1 step 1)
     * @throws DiscoveryException naming the address: unreachable, non-200, not the discovery JSON, a CA or server
     *                            certificate that does not match the pinned CA, or a pin that cannot be stored
     * @throws IllegalArgumentException when the address is not {@code https://host:port}
     */
    public RemoteDiscovery discover(URI webAddress) throws DiscoveryException {
        URI url = discoveryUrl(webAddress);
        List<X509Certificate> pinned = pins.all();
        TrustManagers.Recording trust = new TrustManagers.Recording(
                pinned.isEmpty() ? null : TrustManagers.trusting(pinned));
        HttpResponse<byte[]> response = get(url, trust);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() != 200) {
            throw new DiscoveryException.BadStatus(webAddress, response.statusCode(), "GET " + url + " answered HTTP "
                    + response.statusCode() + " (" + excerpt(body) + "); expected 200 with the discovery JSON:"
                    + " is this the web address of a VOLTTRON platform?");
        }
        RemoteDiscovery discovery = parse(webAddress, url, body);
        verifyAndPin(webAddress, discovery, trust);
        LOG.debug("discovery of {}: instance '{}', rmq-address {}", webAddress, discovery.instanceName(),
                discovery.rmqAddress());
        return discovery;
    }

    /** {@code <webAddress>/discovery/}; the address must be {@code https://host[:port]} with no path. */
    static URI discoveryUrl(URI webAddress) {
        Objects.requireNonNull(webAddress, "webAddress");
        String path = webAddress.getRawPath();
        if (!"https".equalsIgnoreCase(webAddress.getScheme()) || webAddress.getHost() == null
                || (path != null && !path.isEmpty() && !path.equals("/")) || webAddress.getRawQuery() != null) {
            throw new IllegalArgumentException("'" + webAddress + "' is not a platform web address; expected"
                    + " https://host:port with no path (certs-csr-discovery.md §2.1 step 1; vipgate does not ask"
                    + " for certificates over plain http)");
        }
        try {
            return new URI("https", null, webAddress.getHost(), webAddress.getPort(), PATH, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + webAddress + "': " + e.getMessage(), e);
        }
    }

    private HttpResponse<byte[]> get(URI url, TrustManagers.Recording trust) throws DiscoveryException {
        URI address = base(url);
        HttpClient client;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{trust}, null);
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER).sslContext(context).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a TLS context: " + e, e);
        }
        HttpRequest request = HttpRequest.newBuilder(url).GET().timeout(requestTimeout)
                .header("Accept", "application/json").build();
        try {
            return client.send(request, new BoundedBodyHandler(MAX_RESPONSE_BYTES));
        } catch (IOException e) {
            if (Causes.find(e, BoundedBodyHandler.TooLarge.class) != null) {
                throw new DiscoveryException.InvalidAnswer(address, "GET " + url + " answered more than "
                        + MAX_RESPONSE_BYTES / 1024 + " KiB; a discovery answer is about 2 KiB: is this the web"
                        + " address of a VOLTTRON platform?", e);
            }
            throw new DiscoveryException.Unreachable(address, "cannot GET " + url + ": " + Causes.describe(e)
                    + "; check the address and that the remote platform's web service runs (bind-web-address)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DiscoveryException.Unreachable(address, "interrupted while waiting for " + url, e);
        }
    }

    private static URI base(URI url) {
        return URI.create("https://" + url.getRawAuthority());
    }

    private static RemoteDiscovery parse(URI address, URI url, String body) throws DiscoveryException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new DiscoveryException.InvalidAnswer(address, "GET " + url + " answered something that is not"
                    + " JSON (" + excerpt(body) + "); is this the web address of a VOLTTRON platform?", e);
        }
        if (root == null || !root.isObject()) {
            throw new DiscoveryException.InvalidAnswer(address, "GET " + url + " answered JSON that is not an"
                    + " object (" + excerpt(body) + ")", null);
        }
        // certs-csr-discovery.md §3.1: instance-name is mandatory.
        String instance = text(root, "instance-name");
        if (instance == null || instance.isBlank()) {
            throw new DiscoveryException.InvalidAnswer(address, "GET " + url + " answered without 'instance-name' ("
                    + excerpt(body) + "); the remote platform must have an instance name", null);
        }
        if (!PinnedCas.isSafeName(instance)) {
            throw new DiscoveryException.InvalidAnswer(address, "GET " + url + " answered instance-name '"
                    + excerpt(instance) + "', which is not a usable instance name (letters, digits, '_', '-', '.')",
                    null);
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KNOWN_KEYS.contains(name)) {
                LOG.debug("discovery of {}: ignoring the unknown key '{}'", address, name);
            }
        }
        URI rmqAddress = null;
        String rmq = text(root, "rmq-address");
        if (rmq != null) {
            try {
                rmqAddress = new URI(rmq);
            } catch (URISyntaxException e) {
                throw new DiscoveryException.InvalidAnswer(address, "GET " + url + " answered rmq-address '"
                        + excerpt(rmq) + "', which is not a URI: " + e.getMessage(), e);
            }
            if (rmqAddress.getHost() == null || !Set.of("amqp", "amqps").contains(rmqAddress.getScheme())) {
                throw new DiscoveryException.InvalidAnswer(address, "GET " + url + " answered rmq-address '"
                        + excerpt(rmq) + "'; expected amqps://host:port/vhost (§3.1)", null);
            }
        }
        return new RemoteDiscovery(instance, rmqAddress, text(root, "rmq-ca-cert"), text(root, "vip-address"),
                text(root, "serverkey"));
    }

    private void verifyAndPin(URI address, RemoteDiscovery discovery, TrustManagers.Recording trust)
            throws DiscoveryException {
        String instance = discovery.instanceName();
        Path pinFile = pins.file(instance);
        Optional<X509Certificate> pinned;
        try {
            pinned = pins.pinned(instance);
        } catch (PemException e) {
            throw new DiscoveryException.PinMismatch(address, pinFile, "the pinned CA of remote instance '"
                    + instance + "' cannot be read: " + e.getMessage() + "; delete " + pinFile
                    + " to pin the CA again from " + address);
        }
        X509Certificate advertised = null;
        if (discovery.rmqCaPem() != null) {
            try {
                advertised = TrustManagers.parsePem(discovery.rmqCaPem()).get(0);
            } catch (CertificateException e) {
                throw new DiscoveryException.InvalidAnswer(address, "the rmq-ca-cert of instance '" + instance
                        + "' at " + address + " is not a PEM certificate: " + e.getMessage(), e);
            }
            if (advertised.getBasicConstraints() < 0) {
                throw new DiscoveryException.InvalidAnswer(address, "the rmq-ca-cert of instance '" + instance
                        + "' at " + address + " ('" + advertised.getSubjectX500Principal().getName()
                        + "') is not a CA certificate", null);
            }
        }
        if (pinned.isPresent()) {
            X509Certificate ca = pinned.get();
            if (advertised != null && !advertised.equals(ca)) {
                throw new DiscoveryException.PinMismatch(address, pinFile, "the remote platform at " + address
                        + " (instance '" + instance + "') advertises the root CA " + describe(advertised)
                        + ", not the CA pinned for it in " + pinFile + " (" + describe(ca) + "); refusing it."
                        + " If that platform's CA was replaced on purpose, delete " + pinFile
                        + " and ask again to pin the new one");
            }
            if (!trust.verified() || !TrustManagers.chainsTo(trust.chain(), trust.authType(), ca)) {
                throw new DiscoveryException.PinMismatch(address, pinFile, "the HTTPS certificate of " + address
                        + " is not valid for that host under the CA pinned for instance '" + instance + "' in "
                        + pinFile + " (" + trust.failure() + "); refusing it. If that platform's certificates"
                        + " were replaced on purpose, delete " + pinFile + " and ask again");
            }
            return;
        }
        if (advertised == null) {
            LOG.debug("discovery of {}: instance '{}' advertises no rmq-ca-cert; nothing to verify or pin", address,
                    instance);
            return;
        }
        // Trust on first use (§1.6), but the HTTPS server must at least hold a certificate of the CA it advertises.
        if (!TrustManagers.chainsTo(trust.chain(), trust.authType(), advertised)) {
            throw new DiscoveryException.UntrustedServer(address, "the HTTPS certificate of " + address
                    + " is not issued by the root CA its discovery advertises (" + describe(advertised)
                    + "), so it cannot be verified; the remote web server certificate must be issued by its"
                    + " instance CA (certs-csr-discovery.md §6)", null);
        }
        try {
            pins.pin(instance, advertised, address);
        } catch (IOException e) {
            throw new DiscoveryException.StorageFailure(address, "cannot pin the CA of remote instance '" + instance
                    + "' in " + pinFile + ": " + e, e);
        }
    }

    private static String describe(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName() + " (serial " + certificate.getSerialNumber() + ")";
    }

    private static String text(JsonNode root, String key) {
        JsonNode value = root.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    static String excerpt(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= EXCERPT_CHARS ? flat : flat.substring(0, EXCERPT_CHARS) + "...";
    }
}
