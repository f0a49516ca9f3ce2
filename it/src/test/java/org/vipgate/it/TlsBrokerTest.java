package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.amqp.BrokerException;
import org.vipgate.gateway.cli.ExitCodes;
import org.vipgate.gateway.cli.Main;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.ManagementProbe;
import org.vipgate.testkit.NodeOptions;
import org.vipgate.testkit.PrivateNode;
import org.vipgate.testkit.TlsFiles;
import picocli.CommandLine;

/**
 * vip-rabbitmq.md §7.2-§7.5: with {@code ssl: true}, vipgate logs in to a broker set up as VOLTTRON sets it up
 * (TLS listener, verify_peer, EXTERNAL, user from the certificate CN) with the instance's admin certificate,
 * and uses the management API over HTTPS; a home without that certificate ends with a message naming the file.
 */
class TlsBrokerTest {

    private static final String INSTANCE = "tls1";
    /** The admin user: VOLTTRON's default {@code <inst>-admin}, which is also the admin certificate's CN. */
    private static final String ADMIN = INSTANCE + "-admin";
    private static final String ADMIN_PASSWORD = "not-the-default";
    private static final String VHOST = "volttron";
    /** Longer than a broker start, shorter than a hang: the gateway retries for ever when it cannot connect. */
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void logsInWithTheAdminCertificateOverAmqpsAndManagesOverHttps() throws Exception {
        Path home = dir.resolve("volttron_home");
        VolttronPki pki = VolttronPki.create(home, INSTANCE);
        // vip-rabbitmq.md §7.2: the broker uses trusted-cas, <inst>-server.crt and private/<inst>-server.pem.
        TlsFiles brokerFiles = TlsFiles.mutual(pki.trustedCas(), pki.serverCertificate(), pki.serverKey());

        // A private node: it is the fixture that also serves the management API over HTTPS.
        try (PrivateNode broker = PrivateNode.start(NodeOptions.builder().tls(brokerFiles).build())) {
            ManagementProbe guest = broker.management();
            // vip-rabbitmq.md §7.4 (vcfg): the admin user, named like the certificate's CN, with the administrator
            // tag. The vhost is left to vipgate, so that it is created through the HTTPS API.
            guest.put("users/" + ADMIN, "{\"password\":\"" + ADMIN_PASSWORD + "\",\"tags\":\"administrator\"}");
            // Plain ports nobody listens on: only amqp-port-ssl and mgmt-port-ssl can work.
            writeHome(home, "localhost", FreePorts.next(), broker.amqpsPort().getAsInt(), FreePorts.next(),
                    broker.managementTlsPort().getAsInt());

            try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home)))) {
                Gateway.Ready ready = assertTimeoutPreemptively(START_LIMIT, gateway::start,
                        "vipgate did not get ready over TLS; see the log for the attempts");

                assertThat(ready.amqpAddress())
                        .isEqualTo("amqps://localhost:" + broker.amqpsPort().getAsInt() + "/" + VHOST);
                assertThat(ready.user()).isEqualTo(ADMIN);
                assertThat(ready.vhostCreated()).as("vhost created through https://localhost:"
                        + broker.managementTlsPort().getAsInt()).isTrue();
                assertThat(guest.get("permissions/" + VHOST + "/" + ADMIN)).as("permissions set over HTTPS")
                        .isNotNull();

                JsonNode volttron = guest.get("exchanges/" + VHOST + "/volttron");
                assertThat(volttron).as("exchange volttron").isNotNull();
                assertThat(volttron.path("type").asText()).isEqualTo("topic");
                assertThat(volttron.path("arguments").path("alternate-exchange").asText())
                        .isEqualTo("undeliverable");
                JsonNode undeliverable = guest.get("exchanges/" + VHOST + "/undeliverable");
                assertThat(undeliverable).as("exchange undeliverable").isNotNull();
                assertThat(undeliverable.path("type").asText()).isEqualTo("fanout");

                // Connection stats lag the connection by a few seconds.
                JsonNode connection = Awaitility.await("vipgate's connection in /api/connections")
                        .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                        .until(() -> connectionOf(guest, "vipgate " + INSTANCE), c -> c != null);
                assertThat(connection.path("user").asText()).as("user taken from the certificate CN")
                        .isEqualTo(ADMIN);
                assertThat(connection.path("auth_mechanism").asText()).isEqualTo("EXTERNAL");
                assertThat(connection.path("ssl").asBoolean()).isTrue();
                assertThat(connection.path("ssl_protocol").asText()).isIn("tlsv1.3", "tlsv1.2");
                assertThat(connection.path("peer_cert_subject").asText()).contains("CN=" + ADMIN);
                assertThat(connection.path("vhost").asText()).isEqualTo(VHOST);
            }
        }
    }

    @Test
    void aHomeWithoutTheAdminCertificateEndsWithTheFileAndWhatToDo() throws Exception {
        Path home = dir.resolve("volttron_home");
        VolttronPki pki = VolttronPki.create(home, INSTANCE);
        Path certificate = pki.certificate(INSTANCE + "-admin");
        Files.delete(certificate);
        // No broker: the certificate is read before anything is contacted.
        writeHome(home, "localhost", FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next());

        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home)))) {
            assertThatThrownBy(gateway::start)
                    .isInstanceOfSatisfying(ConfigException.class, e -> {
                        assertThat(e.file()).isEqualTo(certificate);
                        assertThat(e.problem()).isEqualTo("missing file");
                    })
                    .hasMessageStartingWith(certificate + ": missing file; expected the admin client certificate"
                            + " of instance '" + INSTANCE + "'")
                    .hasMessageContaining("'vcfg rabbitmq single'")
                    .hasMessageContaining("private/" + INSTANCE + "-admin.pem");
        }

        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("run", "--home", home.toString());

        assertThat(exit).as("EX_CONFIG").isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString()).startsWith("vipgate: " + certificate + ": missing file; expected")
                .contains("'vcfg rabbitmq single'");
    }

    @Test
    void aKeyOfAnotherCertificateIsNamedWithTheCertificateItShouldMatch() throws Exception {
        Path home = dir.resolve("volttron_home");
        VolttronPki pki = VolttronPki.create(home, INSTANCE);
        VolttronPki other = VolttronPki.create(dir.resolve("other_home"), INSTANCE);
        Path key = pki.key(INSTANCE + "-admin");
        Files.copy(other.key(INSTANCE + "-admin"), key, StandardCopyOption.REPLACE_EXISTING);
        writeHome(home, "localhost", FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next());

        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home)))) {
            assertThatThrownBy(gateway::start)
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.file()).isEqualTo(key))
                    .hasMessageStartingWith(key + ": the private key does not match the certificate 'CN="
                            + ADMIN + "' in " + pki.certificate(INSTANCE + "-admin"))
                    .hasMessageContaining("'vcfg rabbitmq single'");
        }
    }

    @Test
    void aBrokerCertificateFromAnotherCaEndsAtOnceNamingHostAndCaBundle() throws Exception {
        Path home = dir.resolve("volttron_home");
        VolttronPki pki = VolttronPki.create(home, INSTANCE);
        VolttronPki stranger = VolttronPki.create(dir.resolve("stranger_home"), INSTANCE);
        TlsFiles strangerBroker = TlsFiles.mutual(stranger.trustedCas(), stranger.serverCertificate(),
                stranger.serverKey());

        try (PrivateNode broker = PrivateNode.start(NodeOptions.builder().tls(strangerBroker).build())) {
            writeHome(home, "localhost", FreePorts.next(), broker.amqpsPort().getAsInt(), FreePorts.next(),
                    broker.managementTlsPort().getAsInt());
            try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home)))) {
                assertThatThrownBy(gateway::start)
                        .isInstanceOfSatisfying(BrokerException.class, e ->
                                assertThat(e.reason()).isEqualTo(BrokerException.Reason.TLS_TRUST))
                        .hasMessageContaining("host 'localhost'")
                        .hasMessageContaining("trusted-cas.crt");
            }
        }
        assertThat(pki.trustedCas()).exists();
    }

    /** The connection whose client-given name is {@code name}, or null while the broker has not listed it. */
    private static JsonNode connectionOf(ManagementProbe probe, String name) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode c : probe.get("connections")) {
            if (name.equals(c.path("client_properties").path("connection_name").asText())) {
                found.add(c);
            }
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** An SSL instance's home (§7.1): vipgate must use the -ssl ports. */
    private static void writeHome(Path home, String host, int amqpPort, int amqpPortSsl, int mgmtPort,
                                  int mgmtPortSsl) throws IOException {
        TestHomes.write(home, INSTANCE, new TestHomes.Ports(amqpPort, amqpPortSsl, mgmtPort, mgmtPortSsl), host,
                VHOST, ADMIN, ADMIN_PASSWORD, true);
    }
}
