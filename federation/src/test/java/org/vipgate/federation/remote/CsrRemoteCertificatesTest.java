package org.vipgate.federation.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.certs.CertificateAuthority;
import org.vipgate.testkit.FreePorts;

/**
 * certs-csr-discovery.md §1.6, §2.1, §3.1 against the real remote side (CA, CSR store, HTTPS web service) of
 * instance v2, from local instance v1, over sockets on 127.0.0.1.
 */
class CsrRemoteCertificatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RMQ = "amqps://localhost:5671/volttron";
    private static final String CN = "v2.v1.forwarder";
    private static final String KEY = "v1.forwarder";

    @TempDir
    Path dir;
    private RemotePlatform v2;
    private CertificateAuthority v1;
    private Path store;
    private CsrRemoteCertificates certificates;

    @BeforeEach
    void start() throws Exception {
        v2 = RemotePlatform.start(dir.resolve("v2"), "v2", RMQ);
        v1 = RemotePlatform.newCa(dir.resolve("v1"), "v1");
        store = dir.resolve("v1/agent-data");
        certificates = new CsrRemoteCertificates(v1, store);
    }

    @AfterEach
    void stop() {
        v2.close();
    }

    @Test
    void discoveryParsesTheAnswerAndPinsTheRemoteCa() throws Exception {
        DiscoveryClient client = new DiscoveryClient(store);
        RemoteDiscovery d = client.discover(v2.web);
        assertThat(d.instanceName()).isEqualTo("v2");
        assertThat(d.rmqAddress()).isEqualTo(URI.create(RMQ));
        assertThat(d.rmqCaPem()).isEqualTo(v2.ca.certificatePem());
        assertThat(d.vipAddress()).isNull();
        assertThat(d.serverKey()).isNull();
        Path pinned = store.resolve("v2_ca.crt");
        assertThat(pinned).hasContent(v2.ca.certificatePem().strip());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pinned))).isEqualTo("rw-r--r--");
        // Again: now verified against the pin.
        assertThat(client.discover(v2.web).instanceName()).isEqualTo("v2");
    }

    @Test
    void pendingUntilApprovedThenTheFilesAreStoredAsVolttronNamesThem() throws Exception {
        assertThat(certificates.obtain(v2.web, CN, KEY))
                .isEqualTo(new CertificateOutcome.Pending(CN, v2.web.toString()));
        assertThat(v2.csrPosts()).isEqualTo(1);
        assertThat(v1.layout().privateKey(KEY)).as("the local key is made when missing").exists();

        v2.store.approve(CN);
        CertificateOutcome outcome = certificates.obtain(v2.web, CN, KEY);

        assertThat(outcome).isInstanceOf(CertificateOutcome.Issued.class);
        RemoteCertificate issued = ((CertificateOutcome.Issued) outcome).certificate();
        assertThat(issued).isEqualTo(new RemoteCertificate("v2", CN, store.resolve(CN + ".crt"),
                store.resolve("v2_ca.crt"), v1.layout().privateKey(KEY), URI.create(RMQ)));
        JsonNode metadata = JSON.readTree(store.resolve(CN + ".json").toFile());
        assertThat(metadata.path("remote_ca_name").asText()).isEqualTo("v2_ca");
        assertThat(metadata.path("local_keyname").asText()).isEqualTo(KEY);
        String bundle = Files.readString(store.resolve("requests_ca_bundle"));
        assertThat(bundle).contains(v1.certificatePem().strip()).contains(v2.ca.certificatePem().strip());
        for (String name : new String[]{CN + ".crt", "v2_ca.crt", CN + ".json", "requests_ca_bundle"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.resolve(name))))
                    .as(name).isEqualTo("rw-r--r--");
        }
        assertThat(run("openssl", "verify", "-CAfile", store.resolve("v2_ca.crt").toString(),
                store.resolve(CN + ".crt").toString())).contains(": OK");
        assertThat(v2.csrPosts()).isEqualTo(2);

        assertThat(certificates.obtain(v2.web, CN, KEY)).as("reused").isEqualTo(outcome);
        assertThat(v2.csrPosts()).as("no POST for a stored, valid certificate").isEqualTo(2);
    }

    @Test
    void deniedIsReportedAndTheStoredCertificateDeleted() throws Exception {
        assertThat(certificates.obtain(v2.web, CN, KEY)).isInstanceOf(CertificateOutcome.Pending.class);
        v2.store.approve(CN);
        assertThat(certificates.obtain(v2.web, CN, KEY)).isInstanceOf(CertificateOutcome.Issued.class);
        v2.store.deny(CN);
        Files.delete(store.resolve(CN + ".crt")); // as RemotePlatformConnector does when the broker refuses it

        assertThat(certificates.obtain(v2.web, CN, KEY))
                .isEqualTo(new CertificateOutcome.Denied(CN, v2.web.toString()));
        assertThat(store.resolve(CN + ".crt")).doesNotExist();
    }

    @Test
    void aCommonNameWithoutTheRemoteInstancePrefixFailsWithoutAPost() {
        CertificateOutcome outcome = certificates.obtain(v2.web, "v9.v1.forwarder", KEY);
        assertThat(outcome).isInstanceOfSatisfying(CertificateOutcome.Failed.class, f -> assertThat(f.reason())
                .contains("'v9.v1.forwarder' does not start with 'v2.'").contains(v2.web.toString()));
        assertThat(v2.csrPosts()).isZero();
    }

    @Test
    void aChangedRemoteCaAfterPinningIsRefusedWithTheFileToDelete() throws Exception {
        new DiscoveryClient(store).discover(v2.web);
        CertificateAuthority impostor = RemotePlatform.newCa(dir.resolve("impostor"), "v2");
        v2.advertise(RMQ, impostor.certificatePem());

        Path pinned = store.resolve("v2_ca.crt");
        assertThatThrownBy(() -> new DiscoveryClient(store).discover(v2.web))
                .isInstanceOfSatisfying(DiscoveryException.PinMismatch.class, e -> {
                    assertThat(e.pinnedFile()).isEqualTo(pinned);
                    assertThat(e.address()).isEqualTo(v2.web);
                })
                .hasMessageContaining("delete " + pinned);
        assertThat(certificates.obtain(v2.web, CN, KEY)).isInstanceOfSatisfying(CertificateOutcome.Failed.class,
                f -> assertThat(f.reason()).contains("delete " + pinned));
        assertThat(v2.csrPosts()).isZero();
        assertThat(pinned).hasContent(v2.ca.certificatePem().strip());
    }

    @Test
    void aFirstContactWhoseHttpsCertificateIsNotFromTheAdvertisedCaIsNotPinned() throws Exception {
        CertificateAuthority other = RemotePlatform.newCa(dir.resolve("other"), "v2");
        v2.advertise(RMQ, other.certificatePem());
        assertThatThrownBy(() -> new DiscoveryClient(store).discover(v2.web))
                .isInstanceOf(DiscoveryException.UntrustedServer.class)
                .hasMessageContaining(v2.web.toString());
        assertThat(store.resolve("v2_ca.crt")).doesNotExist();
    }

    @Test
    void anUnreachableAddressFailsNamingIt() throws Exception {
        URI nowhere = URI.create("https://127.0.0.1:" + FreePorts.next());
        assertThatThrownBy(() -> new DiscoveryClient(store).discover(nowhere))
                .isInstanceOf(DiscoveryException.Unreachable.class)
                .hasMessageContaining(nowhere + "/discovery/");
        assertThat(certificates.obtain(nowhere, CN, KEY)).isInstanceOfSatisfying(CertificateOutcome.Failed.class,
                f -> assertThat(f.reason()).contains(nowhere.toString()));
    }

    @Test
    void anAddressWithAPathOrPlainHttpIsRefused() {
        assertThatThrownBy(() -> new DiscoveryClient(store).discover(URI.create("https://127.0.0.1:1/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no path");
        assertThat(certificates.obtain(URI.create("http://127.0.0.1:1"), CN, KEY))
                .isInstanceOf(CertificateOutcome.Failed.class);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
