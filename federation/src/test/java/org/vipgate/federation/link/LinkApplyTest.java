package org.vipgate.federation.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.federation.management.ManagementClient;
import org.vipgate.federation.management.ManagementEndpoint;
import org.vipgate.federation.management.ManagementException;
import org.vipgate.federation.remote.CertificateOutcome;
import org.vipgate.testkit.RabbitBroker;
import org.vipgate.testkit.RabbitBrokerExtension;

/**
 * Federation and shovel apply/status/remove against a real broker with the federation and shovel plugins. The
 * certificate paths are fake, so links do not come up; the parameters, policy, queue and bindings are what is
 * checked.
 */
@ExtendWith(RabbitBrokerExtension.class)
class LinkApplyTest {

    private final ManagementClient client;
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final String vhost = "vipgate-links-" + id;
    private final String instance = "t" + id;
    private LocalBroker local;

    @TempDir
    Path dir;

    private final RabbitBroker broker;

    LinkApplyTest(RabbitBroker broker) {
        this.broker = broker;
        this.client = new ManagementClient(ManagementEndpoint.http(broker.host(), broker.managementPort(),
                broker.username(), broker.password()));
    }

    @BeforeEach
    void createVhost() throws ManagementException {
        client.createVhost(vhost);
        client.setPermissions(vhost, broker.username(), org.vipgate.federation.management.Permissions.ALL);
        local = new LocalBroker(instance, "localhost", 5671, vhost, dir.resolve("ca.crt"));
    }

    @AfterEach
    void cleanUp() throws ManagementException {
        client.deleteVhost(vhost);
        for (String u : List.of(instance + ".platform.driver", instance + ".scheduler", instance + ".shovelv2")) {
            client.deleteUser(u);
        }
    }

    private Path federationFile() throws Exception {
        Path f = dir.resolve("rabbitmq_federation_config.yml");
        Files.writeString(f, "federation-upstream:\n  v2.example:\n    port: 5671\n    virtual-host: volttron\n"
                + "    federation-user: " + instance + ".federation\n    certificates:\n      remote_ca: /f/ca.crt\n"
                + "      public_cert: /f/c.crt\n      private_key: /f/k.pem\n");
        return f;
    }

    private FederationApplier federation() {
        return new FederationApplier(client, local, (w, cn, k) -> new CertificateOutcome.Pending(cn, w.toString()),
                w -> "v2");
    }

    private static List<String> words(ApplyReport report) {
        return report.outcomes().stream().map(o -> o.word() + " " + o.object()).toList();
    }

    @Test
    void federationApplyConvergesAndRemoves() throws Exception {
        FederationConfig config = FederationConfig.load(federationFile());
        FederationApplier applier = federation();

        assertThat(words(applier.apply(config))).containsExactly(
                "created parameter federation-upstream/upstream-v2.example-volttron",
                "created policy volttron-federation");
        assertThat(client.parameter("federation-upstream", vhost, "upstream-v2.example-volttron").orElseThrow()
                .value().path("uri").asText()).isEqualTo("amqps://v2.example:5671/volttron?cacertfile=/f/ca.crt"
                + "&certfile=/f/c.crt&keyfile=/f/k.pem&verify=verify_peer&fail_if_no_peer_cert=true"
                + "&auth_mechanism=external&server_name_indication=v2.example");
        assertThat(client.policy(vhost, "volttron-federation")).contains(FederationApplier.policy());

        assertThat(words(applier.apply(config))).containsExactly(
                "unchanged parameter federation-upstream/upstream-v2.example-volttron",
                "unchanged policy volttron-federation");

        client.deletePolicy(vhost, "volttron-federation");
        assertThat(words(applier.apply(config))).contains("created policy volttron-federation");

        List<LinkStatus> status = applier.status(config);
        assertThat(status).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("upstream-v2.example-volttron");
            assertThat(s.state()).isNotBlank().isNotEqualTo(LinkStatus.RUNNING);
        });

        assertThat(words(applier.remove(config, false))).containsExactly(
                "deleted parameter federation-upstream/upstream-v2.example-volttron",
                "deleted policy volttron-federation");
        assertThat(client.parameters("federation-upstream", vhost)).isEmpty();
        assertThat(client.policy(vhost, "volttron-federation")).isEmpty();
        assertThat(applier.status(config)).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(LinkStatus.MISSING));
    }

    @Test
    void theReconcilerRestoresWhatWasDeletedByHandAndSurvivesABadFile() throws Exception {
        Path file = federationFile();
        try (LinkReconciler reconciler = new LinkReconciler(file, dir.resolve("no-shovel-file.yml"), federation(),
                shovel(), Duration.ofMillis(200))) {
            reconciler.start();
            Awaitility.await("the policy applied").atMost(Duration.ofSeconds(20))
                    .until(() -> client.policy(vhost, "volttron-federation").isPresent());

            client.deletePolicy(vhost, "volttron-federation");
            Awaitility.await("the policy restored").atMost(Duration.ofSeconds(20))
                    .until(() -> client.policy(vhost, "volttron-federation").isPresent());

            String good = Files.readString(file);
            Files.writeString(file, "federation-upstream: [not, a, map\n");
            client.deletePolicy(vhost, "volttron-federation");
            Thread.sleep(1_000); // several passes over the broken file: logged, nothing applied, nothing thrown
            assertThat(client.policy(vhost, "volttron-federation")).isEmpty();

            Files.writeString(file, good);
            Awaitility.await("the policy restored once the file is fixed").atMost(Duration.ofSeconds(20))
                    .until(() -> client.policy(vhost, "volttron-federation").isPresent());
        }
    }

    @Test
    void aPendingCertificateIsReportedAndTheOthersGoOn() throws Exception {
        Path f = federationFile();
        Files.writeString(f, Files.readString(f) + "  v3.example:\n    port: 5671\n    virtual-host: volttron\n"
                + "    federation-user: " + instance + ".federation\n");
        ApplyReport report = federation().apply(FederationConfig.load(f));
        assertThat(report.anyPending()).isTrue();
        assertThat(report.anyFailed()).isFalse();
        assertThat(report.outcomes()).anySatisfy(o -> {
            assertThat(o).isInstanceOf(ObjectOutcome.Pending.class);
            assertThat(o.reason()).contains("v2." + instance + ".federation");
        });
        assertThat(client.parameter("federation-upstream", vhost, "upstream-v2.example-volttron")).isPresent();
        assertThat(client.parameter("federation-upstream", vhost, "upstream-v3.example-volttron")).isEmpty();
    }

    /** vip-rabbitmq.md §1.1: the instance's topic exchange, which the gateway declares in real life. */
    private void declareVolttronExchange() throws Exception {
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost(broker.host());
        factory.setPort(broker.amqpPort());
        factory.setUsername(broker.username());
        factory.setPassword(broker.password());
        factory.setVirtualHost(vhost);
        try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
            channel.exchangeDeclare("volttron", "topic", true);
        }
    }

    private ShovelApplier shovel() {
        return new ShovelApplier(client, local, name -> new LocalCertificates.Files(dir.resolve(name + ".crt"),
                dir.resolve(name + ".pem")), (w, cn, k) -> new CertificateOutcome.Pending(cn, w.toString()),
                w -> "v2");
    }

    private Path shovelFile(boolean queueShovel) throws Exception {
        Path f = dir.resolve("rabbitmq_shovel_config.yml");
        Files.writeString(f, "shovel:\n  v2.example:\n    port: 5671\n    virtual-host: volttron\n"
                + "    shovel-user: " + instance + ".shovelv2\n    queue-shovel: " + queueShovel + "\n"
                + "    certificates:\n      remote_ca: /s/ca.crt\n      public_cert: /s/c.crt\n"
                + "      private_cert: /s/k.pem\n    pubsub:\n      platform.driver: [devices]\n"
                + "    rpc:\n      v2:\n        - [scheduler, platform.actuator]\n");
        return f;
    }

    @Test
    void exchangeShovelsConvergeAndRemove() throws Exception {
        ShovelConfig config = ShovelConfig.load(shovelFile(false));
        ShovelApplier applier = shovel();
        assertThat(words(applier.apply(config))).contains("created parameter shovel/shovel-v2.example-devices",
                "created parameter shovel/shovel-v2.example-scheduler", "created user " + instance + ".scheduler");
        var devices = client.parameter("shovel", vhost, "shovel-v2.example-devices").orElseThrow().value();
        assertThat(devices.path("src-exchange-key").asText()).isEqualTo("__pubsub__." + instance + ".devices.#");
        assertThat(devices.path("src-uri").asText()).isEqualTo("amqps://localhost:5671/" + vhost + "?cacertfile="
                + dir.resolve("ca.crt") + "&certfile=" + dir.resolve(instance + ".platform.driver.crt") + "&keyfile="
                + dir.resolve(instance + ".platform.driver.pem") + "&verify=verify_peer&fail_if_no_peer_cert=true"
                + "&auth_mechanism=external&server_name_indication=localhost");
        assertThat(devices.path("dest-uri").asText()).startsWith("amqps://v2.example:5671/volttron?cacertfile=/s/ca.crt");
        assertThat(client.parameter("shovel", vhost, "shovel-v2.example-scheduler").orElseThrow().value()
                .path("src-exchange-key").asText()).isEqualTo("v2.platform.actuator.#");

        assertThat(applier.apply(config).outcomes()).allSatisfy(o ->
                assertThat(o).isInstanceOf(ObjectOutcome.Unchanged.class));

        client.deleteParameter("shovel", vhost, "shovel-v2.example-devices");
        assertThat(words(applier.apply(config))).contains("created parameter shovel/shovel-v2.example-devices");

        assertThat(applier.status(config)).extracting(LinkStatus::name)
                .contains("shovel-v2.example-devices", "shovel-v2.example-scheduler");

        applier.remove(config, false);
        assertThat(client.parameters("shovel", vhost)).isEmpty();
    }

    @Test
    void queueShovelKeepsADurableBoundQueue() throws Exception {
        declareVolttronExchange();
        ShovelConfig config = ShovelConfig.load(shovelFile(true));
        ShovelApplier applier = shovel();
        ApplyReport first = applier.apply(config);
        assertThat(first.anyFailed()).as(first.toString()).isFalse();
        assertThat(client.queue(vhost, "vipgate.shovel.v2.example")).hasValueSatisfying(q ->
                assertThat(q.durable()).isTrue());
        assertThat(client.bindingKeys(vhost, "volttron", "vipgate.shovel.v2.example"))
                .containsExactlyInAnyOrder("__pubsub__." + instance + ".devices.#", "v2.platform.actuator.#");
        var value = client.parameter("shovel", vhost, "vipgate-shovel-v2.example").orElseThrow().value();
        assertThat(value.path("src-queue").asText()).isEqualTo("vipgate.shovel.v2.example");
        assertThat(value.path("ack-mode").asText()).isEqualTo("on-confirm");
        assertThat(client.parameter("shovel", vhost, "shovel-v2.example-devices")).isEmpty();

        assertThat(applier.apply(config).outcomes()).allSatisfy(o ->
                assertThat(o).isInstanceOf(ObjectOutcome.Unchanged.class));
        assertThat(applier.status(config)).extracting(LinkStatus::name).contains("vipgate-shovel-v2.example");

        assertThat(words(applier.remove(config, false))).contains("deleted parameter shovel/vipgate-shovel-v2.example",
                "deleted queue vipgate.shovel.v2.example");
        assertThat(client.queue(vhost, "vipgate.shovel.v2.example")).isEmpty();
    }
}
