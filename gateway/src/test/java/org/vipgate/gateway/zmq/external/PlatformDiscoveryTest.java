package org.vipgate.gateway.zmq.external;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.certs.CertificateAuthority;
import org.vipgate.certs.CertificateLayout;
import org.vipgate.certs.CertificateLifetimes;
import org.vipgate.certs.IssuedCertificate;
import org.vipgate.certs.SubjectData;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.gateway.zmq.auth.PlatformKeystore;
import org.vipgate.testkit.FreePorts;

/**
 * {@code /discovery/} fetched from real HTTP(S) servers (certs-csr-discovery.md §3.1–§3.3): malformed answers are
 * reported and retried, an address that comes up later joins, https is verified, and the discovery file keeps a
 * hand-written entry outside setup mode.
 */
class PlatformDiscoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = PlatformKeystore.generate().publicKeyText();

    @TempDir
    Path dir;

    private HttpServer server;
    private PlatformDiscovery discovery;
    private Gateway gateway;
    private final List<ExternalPlatform> found = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> answer = new AtomicReference<>();

    @AfterEach
    void stop() {
        if (discovery != null) {
            discovery.close();
        }
        if (server != null) {
            server.stop(0);
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private String serve(int port) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/discovery/", exchange -> {
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + port;
    }

    private static String info(String name, String vipAddress) {
        return "{\"serverkey\": \"" + KEY + "\", \"vip-address\": \"" + vipAddress + "\", \"instance-name\": \""
                + name + "\"}";
    }

    private PlatformDiscovery discovery(VolttronHome home, boolean setupMode) throws Exception {
        Files.createDirectories(home.root());
        discovery = new PlatformDiscovery(home, "A", setupMode, DiscoveryTrust.context(List.of()), found::add);
        return discovery;
    }

    @Test
    void aMalformedReplyIsReportedAndRetriedAndAFixedOneJoins() throws Exception {
        answer.set("<html>not json</html>");
        String address = serve(FreePorts.next());
        VolttronHome home = new VolttronHome(dir);
        PlatformDiscovery d = discovery(home, false);
        d.start(List.of(address), "");

        await("the malformed reply to be counted").until(() -> d.counters().get("malformed") >= 1);
        PlatformDiscovery.AddressStatus status = d.status().get(0);
        assertThat(status.state()).isEqualTo("failed");
        assertThat(status.lastError()).contains("malformed discovery reply").contains("not JSON");
        assertThat(found).isEmpty();

        answer.set("{\"instance-name\": \"B\"}"); // no vip-address/serverkey: a RabbitMQ-only platform
        long before = d.counters().get("malformed");
        await("the incomplete reply to be counted").until(() -> d.counters().get("malformed") > before);
        assertThat(d.status().get(0).lastError()).contains("vip-address");

        answer.set(info("B", "tcp://127.0.0.1:22916"));
        await("B to be found").until(() -> !found.isEmpty());
        assertThat(found).containsExactly(new ExternalPlatform("B", "tcp://127.0.0.1:22916", KEY));
        assertThat(d.status().get(0).state()).isEqualTo("found");
        JsonNode file = JSON.readTree(home.externalPlatformDiscoveryFile().toFile());
        assertThat(file).isEqualTo(JSON.readTree("{\"B\": " + info("B", "tcp://127.0.0.1:22916") + "}"));
    }

    @Test
    void anAddressThatIsDownAtFirstJoinsWhenItComesUp() throws Exception {
        int port = FreePorts.next();
        VolttronHome home = new VolttronHome(dir);
        PlatformDiscovery d = discovery(home, false);
        d.start(List.of("http://127.0.0.1:" + port), "");
        await("two failed attempts").until(() -> d.counters().get("failed") >= 2);
        assertThat(d.status().get(0).lastError()).contains("nothing answers there");

        answer.set(info("B", "tcp://127.0.0.1:22916"));
        serve(port);
        await("B to be found once it is up").until(() -> !found.isEmpty());
        assertThat(found.get(0).instanceName()).isEqualTo("B");
    }

    @Test
    void aHandWrittenEntryIsKeptOutsideSetupModeAndReplacedInIt() throws Exception {
        VolttronHome home = new VolttronHome(dir);
        String handWritten = "{\"B\": " + info("B", "tcp://10.9.9.9:22916") + ", \"C\": "
                + info("C", "tcp://10.0.0.3:22916") + "}";
        Files.writeString(home.externalPlatformDiscoveryFile(), handWritten);
        answer.set(info("B", "tcp://127.0.0.1:22916"));
        String address = serve(FreePorts.next());

        PlatformDiscovery normal = discovery(home, false);
        normal.start(List.of(address), "");
        await("B to be found").until(() -> !found.isEmpty());
        assertThat(found.get(0).vipAddress()).as("the file's entry wins").isEqualTo("tcp://10.9.9.9:22916");
        assertThat(JSON.readTree(home.externalPlatformDiscoveryFile().toFile())).isEqualTo(JSON.readTree(handWritten));
        normal.close();

        found.clear();
        PlatformDiscovery setup = discovery(home, true);
        setup.start(List.of(address), "");
        await("B to be found in setup mode").until(() -> !found.isEmpty());
        assertThat(found.get(0).vipAddress()).isEqualTo("tcp://127.0.0.1:22916");
        JsonNode file = JSON.readTree(home.externalPlatformDiscoveryFile().toFile());
        assertThat(file.path("B").path("vip-address").asText()).isEqualTo("tcp://127.0.0.1:22916");
        assertThat(file.path("C").path("vip-address").asText()).as("other entries kept")
                .isEqualTo("tcp://10.0.0.3:22916");
    }

    @Test
    void aPlatformThatNeverAnswersDoesNotHoldUpTheOthers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (!silent.isClosed()) {
                        held.add(silent.accept()); // accepted, never answered
                    }
                } catch (IOException closed) {
                    assertThat(silent.isClosed()).as("the silent server stopped only because the test ended").isTrue();
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            answer.set(info("B", "tcp://127.0.0.1:22916"));
            String good = serve(FreePorts.next());
            PlatformDiscovery d = discovery(new VolttronHome(dir), false);
            d.start(List.of("http://127.0.0.1:" + silent.getLocalPort(), good), "");

            await("B to be found while the other address hangs").atMost(Duration.ofSeconds(5))
                    .until(() -> !found.isEmpty());
            assertThat(d.status().stream().filter(a -> a.address().equals(good)).findFirst().orElseThrow().state())
                    .isEqualTo("found");
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void anUnusableHandWrittenEntryGivesWayToTheAnswer() throws Exception {
        VolttronHome home = new VolttronHome(dir);
        Files.writeString(home.externalPlatformDiscoveryFile(), "{\"B\": {\"instance-name\": \"B\"}}");
        answer.set(info("B", "tcp://127.0.0.1:22916"));
        discovery(home, false).start(List.of(serve(FreePorts.next())), "");
        await("B to be found").until(() -> !found.isEmpty());
        assertThat(found.get(0).vipAddress()).isEqualTo("tcp://127.0.0.1:22916");
    }

    @Test
    void ownAddressIsSkipped() throws Exception {
        PlatformDiscovery d = discovery(new VolttronHome(dir), false);
        d.start(List.of("http://127.0.0.1:1/"), "http://127.0.0.1:1");
        assertThat(d.status()).isEmpty();
    }

    @Test
    void httpsIsVerifiedAgainstJavasCasAndTheConfiguredOnes() throws Exception {
        // a ZeroMQ vipgate serving https with a certificate of its own CA
        CertificateAuthority ca = CertificateAuthority.createOrLoad(new CertificateLayout(dir.resolve("pki")), "siteca",
                SubjectData.ofCommonName("siteca-root-ca"), CertificateLifetimes.defaults());
        IssuedCertificate web = ca.issueServer("web", List.of("127.0.0.1", "localhost"));
        VolttronHome b = new VolttronHome(dir.resolve("b"));
        Files.createDirectories(b.root());
        String webAddress = "https://127.0.0.1:" + FreePorts.next();
        Files.writeString(b.configFile(), "[volttron]\ninstance-name = B\nvip-address = tcp://127.0.0.1:"
                + FreePorts.next() + "\nmessage-bus = zmq\nbind-web-address = " + webAddress + "\nweb-ssl-cert = "
                + web.certificateFile() + "\nweb-ssl-key = " + web.privateKeyFile() + "\n");
        gateway = new Gateway(GatewayConfig.load(b), false, () -> { });
        gateway.start();

        PlatformDiscovery untrusted = discovery(new VolttronHome(dir.resolve("a1")), false);
        untrusted.start(List.of(webAddress), "");
        await("the untrusted certificate to fail").until(() -> untrusted.counters().get("failed") >= 1);
        assertThat(untrusted.status().get(0).lastError()).contains("TLS failed").contains("discovery-ca-file");
        assertThat(found).isEmpty();
        untrusted.close();

        Path bundle = dir.resolve("sites.pem");
        Files.writeString(bundle, ca.certificatePem());
        Files.createDirectories(dir.resolve("a2"));
        discovery = new PlatformDiscovery(new VolttronHome(dir.resolve("a2")), "A", false,
                DiscoveryTrust.context(DiscoveryTrust.caFiles(Optional.empty(),
                        Map.of(DiscoveryTrust.REQUESTS_CA_BUNDLE, bundle.toString()))), found::add);
        discovery.start(List.of(webAddress), "");
        await("B to be found over verified https").until(() -> !found.isEmpty());
        assertThat(found.get(0).serverKey()).isEqualTo(gateway.vip().serverKey());
    }

    /** Awaitility, polling every 50 ms for at most {@link #WAIT}; {@code what} names the condition on failure. */
    private static ConditionFactory await(String what) {
        return Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(50));
    }
}
