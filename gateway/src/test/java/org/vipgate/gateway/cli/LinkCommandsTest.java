package org.vipgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.federation.management.ManagementClient;
import org.vipgate.federation.management.ManagementEndpoint;
import org.vipgate.federation.management.ManagementException;
import org.vipgate.federation.remote.CertificateOutcome;
import org.vipgate.federation.remote.RemoteCertificates;
import org.vipgate.federation.remote.RemoteInstanceNames;
import org.vipgate.gateway.config.HomePki;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.testkit.RabbitBroker;
import org.vipgate.testkit.RabbitBrokerExtension;

/** {@code vipgate federation ...} in-process on a real home and broker: output lines and exit codes. */
@ExtendWith(RabbitBrokerExtension.class)
class LinkCommandsTest {

    private final RabbitBroker broker;
    private final ManagementClient client;
    private final String vhost = "vipgate-cli-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path home;

    LinkCommandsTest(RabbitBroker broker) {
        this.broker = broker;
        this.client = new ManagementClient(ManagementEndpoint.http(broker.host(), broker.managementPort(),
                broker.username(), broker.password()));
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @BeforeEach
    void writeHome() throws Exception {
        client.createVhost(vhost);
        Files.writeString(home.resolve("config"), "[volttron]\ninstance-name = v1\nmessage-bus = rmq\n");
        writeRabbit(broker.managementPort());
        Files.writeString(home.resolve("rabbitmq_federation_config.yml"), "federation-upstream:\n"
                + "  v2.example:\n    port: 5671\n    virtual-host: volttron\n    federation-user: v1.federation\n");
        LinkCommands.useRemoteCertificates(new RemoteCertificatesFactory() {
            @Override
            public RemoteCertificates certificates(VolttronHome h, HomePki pki, String folder) {
                return (web, cn, key) -> new CertificateOutcome.Pending(cn, web.toString());
            }

            @Override
            public RemoteInstanceNames instanceNames(VolttronHome h, HomePki pki) {
                return web -> "v2";
            }
        });
    }

    private void writeRabbit(int mgmtPort) throws Exception {
        Files.writeString(home.resolve("rabbitmq_config.yml"), "host: " + broker.host() + "\nssl: false\n"
                + "mgmt-port: " + mgmtPort + "\nvirtual-host: " + vhost + "\nuser: " + broker.username()
                + "\npass: " + broker.password() + "\n");
    }

    @AfterEach
    void cleanUp() throws ManagementException {
        LinkCommands.useRemoteCertificates(RemoteCertificatesFactory.NOT_WIRED);
        client.deleteVhost(vhost);
    }

    @Test
    void aPendingCertificateExits75AndSaysWhy() {
        CliRun r = run("federation", "apply", "--home", home.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.TEMPFAIL);
        assertThat(r.out()).contains("pending certificate for v2.example: certificate request"
                + " 'v2.v1.federation' waits for approval").contains("created policy volttron-federation");

        CliRun status = run("federation", "status", "--home", home.toString());
        assertThat(status.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(status.out()).contains("NAME", "STATE", "PEER", "LAST ERROR")
                .contains("upstream-v2.example-volttron", "missing", "amqps://v2.example:5671/volttron");
    }

    @Test
    void withoutTheCsrClientWiredTheUpstreamFails() {
        LinkCommands.useRemoteCertificates(RemoteCertificatesFactory.NOT_WIRED);
        CliRun r = run("federation", "apply", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("remote CSR client not wired");
    }

    @Test
    void badYamlExits78NamingFileAndKey() throws Exception {
        Path bad = home.resolve("bad.yml");
        Files.writeString(bad, "shovel:\n  v2:\n    port: [1]\n");
        CliRun r = run("shovel", "apply", "--home", home.toString(), "--file", bad.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains(bad.toString()).contains("shovel.v2.port");
    }

    @Test
    void anUnreachableManagementApiExits69WithTheAddress() throws Exception {
        writeRabbit(1);
        CliRun r = run("federation", "status", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err()).contains(broker.host() + ":1");
    }
}
