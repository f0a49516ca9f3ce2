package org.vipgate.certs.csr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.certs.CertificateAuthority;
import org.vipgate.certs.CertificateLayout;
import org.vipgate.certs.CertificateLifetimes;
import org.vipgate.certs.CsrFixtures;
import org.vipgate.certs.OpenSsl;
import org.vipgate.certs.PemFiles;
import org.vipgate.certs.PemTls;
import org.vipgate.certs.SubjectData;

/** The CSR flow of certs-csr-discovery.md §2.2 and §2.3 on real files, with CSRs made by openssl. */
class CsrStoreTest {

    static final String SUBJECT = "/C=US/ST=WA/L=Seattle/O=Other/OU=Lab/CN=v1.v2.agent";
    static final String CN = "v1.v2.agent";

    @TempDir
    Path home;

    CertificateLayout layout;
    CertificateAuthority ca;
    CsrStore store;
    List<CsrApproved> events = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        layout = CertificateLayout.ofVolttronHome(home);
        ca = CertificateAuthority.createOrLoad(layout, "v1", new SubjectData("US", "WA", "Richland", "PNNL", "VT",
                null), CertificateLifetimes.defaults());
        store = new CsrStore(ca);
        store.addApprovalListener(events::add);
    }

    @Test
    void pendingThenApprovedWithSubjectOfTheCsr() throws Exception {
        String csr = CsrFixtures.opensslCsr(home, SUBJECT);
        assertThat(store.requestNew(csr, "10.0.0.7")).isEqualTo(new CsrReply.Pending());

        assertThat(layout.pendingCsr(CN)).hasContent(csr);
        JsonNode meta = new ObjectMapper().readTree(layout.pendingCsrMetadata(CN).toFile());
        assertThat(meta.get("remote_ip_address").asText()).isEqualTo("10.0.0.7");
        assertThat(meta.get("identity").asText()).isEqualTo(CN);
        assertThat(meta.get("csr").asText()).isEqualTo(csr);
        assertThat(meta.get("status").asText()).isEqualTo("PENDING");
        assertThat(meta.get("requested_at").asText()).isNotBlank();
        assertThat(store.list()).singleElement().satisfies(r -> {
            assertThat(r.commonName()).isEqualTo(CN);
            assertThat(r.remoteAddress()).isEqualTo("10.0.0.7");
            assertThat(r.status()).isEqualTo(CsrStatus.PENDING);
        });
        assertThat(store.certificate(CN)).isEmpty();

        CsrRecord approved = store.approve(CN);
        assertThat(approved.status()).isEqualTo(CsrStatus.APPROVED);
        String pem = store.certificate(CN).orElseThrow();
        X509Certificate cert = PemTls.readCertificates(layout.remoteCertificate(CN)).get(0);
        assertThat(new JcaX509CertificateHolder(cert).getSubject())
                .isEqualTo(PemFiles.parseCsr(csr).getSubject());
        assertThat(OpenSsl.run("verify", "-CAfile", ca.trustedCasFile().toString(),
                layout.remoteCertificate(CN).toString()).exitCode()).isZero();
        assertThat(store.requestNew(csr, "10.0.0.7")).isEqualTo(new CsrReply.Approved(pem));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.commonName()).isEqualTo(CN);
            assertThat(e.certificate()).isEqualTo(cert);
        });
        store.approve(CN); // already approved: nothing new
        assertThat(events).hasSize(1);
    }

    @Test
    void denyThenApproveAgain() throws Exception {
        String csr = CsrFixtures.opensslCsr(home, SUBJECT);
        store.requestNew(csr, "10.0.0.7");
        store.approve(CN);
        assertThat(store.deny(CN).status()).isEqualTo(CsrStatus.DENIED);
        assertThat(layout.remoteCertificate(CN)).doesNotExist();
        assertThat(layout.pendingCsr(CN)).exists();
        assertThat(store.requestNew(csr, "10.0.0.7")).isEqualTo(new CsrReply.Denied());
        assertThat(store.certificate(CN)).isEmpty();

        assertThat(store.approve(CN).status()).isEqualTo(CsrStatus.APPROVED);
        assertThat(store.requestNew(csr, "10.0.0.7")).isInstanceOf(CsrReply.Approved.class);
        assertThat(events).hasSize(2);
    }

    @Test
    void deleteAllowsResubmission() throws Exception {
        String csr = CsrFixtures.opensslCsr(home, SUBJECT);
        store.requestNew(csr, "10.0.0.7");
        store.approve(CN);
        store.delete(CN);
        assertThat(layout.remoteCertificate(CN)).doesNotExist();
        assertThat(layout.pendingCsr(CN)).doesNotExist();
        assertThat(layout.pendingCsrMetadata(CN)).doesNotExist();
        assertThat(store.list()).isEmpty();

        String newCsr = CsrFixtures.opensslCsr(home, SUBJECT);
        assertThat(store.requestNew(newCsr, "10.0.0.8")).isEqualTo(new CsrReply.Pending());
        assertThat(layout.pendingCsr(CN)).hasContent(newCsr);
    }

    @Test
    void existingCnKeepsItsStoredCsr() throws Exception {
        String first = CsrFixtures.opensslCsr(home, SUBJECT);
        String second = CsrFixtures.opensslCsr(home, SUBJECT);
        store.requestNew(first, "10.0.0.7");
        assertThat(store.requestNew(second, "10.0.0.9")).isEqualTo(new CsrReply.Pending());
        assertThat(layout.pendingCsr(CN)).hasContent(first);
        assertThat(store.list()).singleElement().extracting(CsrRecord::remoteAddress).isEqualTo("10.0.0.7");
    }

    @Test
    void wrongPrefixIsAnErrorAndNothingIsStored() throws Exception {
        String csr = CsrFixtures.opensslCsr(home, "/C=US/O=Other/CN=v9.v2.agent");
        assertThat(store.requestNew(csr, "10.0.0.7"))
                .isEqualTo(new CsrReply.Error("CSR must start with instance name: v1"));
        String noDot = CsrFixtures.opensslCsr(home, "/C=US/O=Other/CN=v1x.agent");
        assertThat(store.requestNew(noDot, "10.0.0.7")).isInstanceOf(CsrReply.Error.class);
        assertNothingStored();
    }

    @Test
    void notPemIsAnError() throws Exception {
        assertThat(store.requestNew("this is not a CSR", "10.0.0.7")).isInstanceOfSatisfying(CsrReply.Error.class,
                e -> assertThat(e.message()).contains("not PEM"));
        assertThat(store.requestNew("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
                "10.0.0.7")).isInstanceOf(CsrReply.Error.class);
        assertThat(store.requestNew(ca.certificatePem(), "10.0.0.7")).isInstanceOfSatisfying(CsrReply.Error.class,
                e -> assertThat(e.message()).contains("not a certificate request"));
        assertNothingStored();
    }

    @Test
    void brokenSignatureIsAnError() throws Exception {
        String csr = CsrFixtures.brokenSignature(CsrFixtures.opensslCsr(home, SUBJECT));
        assertThat(store.requestNew(csr, "10.0.0.7")).isInstanceOfSatisfying(CsrReply.Error.class,
                e -> assertThat(e.message()).contains("signature"));
        assertNothingStored();
    }

    @Test
    void unsafeCommonNamesAreErrors() throws Exception {
        for (String cn : List.of("v1.../../../etc/x", "v1.a\\b")) {
            String csr = CsrFixtures.opensslCsr(home, "/O=Other/CN=" + cn.replace("\\", "\\\\").replace("/", "\\/"));
            assertThat(store.requestNew(csr, "10.0.0.7")).as(cn).isInstanceOf(CsrReply.Error.class);
        }
        // openssl refuses a CN over 64 characters; VOLTTRON's Python client does not
        String longCsr = ca.createCsr(ca.issueClient("v1.local").name(), "v1." + "a".repeat(200));
        assertThat(store.requestNew(longCsr, "10.0.0.7")).isInstanceOfSatisfying(CsrReply.Error.class,
                e -> assertThat(e.message()).contains("200"));
        assertThat(CsrStore.unsafeNameReason("v1.a\u0001b")).contains("control");
        assertThat(CsrStore.unsafeNameReason("v1.ok.agent")).isNull();
        assertNothingStored();
    }

    @Test
    void oversizedCsrIsAnError() throws Exception {
        String big = "-----BEGIN CERTIFICATE REQUEST-----\n" + "A".repeat(17 * 1024) + "\n-----END CERTIFICATE REQUEST-----\n";
        assertThat(store.requestNew(big, "10.0.0.7")).isInstanceOfSatisfying(CsrReply.Error.class,
                e -> assertThat(e.message()).contains("16 KiB"));
        assertNothingStored();
    }

    @Test
    void tooManyPendingIsAnError() throws Exception {
        CsrStore small = new CsrStore(ca, false, 1);
        assertThat(small.requestNew(CsrFixtures.opensslCsr(home, "/CN=v1.a.one"), "10.0.0.1"))
                .isEqualTo(new CsrReply.Pending());
        assertThat(small.requestNew(CsrFixtures.opensslCsr(home, "/CN=v1.a.two"), "10.0.0.1"))
                .isEqualTo(new CsrReply.Error(CsrStore.TOO_MANY_PENDING));
        assertThat(layout.pendingCsrMetadata("v1.a.two")).doesNotExist();
    }

    @Test
    void autoAllowSignsAtOnceEvenDenied() throws Exception {
        String csr = CsrFixtures.opensslCsr(home, SUBJECT);
        store.requestNew(csr, "10.0.0.7");
        store.deny(CN);
        store.setAutoAllow(true);
        CsrReply reply = store.requestNew(csr, "10.0.0.7");
        assertThat(reply).isInstanceOf(CsrReply.Successful.class);
        assertThat(store.find(CN).orElseThrow().status()).isEqualTo(CsrStatus.APPROVED);

        CsrStore auto = new CsrStore(ca, true);
        List<String> seen = new ArrayList<>();
        auto.addApprovalListener(e -> {
            throw new IllegalStateException("listener failure must not escape");
        });
        auto.addApprovalListener(e -> seen.add(e.commonName()));
        CsrReply fresh = auto.requestNew(CsrFixtures.opensslCsr(home, "/C=US/CN=v1.v3.agent"), "10.0.0.8");
        assertThat(fresh).isInstanceOfSatisfying(CsrReply.Successful.class,
                s -> assertThat(s.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----"));
        assertThat(seen).containsExactly("v1.v3.agent");
        assertThat(layout.remoteCertificate("v1.v3.agent")).exists();
        assertThat(events).hasSize(1); // the first store's listener saw its own approval only
    }

    @Test
    void unknownCommonNameIsNamed() {
        assertThatThrownBy(() -> store.approve("v1.nobody")).isInstanceOf(CsrException.class)
                .hasMessageContaining("v1.nobody");
        assertThatThrownBy(() -> store.deny("v1.nobody")).isInstanceOf(CsrException.class)
                .hasMessageContaining("v1.nobody");
        assertThatThrownBy(() -> store.delete("../x")).isInstanceOf(CsrException.class)
                .hasMessageContaining("../x");
    }

    @Test
    void readsEntriesVolttronWrote() throws Exception {
        String csr = CsrFixtures.opensslCsr(home, SUBJECT);
        layout.ensureDirectories();
        Files.writeString(layout.pendingCsr(CN), csr);
        Files.writeString(layout.pendingCsrMetadata(CN), new ObjectMapper().writeValueAsString(java.util.Map.of(
                "remote_ip_address", "10.1.1.1", "identity", CN, "csr", csr, "status", "PENDING")));
        assertThat(store.list()).singleElement().extracting(CsrRecord::status).isEqualTo(CsrStatus.PENDING);
        store.approve(CN);
        assertThat(new ObjectMapper().readTree(layout.pendingCsrMetadata(CN).toFile()).get("remote_ip_address")
                .asText()).isEqualTo("10.1.1.1");
    }

    private void assertNothingStored() throws Exception {
        try (var files = Files.list(layout.pendingCsrDir())) {
            assertThat(files).isEmpty();
        }
        try (var files = Files.list(layout.remoteCertsDir())) {
            assertThat(files).isEmpty();
        }
    }
}
