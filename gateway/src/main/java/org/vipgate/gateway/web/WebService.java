package org.vipgate.gateway.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.CertificateAuthority;
import org.vipgate.certs.PemException;
import org.vipgate.certs.PemTls;
import org.vipgate.certs.PkiException;
import org.vipgate.certs.admin.AdminRoutes;
import org.vipgate.certs.csr.CsrFiles;
import org.vipgate.certs.csr.CsrStore;
import org.vipgate.certs.http.CsrRoute;
import org.vipgate.certs.http.DiscoveryInfo;
import org.vipgate.certs.http.DiscoveryRoute;
import org.vipgate.certs.http.WebRoute;
import org.vipgate.certs.http.WebServer;
import org.vipgate.certs.http.WebServerConfig;
import org.vipgate.gateway.amqp.BrokerLink;
import org.vipgate.gateway.amqp.RemoteUserSync;
import org.vipgate.gateway.amqp.RemoteUsers;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.HomePki;
import org.vipgate.gateway.config.RabbitConfig;
import org.vipgate.gateway.config.WebConfig;
import org.vipgate.gateway.zmq.VipPlatform;

/**
 * The platform's web service at {@code bind-web-address} (certs-csr-discovery.md §3, §2.2, §5, §6): discovery for
 * every platform; on a RabbitMQ platform also the CSR endpoint, the admin pages, and RabbitMQ users that follow the
 * requests' status ({@link RemoteUserSync}).
 */
public final class WebService implements AutoCloseable {

    /** §6: the certificate vipgate issues for https when web-ssl-cert/web-ssl-key are not set. */
    public static final String WEB_CERTIFICATE = "platform_web-server";
    /** A generated web certificate closer than this to its expiry is issued anew at start. */
    static final Duration REISSUE_WITHIN = Duration.ofDays(30);

    private static final Logger LOG = LoggerFactory.getLogger(WebService.class);

    private final WebServer server;
    private final RemoteUserSync sync;
    private final URI address;

    private WebService(WebServer server, RemoteUserSync sync, URI address) {
        this.server = server;
        this.sync = sync;
        this.address = address;
    }

    /**
     * Starts the web service when {@code bind-web-address} is set.
     *
     * @param broker the broker link on a RabbitMQ platform (for the users of approved requests), else null
     * @throws ConfigException a web setting is unusable, or a RabbitMQ platform has no CA and no certificate-data
     * @throws IOException     the address cannot be bound, or the certificates cannot be written
     */
    public static Optional<WebService> start(GatewayConfig config, VipPlatform vip, BrokerLink broker)
            throws ConfigException, IOException {
        Optional<WebConfig> maybeWeb = WebConfig.from(config.platform(), config.home().configFile());
        if (maybeWeb.isEmpty()) {
            return Optional.empty();
        }
        WebConfig web = maybeWeb.get();
        String instance = config.platform().instanceName();
        Optional<RabbitConfig> rabbit = config.rabbit();
        CertificateAuthority ca = null;
        try {
            if (rabbit.isPresent()) {
                ca = HomePki.of(config.home()).certificateAuthority();
            }
            WebServerConfig serverConfig = WebServerConfig.plain(
                    new InetSocketAddress(web.bindAddress().getHost(), web.port()));
            if (web.tls()) {
                serverConfig = web.sslCert().isPresent()
                        ? serverConfig.withTls(web.sslCert().get(), web.sslKey().get())
                        : withGeneratedCertificate(serverConfig, ca, web);
            }
            List<WebRoute> routes = new ArrayList<>();
            CertificateAuthority authority = ca;
            routes.add(new DiscoveryRoute(() -> discovery(instance, vip, rabbit, authority)));
            RemoteUserSync sync = null;
            if (ca != null) {
                boolean autoAllow = config.vipgate().csrAutoAllow();
                if (autoAllow) {
                    LOG.warn("[vipgate] csr-auto-allow is on: every certificate request for this instance is signed"
                            + " at once and its RabbitMQ user created; switch it off once the sites are linked");
                }
                CsrStore store = new CsrStore(ca, autoAllow);
                sync = new RemoteUserSync(new CsrFiles(ca.layout()),
                        new RemoteUsers(broker.management(), rabbit.get().virtualHost()));
                RemoteUserSync syncing = sync;
                store.addApprovalListener(approved -> syncing.syncNow());
                routes.add(new CsrRoute(store));
                routes.add(new AdminRoutes(config.home().root(), new SyncingCsrService(store, sync::syncNow),
                        Clock.systemUTC(), web.tls()));
                sync.start(RemoteUserSync.DEFAULT_INTERVAL);
            }
            WebServer server = new WebServer(serverConfig, routes);
            InetSocketAddress bound;
            try {
                bound = server.start();
            } catch (IOException | PemException | RuntimeException e) {
                server.close();
                if (sync != null) {
                    sync.close();
                }
                throw e;
            }
            URI address = URI.create(web.bindAddress().getScheme() + "://" + web.bindAddress().getHost() + ":"
                    + bound.getPort());
            LOG.info("web service on {} (bound {}): discovery{}", address, bound,
                    ca == null ? "" : ", certificate requests, admin pages at " + address + "/admin/");
            return Optional.of(new WebService(server, sync, address));
        } catch (PkiException | PemException e) {
            throw new ConfigException(config.home().configFile(), "[volttron] bind-web-address",
                    "the web service's certificates cannot be used: " + e.getMessage(),
                    "readable PEM files for web-ssl-cert and web-ssl-key, or a CA vipgate can issue from", e);
        }
    }

    /** §6: reuses platform_web-server while it is this CA's and not close to expiry; else issues it anew. */
    private static WebServerConfig withGeneratedCertificate(WebServerConfig serverConfig, CertificateAuthority ca,
                                                            WebConfig web) throws PkiException, PemException {
        Path cert = ca.layout().certificate(WEB_CERTIFICATE);
        Path key = ca.layout().privateKey(WEB_CERTIFICATE);
        if (Files.exists(cert) && Files.exists(key)) {
            X509Certificate existing = PemTls.readCertificates(cert).get(0);
            if (ca.issued(existing)
                    && existing.getNotAfter().toInstant().isAfter(Instant.now().plus(REISSUE_WITHIN))) {
                return serverConfig.withTls(cert, key);
            }
        }
        List<String> names = new ArrayList<>(hostNames(web.bindAddress().getHost()));
        ca.issueServer(WEB_CERTIFICATE, names);
        LOG.info("issued the web certificate {} for {} ({}): set web-ssl-cert and web-ssl-key to use your own", cert,
                names, ca.name());
        return serverConfig.withTls(cert, key);
    }

    /** The bind host (unless a wildcard), this machine's name, and localhost. */
    private static Set<String> hostNames(String bindHost) {
        Set<String> names = new LinkedHashSet<>();
        if (!bindHost.equals("0.0.0.0") && !bindHost.equals("::") && !bindHost.equals("[::]")) {
            names.add(bindHost);
        }
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            LOG.debug("no local host name for the web certificate: {}", e.toString());
        }
        names.add("localhost");
        names.add("127.0.0.1");
        return names;
    }

    /** §3.1: what {@code GET /discovery/} answers, read anew for every request. */
    private static DiscoveryInfo discovery(String instance, VipPlatform vip, Optional<RabbitConfig> rabbit,
                                           CertificateAuthority ca) {
        String serverKey = vip.serverKey().isEmpty() ? null : vip.serverKey();
        // §3.1: the first tcp:// address, without query parameters
        String vipAddress = vip.addresses().stream().filter(a -> a.startsWith("tcp://"))
                .map(a -> a.contains("?") ? a.substring(0, a.indexOf('?')) : a).findFirst().orElse(null);
        String rmqAddress = rabbit.map(r -> (r.ssl() ? "amqps://" : "amqp://") + r.host() + ":" + r.clientAmqpPort()
                + "/" + r.virtualHost()).orElse(null);
        return new DiscoveryInfo(serverKey, vipAddress, instance, rmqAddress, ca == null ? null : ca.certificatePem());
    }

    /** The address clients use, e.g. {@code https://v1.example.com:8443}. */
    public URI address() {
        return address;
    }

    /** Counters of the server and of the user sync. */
    public Map<String, Object> statistics() {
        Map<String, Object> stats = new LinkedHashMap<>(server.stats());
        if (sync != null) {
            stats.put("rabbitmq_user_failures", sync.failures());
        }
        return stats;
    }

    @Override
    public void close() {
        server.close();
        if (sync != null) {
            sync.close();
        }
    }
}
