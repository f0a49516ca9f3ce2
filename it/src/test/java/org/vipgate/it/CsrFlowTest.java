package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.vipgate.certs.CertificateAuthority;
import org.vipgate.certs.CertificateLayout;
import org.vipgate.certs.CertificateLifetimes;
import org.vipgate.certs.IssuedCertificate;
import org.vipgate.certs.PemTls;
import org.vipgate.certs.SubjectData;
import org.vipgate.federation.management.Permissions;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.HomePki;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.ManagementProbe;
import org.vipgate.testkit.NodeOptions;
import org.vipgate.testkit.PrivateNode;
import org.vipgate.testkit.TlsFiles;
import org.vipgate.testkit.browser.AdminPage;
import org.vipgate.testkit.browser.HeadlessChromium;

/**
 * Issue 5 end to end (certs-csr-discovery.md §2, §3.1): a remote platform's CSR made with {@code openssl req} and
 * POSTed with {@code curl} to vipgate's HTTPS service, approved and denied with {@code vipgate auth remote}, the
 * certificate checked with {@code openssl verify} and used to log into RabbitMQ over TLS with SASL EXTERNAL as the
 * user vipgate created for it; discovery; bad requests.
 */
class CsrFlowTest {

    private static final String INSTANCE = "v1";
    private static final String CN = "v1.v2.forwarder";
    private static final String SUBJECT = "/C=US/ST=WA/L=Richland/O=PNNL/OU=volttron/CN=";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration USER_SYNC = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static Path home;
    private static PrivateNode broker;
    private static Gateway gateway;
    private static Gateway.Ready ready;
    private static String web;
    private static String vipAddress;

    @BeforeAll
    static void start() throws Exception {
        home = Files.createDirectories(dir.resolve("home"));
        int webPort = FreePorts.next();
        vipAddress = "tcp://127.0.0.1:" + FreePorts.next();
        Files.writeString(home.resolve("config"), """
                [volttron]
                message-bus = rmq
                instance-name = %s
                vip-address = %s
                bind-web-address = https://127.0.0.1:%d
                """.formatted(INSTANCE, vipAddress, webPort));
        writeRabbitConfig(0, 0); // ports come once the node runs; the CA only needs certificate-data
        // The CA from certificate-data (§1.2) and the broker's server certificate, as vcfg would make them.
        CertificateAuthority ca = HomePki.of(new VolttronHome(home)).certificateAuthority();
        IssuedCertificate server = ca.issueServer(INSTANCE + "-server", List.of("localhost", "127.0.0.1"));
        broker = PrivateNode.start(NodeOptions.builder().tls(TlsFiles.mutual(ca.trustedCasFile(),
                server.certificateFile(), server.privateKeyFile())).build());
        writeRabbitConfig(broker.amqpPort(), broker.managementPort());
        gateway = new Gateway(GatewayConfig.load(new VolttronHome(home)));
        ready = gateway.start();
        web = ready.webAddress();
        assertThat(web).isEqualTo("https://127.0.0.1:" + webPort);
    }

    private static void writeRabbitConfig(int amqpPort, int mgmtPort) throws IOException {
        Files.writeString(home.resolve("rabbitmq_config.yml"), """
                host: 127.0.0.1
                amqp-port: %d
                mgmt-port: %d
                virtual-host: volttron
                user: guest
                pass: guest
                ssl: 'false'
                reconnect-delay: 2
                certificate-data:
                  country: US
                  state: WA
                  location: Richland
                  organization: PNNL
                  organization-unit: volttron
                  common-name: v1-root-ca
                """.formatted(amqpPort == 0 ? 5672 : amqpPort, mgmtPort == 0 ? 15672 : mgmtPort));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void discoveryAnswersExactlyTheFiveKeysOfTheInstance() throws Exception {
        JsonNode d = JSON.readTree(curl("GET", "/discovery/", null).body());
        Set<String> keys = new TreeSet<>();
        d.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("instance-name", "rmq-address", "rmq-ca-cert", "serverkey", "vip-address");
        assertThat(d.path("instance-name").asText()).isEqualTo(INSTANCE);
        assertThat(d.path("vip-address").asText()).isEqualTo(vipAddress);
        assertThat(d.path("serverkey").asText()).isEqualTo(ready.serverKey()).hasSize(43);
        assertThat(d.path("rmq-address").asText()).isEqualTo("amqp://127.0.0.1:" + broker.amqpPort() + "/volttron");
        assertThat(d.path("rmq-ca-cert").asText()).isEqualTo(Files.readString(
                home.resolve("certificates/certs/" + INSTANCE + "-root-ca.crt")));
    }

    /**
     * Pending, approved by the CLI (and the user created), the certificate verified by openssl and logging in with
     * EXTERNAL; denied (and the user deleted, so the same certificate no longer logs in); approved again.
     */
    @Test
    void aCsrFromOpensslIsApprovedDeniedAndItsCertificateLogsInOnlyWhileApproved() throws Exception {
        Path key = dir.resolve("forwarder.pem");
        Path csr = dir.resolve("forwarder.csr");
        Commands.run("openssl", "genrsa", "-out", key.toString(), "2048");
        Commands.run("openssl", "req", "-new", "-key", key.toString(), "-subj", SUBJECT + CN, "-out", csr.toString());
        // §2.1 step 5: VOLTTRON's client double-encodes the body
        String body = JSON.writeValueAsString(JSON.writeValueAsString(
                JSON.createObjectNode().put("csr", Files.readString(csr)).put("identity", CN)));

        assertThat(status(curl("POST", "/csr/request_new", body))).isEqualTo("PENDING");
        assertThat(Commands.vipgate("auth", "remote", "list", "--home", home.toString()).out())
                .contains(CN).contains("PENDING").contains("127.0.0.1");

        assertThat(Commands.vipgate("auth", "remote", "approve", "--home", home.toString(), CN).exit()).isZero();
        JsonNode approved = JSON.readTree(curl("POST", "/csr/request_new", body).body());
        assertThat(approved.path("status").asText()).isEqualTo("APPROVED");
        Path cert = Files.writeString(dir.resolve("forwarder.crt"), approved.path("cert").asText());
        Path trusted = home.resolve("certificates/certs/" + INSTANCE + "-trusted-cas.crt");
        assertThat(Commands.run("openssl", "verify", "-CAfile", trusted.toString(), cert.toString())).contains("OK");

        ManagementProbe management = broker.management();
        Awaitility.await("RabbitMQ user " + CN).atMost(USER_SYNC)
                .until(() -> management.get("users/" + CN) != null);
        JsonNode perms = management.get("permissions/volttron/" + CN);
        Permissions expected = Permissions.agentDefault(CN);
        assertThat(perms.path("configure").asText()).isEqualTo(expected.configure());
        assertThat(management.get("users/" + CN).path("tags").toString()).doesNotContain("administrator");

        try (Connection c = externalLogin(trusted, cert, key)) {
            c.createChannel().queueDeclare(CN, false, true, true, null);
            assertThat(c.getServerProperties()).isNotEmpty();
        }

        assertThat(Commands.vipgate("auth", "remote", "deny", "--home", home.toString(), CN).exit()).isZero();
        assertThat(status(curl("POST", "/csr/request_new", body))).isEqualTo("DENIED");
        Awaitility.await("RabbitMQ user " + CN + " deleted").atMost(USER_SYNC)
                .until(() -> management.get("users/" + CN) == null);
        assertThatThrownBy(() -> externalLogin(trusted, cert, key).close())
                .as("a denied request's certificate no longer logs in").isInstanceOf(Exception.class);

        assertThat(Commands.vipgate("auth", "remote", "approve", "--home", home.toString(), CN).exit()).isZero();
        assertThat(status(curl("POST", "/csr/request_new", body))).isEqualTo("APPROVED");
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedByTheBroker() throws Exception {
        CertificateAuthority stranger = CertificateAuthority.createOrLoad(
                new CertificateLayout(Files.createDirectories(dir.resolve("stranger"))), "x9",
                new SubjectData("US", "WA", "Richland", "PNNL", "volttron", "x9-root-ca"),
                CertificateLifetimes.defaults());
        IssuedCertificate impostor = stranger.issueClient("v1.v2.impostor");
        Path trusted = home.resolve("certificates/certs/" + INSTANCE + "-trusted-cas.crt");
        broker.management().put("users/v1.v2.impostor", "{\"password_hash\":\"\",\"tags\":\"\"}");
        assertThatThrownBy(() -> externalLogin(trusted, impostor.certificateFile(), impostor.privateKeyFile())
                .close()).isInstanceOf(Exception.class);
    }

    @Test
    void aCnWithoutTheInstancePrefixGetsError() throws Exception {
        Path key = dir.resolve("other.pem");
        Path csr = dir.resolve("other.csr");
        Commands.run("openssl", "genrsa", "-out", key.toString(), "2048");
        Commands.run("openssl", "req", "-new", "-key", key.toString(), "-subj", SUBJECT + "v9.v2.agent", "-out",
                csr.toString());
        HttpResult r = curl("POST", "/csr/request_new",
                JSON.writeValueAsString(JSON.createObjectNode().put("csr", Files.readString(csr))));
        JsonNode reply = JSON.readTree(r.body());
        assertThat(reply.path("status").asText()).isEqualTo("ERROR");
        assertThat(reply.path("message").asText()).contains("must start with instance name: " + INSTANCE);
        assertThat(Commands.vipgate("auth", "remote", "list", "--home", home.toString()).out()).doesNotContain("v9.v2.agent");
    }

    @Test
    void badRequestsGetA4xxWithAReasonAndTheServerKeepsAnswering() throws Exception {
        HttpResult malformed = curl("POST", "/csr/request_new", "{\"csr\": ");
        assertThat(malformed.code()).isEqualTo(400);
        assertThat(malformed.body()).contains("not valid JSON");
        HttpResult notPem = curl("POST", "/csr/request_new", "{\"csr\": \"hello\"}");
        assertThat(notPem.code()).isEqualTo(400);
        assertThat(notPem.body()).contains("not a PEM certificate request");
        HttpResult oversized = curl("POST", "/csr/request_new", "{\"csr\": \"" + "A".repeat(200_000) + "\"}");
        assertThat(oversized.code()).isEqualTo(413);
        assertThat(oversized.body()).isNotBlank();
        assertThat(curl("GET", "/discovery/", null).code()).isEqualTo(200);
    }

    /** The admin page in a real headless browser, against the running gateway and its real CSR store. */
    @Test
    void theAdminPageApprovesAPendingRequestAndTheUserIsCreated() throws Exception {
        String cn = "v1.v2.historian";
        Path key = dir.resolve("historian.pem");
        Path csr = dir.resolve("historian.csr");
        Commands.run("openssl", "genrsa", "-out", key.toString(), "2048");
        Commands.run("openssl", "req", "-new", "-key", key.toString(), "-subj", SUBJECT + cn, "-out", csr.toString());
        assertThat(status(curl("POST", "/csr/request_new",
                JSON.writeValueAsString(JSON.createObjectNode().put("csr", Files.readString(csr))))))
                .isEqualTo("PENDING");

        WebDriver browser = HeadlessChromium.start(dir);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            AdminPage.createAdministrator(browser, wait, web, "admin", "operator-pass-1");
            AdminPage.logIn(browser, wait, web, "admin", "operator-pass-1");

            By pending = By.cssSelector("#pending tr[data-cn=\"" + cn + "\"]");
            wait.until(ExpectedConditions.presenceOfElementLocated(pending));
            assertThat(browser.findElement(pending).findElement(By.cssSelector("td.remote")).getText())
                    .isEqualTo("127.0.0.1");
            browser.findElement(pending).findElement(By.cssSelector("button.approve")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#approved tr[data-cn=\"" + cn + "\"]")));
            assertThat(browser.findElements(pending)).isEmpty();
        } finally {
            browser.quit();
        }
        assertThat(Commands.vipgate("auth", "remote", "list", "--home", home.toString(), "--status", "approved").out())
                .contains(cn);
        Awaitility.await("RabbitMQ user " + cn).atMost(USER_SYNC)
                .until(() -> broker.management().get("users/" + cn) != null);
    }

    // ---- helpers ----

    private static String status(HttpResult r) throws IOException {
        assertThat(r.code()).as("HTTP status of %s", r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("status").asText();
    }

    private static Connection externalLogin(Path trusted, Path cert, Path key) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(broker.amqpsPort().getAsInt());
        f.setVirtualHost("volttron");
        f.useSslProtocol(PemTls.clientContext(trusted, cert, key));
        f.setSaslConfig(DefaultSaslConfig.EXTERNAL);
        f.setAutomaticRecoveryEnabled(false);
        f.setConnectionTimeout(10_000);
        return f.newConnection("forwarder");
    }

    record HttpResult(int code, String body) {
    }

    /** curl, the third-party client, trusting only the instance's CA bundle (the web certificate is issued by it). */
    private static HttpResult curl(String method, String path, String body) throws Exception {
        List<String> cmd = new ArrayList<>(Arrays.asList("curl", "-sS", "--cacert",
                home.resolve("certificates/certs/" + INSTANCE + "-trusted-cas.crt").toString(), "-X", method,
                "-w", "\n%{http_code}", web + path));
        if (body != null) {
            Path file = Files.writeString(Files.createTempFile(dir, "body", ".json"), body);
            cmd.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", "@" + file));
        }
        String out = Commands.run(cmd.toArray(String[]::new));
        int cut = out.lastIndexOf('\n');
        return new HttpResult(Integer.parseInt(out.substring(cut + 1).strip()), out.substring(0, cut));
    }
}
