package org.vipgate.federation.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.certs.CertificateAuthority;
import org.vipgate.federation.management.Permissions;
import org.vipgate.testkit.ManagementProbe;
import org.vipgate.testkit.NodeOptions;
import org.vipgate.testkit.PrivateNode;
import org.vipgate.testkit.TlsFiles;

/**
 * vip-rabbitmq.md §8.1 end to end: local instance v1 connects its agents to remote instance v2, whose real CSR
 * service and HTTPS web service run in process and whose broker is a private RabbitMQ node with a TLS listener,
 * EXTERNAL and the user taken from the certificate CN. On approval the RabbitMQ user is created with the agent
 * permissions, as the gateway does (certs-csr-discovery.md §2.3).
 */
class RemotePlatformConnectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VHOST = "volttron";

    @TempDir
    static Path dir;
    private static RemotePlatform v2;
    private static PrivateNode node;
    private static ManagementProbe management;
    private static CertificateAuthority v1;

    @BeforeAll
    static void start() throws Exception {
        v2 = RemotePlatform.start(dir.resolve("v2"), "v2", null);
        node = PrivateNode.start(NodeOptions.builder().tls(TlsFiles.mutual(v2.ca.trustedCasFile(),
                v2.brokerServer.certificateFile(), v2.brokerServer.privateKeyFile())).build());
        v2.advertise("amqps://localhost:" + node.amqpsPort().getAsInt() + "/" + VHOST, v2.ca.certificatePem());
        management = node.management();
        management.put("vhosts/" + VHOST, "{}");
        management.put("exchanges/" + VHOST + "/volttron", "{\"type\":\"topic\",\"durable\":true}");
        v2.store.addApprovalListener(approved -> {
            String user = ManagementProbe.segment(approved.commonName());
            Permissions p = Permissions.agentDefault(approved.commonName());
            management.put("users/" + user, "{\"password_hash\":\"\",\"tags\":\"\"}");
            management.put("permissions/" + VHOST + "/" + user, JSON.createObjectNode()
                    .put("configure", p.configure()).put("write", p.write()).put("read", p.read()).toString());
        });
        v1 = RemotePlatform.newCa(dir.resolve("v1"), "v1");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (v2 != null) {
            v2.close();
        }
    }

    private static RemotePlatformConnector connector(String agentData) {
        return new RemotePlatformConnector(new CsrRemoteCertificates(v1, dir.resolve("v1/" + agentData)));
    }

    @Test
    void pendingThenConnectedAndAPublishReachesASubscriberOfTheRemoteBroker() throws Exception {
        RemotePlatformConnector connector = connector("forwarder.agent-data");
        assertThat(connector.connect(v2.web, "v1", "forwarder"))
                .isEqualTo(new RemoteConnection.Pending("v2.v1.forwarder", v2.web));
        v2.store.approve("v2.v1.forwarder");

        RemoteConnection outcome = connector.connect(v2.web, "v1", "forwarder");

        assertThat(outcome).isInstanceOf(RemoteConnection.Connected.class);
        RemoteConnection.Connected connected = (RemoteConnection.Connected) outcome;
        assertThat(connected.certificate().commonName()).isEqualTo("v2.v1.forwarder");
        try (Connection remote = connected.connection(); Connection subscriber = guest()) {
            Channel sub = subscriber.createChannel();
            String queue = sub.queueDeclare("", false, true, true, null).getQueue();
            sub.queueBind(queue, "volttron", "__pubsub__.v2.#");
            remote.createChannel().basicPublish("volttron", "__pubsub__.v2.devices.campus.all", null,
                    "[{\"temperature\": 21}]".getBytes(StandardCharsets.UTF_8));
            GetResponse got = Awaitility.await("the forwarded publish").atMost(Duration.ofSeconds(10))
                    .until(() -> sub.basicGet(queue, true), r -> r != null);
            assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("[{\"temperature\": 21}]");
            assertThat(userOfConnection("v2.v1.forwarder")).isEqualTo("v2.v1.forwarder");
        }
    }

    @Test
    void aStoredCertificateRefusedAfterADenyIsDeletedAndAskedAgain() throws Exception {
        String cn = "v2.v1.historian";
        Path agentData = dir.resolve("v1/historian.agent-data");
        RemotePlatformConnector connector = connector("historian.agent-data");
        assertThat(connector.connect(v2.web, "v1", "historian")).isInstanceOf(RemoteConnection.Pending.class);
        v2.store.approve(cn);
        RemoteConnection first = connector.connect(v2.web, "v1", "historian");
        assertThat(first).isInstanceOf(RemoteConnection.Connected.class);
        ((RemoteConnection.Connected) first).connection().close();

        // The remote administrator denies it; the gateway deletes the RabbitMQ user (§2.3).
        v2.store.deny(cn);
        management.delete("users/" + cn);
        int postsBefore = v2.csrPosts();

        assertThat(connector.connect(v2.web, "v1", "historian"))
                .isEqualTo(new RemoteConnection.Denied(cn, v2.web));
        assertThat(agentData.resolve(cn + ".crt")).doesNotExist();
        assertThat(v2.csrPosts()).as("asked again once").isEqualTo(postsBefore + 1);
    }

    @Test
    void retryingConnectsAfterAnApprovalMadeByAnotherThreadMidPoll() throws Exception {
        String cn = "v2.v1.puller";
        CountDownLatch firstWait = new CountDownLatch(1);
        AtomicInteger waits = new AtomicInteger();
        RetryingConnector retrying = new RetryingConnector(connector("puller.agent-data"),
                new RetryingConnector.Policy(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(60)),
                d -> {
                    waits.incrementAndGet();
                    firstWait.countDown();
                    Thread.sleep(d.toMillis());
                }, Clock.systemUTC());
        AtomicReference<Exception> approverFailure = new AtomicReference<>();
        Thread approver = new Thread(() -> {
            try {
                assertThat(firstWait.await(30, TimeUnit.SECONDS)).isTrue();
                v2.store.approve(cn);
            } catch (Exception e) {
                approverFailure.set(e);
            }
        }, "remote-admin");
        approver.start();

        RemoteConnection outcome = retrying.connect(v2.web, "v1", "puller");

        approver.join(30_000);
        assertThat(approverFailure.get()).isNull();
        assertThat(outcome).isInstanceOf(RemoteConnection.Connected.class);
        assertThat(waits.get()).isPositive();
        ((RemoteConnection.Connected) outcome).connection().close();
    }

    @Test
    void retryingStopsAtOnceOnDenied() throws Exception {
        String cn = "v2.v1.watcher";
        RemotePlatformConnector connector = connector("watcher.agent-data");
        assertThat(connector.connect(v2.web, "v1", "watcher")).isInstanceOf(RemoteConnection.Pending.class);
        v2.store.deny(cn);
        AtomicInteger waits = new AtomicInteger();
        RetryingConnector retrying = new RetryingConnector(connector, RetryingConnector.Policy.defaults(),
                d -> waits.incrementAndGet(), Clock.systemUTC());

        assertThat(retrying.connect(v2.web, "v1", "watcher")).isEqualTo(new RemoteConnection.Denied(cn, v2.web));
        assertThat(waits.get()).isZero();
    }

    @Test
    void anUnreachablePlatformFailsNamingTheAddress() throws Exception {
        URI nowhere = URI.create("https://127.0.0.1:" + org.vipgate.testkit.FreePorts.next());
        assertThat(connector("nowhere.agent-data").connect(nowhere, "v1", "x"))
                .isInstanceOfSatisfying(RemoteConnection.Failed.class,
                        f -> assertThat(f.reason()).contains(nowhere.toString()));
    }

    private static Connection guest() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(node.host());
        f.setPort(node.amqpPort());
        f.setVirtualHost(VHOST);
        f.setUsername(node.username());
        f.setPassword(node.password());
        f.setAutomaticRecoveryEnabled(false);
        return f.newConnection("subscriber");
    }

    /** The user of the connection named {@code name} in /api/connections (stats lag a few seconds). */
    private static String userOfConnection(String name) {
        return Awaitility.await("connection " + name).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    var all = management.get("connections");
                    if (all == null) {
                        return null;
                    }
                    for (var c : all) {
                        if (name.equals(c.path("client_properties").path("connection_name").asText())) {
                            return c.path("user").asText();
                        }
                    }
                    return null;
                }, u -> u != null);
    }
}
