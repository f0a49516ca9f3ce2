package org.vipgate.federation.remote;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.vipgate.certs.CertificateAuthority;
import org.vipgate.certs.CertificateLayout;
import org.vipgate.certs.CertificateLifetimes;
import org.vipgate.certs.IssuedCertificate;
import org.vipgate.certs.SubjectData;
import org.vipgate.certs.csr.CsrStore;
import org.vipgate.certs.http.CsrRoute;
import org.vipgate.certs.http.DiscoveryInfo;
import org.vipgate.certs.http.DiscoveryRoute;
import org.vipgate.certs.http.WebRequest;
import org.vipgate.certs.http.WebResponse;
import org.vipgate.certs.http.WebRoute;
import org.vipgate.certs.http.WebServer;
import org.vipgate.certs.http.WebServerConfig;

/**
 * The real remote side, in process: an instance's CA in its own home, the CSR store, and the HTTPS web service with
 * the discovery and CSR routes, its certificate issued by that CA for 127.0.0.1 and localhost. POSTs to the CSR route
 * are counted.
 */
final class RemotePlatform implements AutoCloseable {

    final String instance;
    final CertificateAuthority ca;
    final CsrStore store;
    final IssuedCertificate brokerServer;
    final AtomicReference<DiscoveryInfo> discovery = new AtomicReference<>();
    private final AtomicInteger csrPosts = new AtomicInteger();
    private final WebServer server;
    final URI web;

    private RemotePlatform(Path home, String instance, String rmqAddress) throws Exception {
        this.instance = instance;
        this.ca = newCa(home, instance);
        this.store = new CsrStore(ca);
        IssuedCertificate webCert = ca.issueServer("platform_web-server", List.of("127.0.0.1", "localhost"));
        this.brokerServer = ca.issueServer(instance + "-server", List.of("localhost", "127.0.0.1"));
        discovery.set(new DiscoveryInfo(null, null, instance, rmqAddress, ca.certificatePem()));
        CsrRoute csr = new CsrRoute(store);
        WebRoute counting = new WebRoute() {
            @Override
            public boolean matches(WebRequest request) {
                return csr.matches(request);
            }

            @Override
            public WebResponse handle(WebRequest request) throws Exception {
                csrPosts.incrementAndGet();
                return csr.handle(request);
            }
        };
        server = new WebServer(WebServerConfig.plain(new InetSocketAddress("127.0.0.1", 0))
                .withTls(webCert.certificateFile(), webCert.privateKeyFile()),
                List.of(new DiscoveryRoute(discovery::get), counting));
        web = URI.create("https://127.0.0.1:" + server.start().getPort());
    }

    static RemotePlatform start(Path home, String instance, String rmqAddress) throws Exception {
        return new RemotePlatform(home, instance, rmqAddress);
    }

    static CertificateAuthority newCa(Path home, String instance) throws Exception {
        return CertificateAuthority.createOrLoad(
                new CertificateLayout(Files.createDirectories(home.resolve("certificates"))), instance,
                new SubjectData("US", "WA", "Richland", "PNNL", "volttron", instance + "-root-ca"),
                CertificateLifetimes.defaults());
    }

    /** Requests that reached {@code /csr/request_new}. */
    int csrPosts() {
        return csrPosts.get();
    }

    void advertise(String rmqAddress, String caPem) {
        discovery.set(new DiscoveryInfo(null, null, instance, rmqAddress, caPem));
    }

    @Override
    public void close() {
        server.close();
    }
}
