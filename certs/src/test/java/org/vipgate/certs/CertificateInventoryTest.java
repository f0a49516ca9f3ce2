package org.vipgate.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.certs.CertificateInventory.Entry;
import org.vipgate.certs.CertificateInventory.Location;
import org.vipgate.certs.CertificateInventory.Renewal;

/** {@code vipgate certs list|renew}: what is listed, what is renewed, what is left alone. */
class CertificateInventoryTest {

    @TempDir
    Path home;

    @Test
    void listsAndRenewsWhatExpiresWithinThirtyDays() throws Exception {
        CertificateLayout layout = CertificateLayout.ofVolttronHome(home);
        SubjectData subject = new SubjectData("US", null, null, "PNNL", null, null);
        CertificateAuthority shortLived = CertificateAuthority.createOrLoad(layout, "v1", subject,
                new CertificateLifetimes(3650, 10));
        IssuedCertificate expiring = shortLived.issueClient("v1.agent");
        IssuedCertificate server = shortLived.issueServer("v1-server", List.of("localhost", "127.0.0.1"));
        CertificateAuthority ca = CertificateAuthority.load(layout, "v1", CertificateLifetimes.defaults());
        IssuedCertificate fresh = ca.issueClient("v1.fresh");
        X509Certificate remote = shortLived.signCsr(shortLived.createCsr("v1.fresh", "v1.v2.fresh"));
        PemFiles.writeCertificate(layout.remoteCertificate("v1.v2.fresh"), remote);
        Files.writeString(layout.certificate("junk"), "not a certificate");
        String keyBefore = Files.readString(expiring.privateKeyFile());

        CertificateInventory inventory = new CertificateInventory(layout);
        List<Entry> entries = inventory.list();
        assertThat(entries).extracting(Entry::name).containsExactly("v1-root-ca", "v1-server", "v1-trusted-cas",
                "v1.agent", "v1.fresh", "v1.v2.fresh");
        assertThat(entries).filteredOn(e -> e.name().equals("v1.agent")).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(CertificateKind.CLIENT);
            assertThat(e.commonName()).isEqualTo("v1.agent");
            assertThat(e.daysLeft()).isBetween(9L, 10L);
            assertThat(e.location()).isEqualTo(Location.LOCAL);
        });
        assertThat(entries).filteredOn(e -> e.name().equals("v1-server")).singleElement()
                .extracting(Entry::kind).isEqualTo(CertificateKind.SERVER);
        assertThat(entries).filteredOn(e -> e.name().equals("v1-root-ca")).singleElement()
                .extracting(Entry::kind).isEqualTo(CertificateKind.CA);
        assertThat(entries.get(5).location()).isEqualTo(Location.REMOTE);

        List<Renewal> outcomes = inventory.renewExpiring(ca, Duration.ofDays(30));
        assertThat(outcomes).extracting(r -> r.entry().name())
                .containsExactly("v1-server", "v1.agent", "v1.v2.fresh");
        assertThat(outcomes).allSatisfy(r -> assertThat(r).isInstanceOf(Renewal.Renewed.class));

        X509Certificate renewed = PemTls.readCertificates(expiring.certificateFile()).get(0);
        assertThat(renewed.getSubjectX500Principal()).isEqualTo(expiring.certificate().getSubjectX500Principal());
        assertThat(renewed.getPublicKey()).isEqualTo(expiring.certificate().getPublicKey());
        assertThat(renewed.getSerialNumber()).isGreaterThan(expiring.certificate().getSerialNumber());
        assertThat(Duration.between(renewed.getNotBefore().toInstant(), renewed.getNotAfter().toInstant()).toDays())
                .isEqualTo(365);
        assertThat(Files.readString(expiring.privateKeyFile())).isEqualTo(keyBefore);
        assertThat(PemTls.readCertificates(server.certificateFile()).get(0).getSubjectAlternativeNames()).hasSize(2);
        assertThat(OpenSsl.run("verify", "-CAfile", ca.trustedCasFile().toString(),
                expiring.certificateFile().toString()).exitCode()).isZero();
        assertThat(PemTls.readCertificates(fresh.certificateFile()).get(0)).isEqualTo(fresh.certificate());

        // Nothing left within 30 days; the CA is reported, never renewed.
        assertThat(inventory.renewExpiring(ca, Duration.ofDays(30))).isEmpty();
        assertThat(inventory.renewExpiring(ca, Duration.ofDays(4000)))
                .filteredOn(r -> r.entry().kind() == CertificateKind.CA)
                .hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(Renewal.Skipped.class,
                        s -> assertThat(s.reason()).contains("not renewed automatically")));
    }
}
