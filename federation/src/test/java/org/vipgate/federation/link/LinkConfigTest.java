package org.vipgate.federation.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.federation.management.ManagementClient;

/** VOLTTRON's example files parsed, the §5.3 URI and the §5.4/§6.2 request bodies, exactly. */
class LinkConfigTest {

    /** VOLTTRON's examples/configurations/rabbitmq/rabbitmq_federation_config.yml, after a CSR. */
    static final String FEDERATION_WITH_CERTS = """
            # Mandatory parameters for federation setup
            federation-upstream:
              volttron4:
                port: '5671'
                virtual-host: volttron
                https-port: 8443
                federation-user: volttron4.federation
                certificates:
                  csr: true
                  private_key: "/home/v/.volttron/certificates/private/volttron1.federation.pem"
                  public_cert: "/home/v/.volttron/certificates/federation/volttron4.volttron1.federation.crt"
                  remote_ca: "/home/v/.volttron/certificates/federation/volttron4_ca.crt"
              volttron5:
                port: 5671
                virtual-host: volttron
                federation-user: volttron1.federation
                max-hops: 2
                ack-mode: on-confirm
            """;

    static final String SHOVEL = """
            shovel:
              # hostname of remote machine
              rabbit-2:
                port: 5671
                https-port: 8443
                certificates:
                  private_cert: "path to private cert" # For example, /home/volttron/vhome/rmq_instance1/certificates/private/volttron1.shovelvolttron2.pem
                  public_cert: "path to public cert" # For example, /home/volttron/vhome/rmq_instance1/certificates/shovels/volttron2.volttron1.shovelvolttron2.crt
                  remote_ca: "path to CA cert" # For example, /home/volttron/vhome/rmq_instance1/certificates/shovels/volttron2_ca.crt
                virtual-host: volttron
                shovel-user: volttron1.shovelvolttron2
                pubsub:
                  # Identity of agent that is publishing the topic
                  platform.driver:
                    - devices
                    - record
                  listener: heartbeat
                rpc:
                  # Remote instance name
                  volttron2:
                    # List of pair of agent identities (local caller, remote callee)
                    - [scheduler, platform.actuator]
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsVolttronsFederationFileWithAndWithoutCertificates() throws Exception {
        FederationConfig config = FederationConfig.load(write("f.yml", FEDERATION_WITH_CERTS));
        assertThat(config.upstreams()).hasSize(2);
        FederationUpstream v4 = config.upstreams().get(0);
        assertThat(v4.host()).isEqualTo("volttron4");
        assertThat(v4.port()).isEqualTo(5671);
        assertThat(v4.virtualHost()).isEqualTo("volttron");
        assertThat(v4.httpsPort()).isEqualTo(8443);
        assertThat(v4.federationUser()).isEqualTo("volttron4.federation");
        assertThat(v4.parameterName()).isEqualTo("upstream-volttron4-volttron");
        assertThat(v4.certificates()).contains(new CertificateFiles(
                Path.of("/home/v/.volttron/certificates/federation/volttron4_ca.crt"),
                Path.of("/home/v/.volttron/certificates/federation/volttron4.volttron1.federation.crt"),
                Path.of("/home/v/.volttron/certificates/private/volttron1.federation.pem")));
        assertThat(v4.tuning()).isEqualTo(UpstreamTuning.NONE);

        FederationUpstream v5 = config.upstreams().get(1);
        assertThat(v5.certificates()).isEmpty();
        assertThat(v5.httpsPort()).isEqualTo(FederationUpstream.DEFAULT_HTTPS_PORT);
        assertThat(v5.tuning().maxHops()).contains(2);
        assertThat(v5.tuning().ackMode()).contains("on-confirm");
    }

    @Test
    void aBadFederationFileNamesFileAndKey() throws Exception {
        Path f = write("bad.yml", "federation-upstream:\n  v2:\n    port: abc\n    virtual-host: volttron\n");
        assertThatThrownBy(() -> FederationConfig.load(f)).isInstanceOf(LinkConfigException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("federation-upstream.v2.port")
                .hasMessageContaining("got 'abc'");
        Path g = write("nouser.yml", "federation-upstream:\n  v2:\n    port: 5671\n    virtual-host: volttron\n");
        assertThatThrownBy(() -> FederationConfig.load(g)).hasMessageContaining("federation-upstream.v2.federation-user")
                .hasMessageContaining("missing");
        Path h = write("nokey.yml", "something: else\n");
        assertThatThrownBy(() -> FederationConfig.load(h)).hasMessageContaining("key 'federation-upstream'");
        assertThatThrownBy(() -> FederationConfig.load(dir.resolve("absent.yml"))).hasMessageContaining("missing file");
    }

    @Test
    void readsVolttronsShovelFileWithPrivateCertSpelling() throws Exception {
        ShovelConfig config = ShovelConfig.load(write("s.yml", SHOVEL));
        ShovelRemote r = config.remotes().get(0);
        assertThat(r.host()).isEqualTo("rabbit-2");
        assertThat(r.shovelUser()).isEqualTo("volttron1.shovelvolttron2");
        assertThat(r.certificates()).contains(new CertificateFiles(Path.of("path to CA cert"),
                Path.of("path to public cert"), Path.of("path to private cert")));
        assertThat(r.pubsub()).containsExactly(new PubSubRoute("platform.driver", "devices"),
                new PubSubRoute("platform.driver", "record"), new PubSubRoute("listener", "heartbeat"));
        assertThat(r.rpc()).containsExactly(new RpcRoute("volttron2", "scheduler", "platform.actuator"));
        assertThat(r.queueShovel()).isFalse();
    }

    @Test
    void aBadRpcPairNamesTheKey() throws Exception {
        Path f = write("s.yml", "shovel:\n  h:\n    port: 5671\n    virtual-host: v\n    shovel-user: a.b\n"
                + "    rpc:\n      v2:\n        - [only-one]\n");
        assertThatThrownBy(() -> ShovelConfig.load(f)).hasMessageContaining("shovel.h.rpc.v2")
                .hasMessageContaining("pair");
    }

    @Test
    void upstreamUriIsExactlyVolttrons() {
        // vip-rabbitmq.md §5.3
        assertThat(AmqpsUri.of("v2.example.com", 5671, "volttron", Path.of("/h/ca.crt"), Path.of("/h/c.crt"),
                Path.of("/h/k.pem"))).isEqualTo("amqps://v2.example.com:5671/volttron?cacertfile=/h/ca.crt"
                + "&certfile=/h/c.crt&keyfile=/h/k.pem&verify=verify_peer&fail_if_no_peer_cert=true"
                + "&auth_mechanism=external&server_name_indication=v2.example.com");
    }

    @Test
    void federationBodiesAreExactlyVolttrons() throws Exception {
        ObjectMapper json = new ObjectMapper();
        FederationUpstream up = new FederationUpstream("v2", 5671, "volttron", 8443, "v1.federation",
                Optional.empty(), Optional.empty(), UpstreamTuning.NONE);
        CertificateFiles files = new CertificateFiles(Path.of("/ca"), Path.of("/c"), Path.of("/k"));
        // vip-rabbitmq.md §5.4 step 2
        assertThat(json.writeValueAsString(ManagementClient.parameterBody("federation-upstream", "volttron",
                up.parameterName(), FederationApplier.upstreamValue(up, files)))).isEqualTo(
                "{\"vhost\":\"volttron\",\"component\":\"federation-upstream\",\"name\":\"upstream-v2-volttron\","
                        + "\"value\":{\"uri\":\"amqps://v2:5671/volttron?cacertfile=/ca&certfile=/c&keyfile=/k"
                        + "&verify=verify_peer&fail_if_no_peer_cert=true&auth_mechanism=external"
                        + "&server_name_indication=v2\"}}");
        // vip-rabbitmq.md §5.4 step 3
        assertThat(json.writeValueAsString(ManagementClient.policyBody(FederationApplier.policy()))).isEqualTo(
                "{\"pattern\":\"^volttron\",\"definition\":{\"federation-upstream-set\":\"all\"},\"priority\":0,"
                        + "\"apply-to\":\"exchanges\"}");
    }

    @Test
    void shovelBodiesAreExactlyVolttrons() throws Exception {
        ObjectMapper json = new ObjectMapper();
        // vip-rabbitmq.md §6.2
        assertThat(json.writeValueAsString(ManagementClient.parameterBody("shovel", "volttron", "shovel-h-devices",
                ShovelApplier.exchangeShovelValue("amqps://src", "__pubsub__.v1.devices.#", "amqps://dest"))))
                .isEqualTo("{\"vhost\":\"volttron\",\"component\":\"shovel\",\"name\":\"shovel-h-devices\","
                        + "\"value\":{\"src-uri\":\"amqps://src\",\"src-exchange\":\"volttron\","
                        + "\"src-exchange-key\":\"__pubsub__.v1.devices.#\",\"dest-uri\":\"amqps://dest\","
                        + "\"dest-exchange\":\"volttron\"}}");
        assertThat(json.writeValueAsString(ShovelApplier.queueShovelValue("amqps://src", "vipgate.shovel.h",
                "amqps://dest"))).isEqualTo("{\"src-uri\":\"amqps://src\",\"src-queue\":\"vipgate.shovel.h\","
                + "\"dest-uri\":\"amqps://dest\",\"dest-exchange\":\"volttron\",\"ack-mode\":\"on-confirm\"}");
    }

    @Test
    void exchangeShovelNamesAndKeysFollowVolttron() throws Exception {
        ShovelRemote r = ShovelConfig.load(write("s.yml", SHOVEL)).remotes().get(0);
        ShovelApplier applier = new ShovelApplier(dummyClient(),
                new LocalBroker("volttron1", "localhost", 5671, "volttron", Path.of("/ca")), n -> null,
                (w, c, k) -> null, w -> "x");
        assertThat(applier.exchangeShovels(r)).containsExactly(
                new ShovelApplier.Planned("shovel-rabbit-2-devices", "volttron1.platform.driver",
                        "__pubsub__.volttron1.devices.#"),
                new ShovelApplier.Planned("shovel-rabbit-2-record", "volttron1.platform.driver",
                        "__pubsub__.volttron1.record.#"),
                new ShovelApplier.Planned("shovel-rabbit-2-heartbeat", "volttron1.listener",
                        "__pubsub__.volttron1.heartbeat.#"),
                new ShovelApplier.Planned("shovel-rabbit-2-scheduler", "volttron1.scheduler",
                        "volttron2.platform.actuator.#"));
        assertThat(List.of(ShovelApplier.queueName(r), ShovelApplier.queueShovelName(r)))
                .containsExactly("vipgate.shovel.rabbit-2", "vipgate-shovel-rabbit-2");
    }

    @Test
    void issuedCertificatesAreWrittenBackKeepingTheRest() throws Exception {
        Path f = write("f.yml", FEDERATION_WITH_CERTS);
        CertificateFiles files = new CertificateFiles(Path.of("/x/ca"), Path.of("/x/c"), Path.of("/x/k"));
        CertificateStep.setCertificates(f, FederationConfig.ROOT_KEY, "volttron5", Optional.of(files));
        FederationConfig again = FederationConfig.load(f);
        assertThat(again.upstream("volttron5").orElseThrow().certificates()).contains(files);
        assertThat(again.upstream("volttron5").orElseThrow().tuning().maxHops()).contains(2);
        assertThat(again.upstream("volttron4").orElseThrow().certificates()).isPresent();
    }

    private static ManagementClient dummyClient() {
        return new ManagementClient(org.vipgate.federation.management.ManagementEndpoint.http("localhost", 1, "u",
                "p"));
    }
}
