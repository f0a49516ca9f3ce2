package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.certs.CertificateAuthority;
import org.vipgate.certs.IssuedCertificate;
import org.vipgate.federation.remote.CsrRemoteCertificates;
import org.vipgate.federation.remote.RemoteConnection;
import org.vipgate.federation.remote.RemotePlatformConnector;
import org.vipgate.federation.remote.RetryingConnector;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.HomePki;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.ManagementProbe;
import org.vipgate.testkit.NodeOptions;
import org.vipgate.testkit.PrivateNode;
import org.vipgate.testkit.TlsFiles;

/**
 * Issue 6 end to end: two sites, each a private RabbitMQ node with TLS and EXTERNAL whose certificates its own
 * vipgate CA issued, and a vipgate on each. Site v1 federates from v2 through the CSR flow of v2's vipgate; a Java
 * forwarder on v1 reaches v2's broker with {@code connect_remote_platform} (vip-rabbitmq.md §5, §8.1).
 */
class SiteLinksTest {

    private static final String ADMIN_PASSWORD = "admin-pass-1";
    private static final Duration LINK_WAIT = Duration.ofSeconds(120);

    /** One site: its home, CA, broker and running vipgate. */
    record Site(String instance, Path home, CertificateAuthority ca, PrivateNode node, Gateway gateway, int webPort) {

        URI web() {
            return URI.create("https://localhost:" + webPort);
        }

        ManagementProbe management() {
            return node.management();
        }

        /** A guest connection over the plain port, with guest allowed on vhost volttron. */
        Connection guest() throws Exception {
            management().put("permissions/volttron/guest", "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
            ConnectionFactory f = new ConnectionFactory();
            f.setHost("127.0.0.1");
            f.setPort(node.amqpPort());
            f.setVirtualHost("volttron");
            return f.newConnection("test-" + instance);
        }
    }

    @TempDir
    static Path dir;
    private static Site v1;
    private static Site v2;

    @BeforeAll
    static void startSites() throws Exception {
        v2 = site("v2");
        v1 = site("v1");
    }

    @AfterAll
    static void stopSites() {
        for (Site s : new Site[] {v1, v2}) {
            if (s != null) {
                s.gateway().close();
                s.node().close();
            }
        }
    }

    /** vcfg's layout: CA from certificate-data, the broker's server and admin certificates, ssl: true. */
    private static Site site(String instance) throws Exception {
        Path home = Files.createDirectories(dir.resolve(instance));
        int webPort = FreePorts.next();
        Files.writeString(home.resolve("config"), """
                [volttron]
                message-bus = rmq
                instance-name = %s
                vip-address = tcp://127.0.0.1:%d
                bind-web-address = https://127.0.0.1:%d
                """.formatted(instance, FreePorts.next(), webPort));
        writeRabbitConfig(home, instance, 1, 2, 3, 4);
        CertificateAuthority ca = HomePki.of(new VolttronHome(home)).certificateAuthority();
        IssuedCertificate server = ca.issueServer(instance + "-server", List.of("localhost", "127.0.0.1"));
        ca.issueClient(instance + "-admin");
        PrivateNode node = PrivateNode.start(NodeOptions.builder().tls(TlsFiles.mutual(ca.trustedCasFile(),
                server.certificateFile(), server.privateKeyFile())).build());
        node.management().put("users/" + instance + "-admin",
                "{\"password\":\"" + ADMIN_PASSWORD + "\",\"tags\":\"administrator\"}");
        writeRabbitConfig(home, instance, node.amqpPort(), node.amqpsPort().getAsInt(), node.managementPort(),
                node.managementTlsPort().getAsInt());
        Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home)));
        gateway.start();
        return new Site(instance, home, ca, node, gateway, webPort);
    }

    private static void writeRabbitConfig(Path home, String instance, int amqp, int amqps, int mgmt, int mgmtTls)
            throws Exception {
        Files.writeString(home.resolve("rabbitmq_config.yml"), """
                host: localhost
                amqp-port: %d
                amqp-port-ssl: %d
                mgmt-port: %d
                mgmt-port-ssl: %d
                virtual-host: volttron
                user: %s-admin
                pass: %s
                ssl: 'true'
                reconnect-delay: 2
                certificate-data:
                  country: US
                  state: WA
                  location: Richland
                  organization: PNNL
                  organization-unit: volttron
                  common-name: %s-root-ca
                """.formatted(amqp, amqps, mgmt, mgmtTls, instance, ADMIN_PASSWORD, instance));
    }

    /**
     * vip-rabbitmq.md §5: `federation apply` on v1 from VOLTTRON's YAML gets its certificate through v2's CSR service
     * (pending until v2's administrator approves with `vipgate auth remote approve`), the link runs, a publish on v2
     * reaches an all_platforms subscriber on v1; apply again changes nothing; a policy deleted by hand is restored.
     */
    @Test
    void federationFromVolttronsYamlThroughTheCsrFlow() throws Exception {
        Files.writeString(v1.home().resolve("rabbitmq_federation_config.yml"), """
                federation-upstream:
                  localhost:
                    port: '%d'
                    virtual-host: volttron
                    https-port: %d
                    federation-user: v1.federation
                """.formatted(v2.node().amqpsPort().getAsInt(), v2.webPort()));
        String home1 = v1.home().toString();
        Commands.CliResult pending = Commands.vipgate("federation", "apply", "--home", home1);
        assertThat(pending.exit()).as(pending.out()).isEqualTo(75);
        assertThat(Commands.vipgate("auth", "remote", "list", "--home", v2.home().toString()).out())
                .contains("v2.v1.federation").contains("PENDING");

        assertThat(Commands.vipgate("auth", "remote", "approve", "--home", v2.home().toString(), "v2.v1.federation")
                .exit()).isZero();
        Commands.CliResult applied = Commands.vipgate("federation", "apply", "--home", home1);
        assertThat(applied.exit()).as(applied.out()).isZero();
        assertThat(Files.readString(v1.home().resolve("rabbitmq_federation_config.yml")))
                .as("certificates written back into the file").contains("public_cert").contains("remote_ca");

        Awaitility.await("federation link running").atMost(LINK_WAIT).pollInterval(Duration.ofSeconds(2))
                .until(() -> Commands.vipgate("federation", "status", "--home", home1).exit() == 0);

        try (Connection downstream = v1.guest(); Connection upstream = v2.guest()) {
            Channel sub = downstream.createChannel();
            String q = sub.queueDeclare("v1.subscriber.pubsub.all", false, true, true, null).getQueue();
            sub.queueBind(q, "volttron", "__pubsub__.*.devices.#"); // vip-rabbitmq.md §2.1: all_platforms
            BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
            sub.basicConsume(q, true, (t, d) -> got.add(d), t -> { });
            Channel pub = upstream.createChannel();
            Awaitility.await("a publish on v2 reaches v1's all_platforms subscriber").atMost(LINK_WAIT)
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        pub.basicPublish("volttron", "__pubsub__.v2.devices.x.#", null,
                                "{\"sender\": \"v2.agent\", \"bus\": \"\", \"headers\": {}, \"message\": 1}"
                                        .getBytes(StandardCharsets.UTF_8));
                        return got.poll(500, TimeUnit.MILLISECONDS) != null;
                    });
        }

        Commands.CliResult again = Commands.vipgate("federation", "apply", "--home", home1);
        assertThat(again.exit()).as(again.out()).isZero();
        assertThat(again.out()).contains("unchanged").doesNotContain("created").doesNotContain("updated");

        v1.management().delete("policies/volttron/volttron-federation");
        Commands.CliResult restored = Commands.vipgate("federation", "apply", "--home", home1);
        assertThat(restored.exit()).as(restored.out()).isZero();
        assertThat(restored.out()).contains("created");
        assertThat(v1.management().get("policies/volttron/volttron-federation")).isNotNull();
    }

    /**
     * vip-rabbitmq.md §8.1: a Java forwarder on v1 uses connect_remote_platform against v2's vipgate: pending until v2's
     * administrator approves, then it publishes on v2's broker and a subscriber there receives it; a denied request
     * yields the denied outcome and the agent stops trying.
     */
    @Test
    void aForwarderConnectsToTheOtherSiteOnceApprovedAndStopsWhenDenied() throws Exception {
        RemotePlatformConnector connector = new RemotePlatformConnector(new CsrRemoteCertificates(v1.ca(),
                Files.createDirectories(v1.home().resolve("agents/forwarder/forwarder.agent-data"))));
        assertThat(connector.connect(v2.web(), "v1", "forwarder")).isInstanceOf(RemoteConnection.Pending.class);

        assertThat(Commands.vipgate("auth", "remote", "approve", "--home", v2.home().toString(), "v2.v1.forwarder")
                .exit()).isZero();
        RemoteConnection outcome = new RetryingConnector(connector).connect(v2.web(), "v1", "forwarder");
        assertThat(outcome).isInstanceOf(RemoteConnection.Connected.class);
        try (Connection remote = ((RemoteConnection.Connected) outcome).connection();
             Connection subscriberSide = v2.guest()) {
            Channel sub = subscriberSide.createChannel();
            String q = sub.queueDeclare("v2.historian.pubsub.fwd", false, true, true, null).getQueue();
            sub.queueBind(q, "volttron", "__pubsub__.v2.devices.#");
            BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
            sub.basicConsume(q, true, (t, d) -> got.add(d), t -> { });
            // §8.1: the remote agent behaves as a local agent of v2: it publishes as __pubsub__.v2...
            remote.createChannel().basicPublish("volttron", "__pubsub__.v2.devices.fwd.all.#", null,
                    "{\"sender\": \"v1.forwarder\", \"bus\": \"\", \"headers\": {}, \"message\": 42}"
                            .getBytes(StandardCharsets.UTF_8));
            Delivery d = got.poll(10, TimeUnit.SECONDS);
            assertThat(d).as("the subscriber on v2 got the forwarder's publish").isNotNull();
            assertThat(new String(d.getBody(), StandardCharsets.UTF_8)).contains("\"message\": 42");
        }

        assertThat(connector.connect(v2.web(), "v1", "puller")).isInstanceOf(RemoteConnection.Pending.class);
        assertThat(Commands.vipgate("auth", "remote", "deny", "--home", v2.home().toString(), "v2.v1.puller")
                .exit()).isZero();
        // Denied, not TimedOut: the retrying connector stops at the first denial
        assertThat(new RetryingConnector(connector).connect(v2.web(), "v1", "puller"))
                .isInstanceOf(RemoteConnection.Denied.class);
    }

    /**
     * vip-rabbitmq.md §6: shovels both ways, from VOLTTRON's YAML with certificates through each other's CSR service.
     * RPC from a caller on v1 to a callee on v2 gets its reply; v1's side is vipgate's durable-queue shovel, so a
     * publish made on v1 while v2's broker is down arrives once it is back.
     */
    @Test
    void shovelsCarryRpcBothWaysAndTheQueueShovelKeepsWhatWasPublishedWhileTheLinkWasDown() throws Exception {
        Files.writeString(v1.home().resolve("rabbitmq_shovel_config.yml"), """
                shovel:
                  localhost:
                    port: %d
                    https-port: %d
                    virtual-host: volttron
                    shovel-user: v1.shovelv2
                    queue-shovel: true
                    pubsub:
                      platform.driver:
                        - devices
                    rpc:
                      v2:
                        - [caller, callee]
                """.formatted(v2.node().amqpsPort().getAsInt(), v2.webPort()));
        Files.writeString(v2.home().resolve("rabbitmq_shovel_config.yml"), """
                shovel:
                  localhost:
                    port: %d
                    https-port: %d
                    virtual-host: volttron
                    shovel-user: v2.shovelv1
                    rpc:
                      v1:
                        - [callee, caller]
                """.formatted(v1.node().amqpsPort().getAsInt(), v1.webPort()));
        String home1 = v1.home().toString();
        String home2 = v2.home().toString();
        assertThat(Commands.vipgate("shovel", "apply", "--home", home1).exit()).isEqualTo(75);
        assertThat(Commands.vipgate("shovel", "apply", "--home", home2).exit()).isEqualTo(75);
        assertThat(Commands.vipgate("auth", "remote", "approve", "--home", home2, "v2.v1.shovelv2").exit()).isZero();
        assertThat(Commands.vipgate("auth", "remote", "approve", "--home", home1, "v1.v2.shovelv1").exit()).isZero();
        for (String home : List.of(home1, home2)) {
            Commands.CliResult applied = Commands.vipgate("shovel", "apply", "--home", home);
            assertThat(applied.exit()).as(applied.out()).isZero();
            Awaitility.await("shovels of " + home + " running").atMost(LINK_WAIT).pollInterval(Duration.ofSeconds(2))
                    .until(() -> Commands.vipgate("shovel", "status", "--home", home).exit() == 0);
        }

        try (Connection site1 = v1.guest(); Connection site2 = v2.guest()) {
            // the callee on v2 answers to <caller instance>.<caller> (vip-rabbitmq.md §3)
            Channel callee = site2.createChannel();
            callee.queueDeclare("v2.callee", false, true, true, null);
            callee.queueBind("v2.callee", "volttron", "v2.callee");
            callee.basicConsume("v2.callee", true, (t, d) -> callee.basicPublish("volttron",
                    d.getProperties().getAppId(), d.getProperties(), ("[\"reply to " + new String(d.getBody(),
                            StandardCharsets.UTF_8) + "\"]").getBytes(StandardCharsets.UTF_8)), t -> { });
            Channel caller = site1.createChannel();
            caller.queueDeclare("v1.caller", false, true, true, null);
            caller.queueBind("v1.caller", "volttron", "v1.caller");
            BlockingQueue<Delivery> replies = new LinkedBlockingQueue<>();
            caller.basicConsume("v1.caller", true, (t, d) -> replies.add(d), t -> { });
            com.rabbitmq.client.AMQP.BasicProperties call = new com.rabbitmq.client.AMQP.BasicProperties.Builder()
                    .appId("v1.caller").messageId("rpc-1").type("RPC").build();
            caller.basicPublish("volttron", "v2.callee", call, "call-1".getBytes(StandardCharsets.UTF_8));
            Delivery reply = replies.poll(30, TimeUnit.SECONDS);
            assertThat(reply).as("the reply of v2.callee came back to v1.caller").isNotNull();
            assertThat(new String(reply.getBody(), StandardCharsets.UTF_8)).isEqualTo("[\"reply to call-1\"]");
            assertThat(reply.getProperties().getMessageId()).isEqualTo("rpc-1");

            // an all_platforms subscriber on v2, durable so that it outlives the broker restart
            Channel sub = site2.createChannel();
            sub.queueDeclare("v2.listener.pubsub.durable", true, false, false, null);
            sub.queueBind("v2.listener.pubsub.durable", "volttron", "__pubsub__.*.devices.#");
        }
        v2.node().stop();
        try (Connection site1 = v1.guest()) {
            site1.createChannel().basicPublish("volttron", "__pubsub__.v1.devices.while.down.#",
                    com.rabbitmq.client.MessageProperties.PERSISTENT_BASIC,
                    "{\"sender\": \"platform.driver\", \"bus\": \"\", \"headers\": {}, \"message\": 7}"
                            .getBytes(StandardCharsets.UTF_8));
        }
        v2.node().start();
        try (Connection site2 = v2.guest()) {
            Channel sub = site2.createChannel();
            Awaitility.await("the publish made while v2 was down arrives").atMost(LINK_WAIT)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> sub.basicGet("v2.listener.pubsub.durable", true) != null);
        }
    }
}
