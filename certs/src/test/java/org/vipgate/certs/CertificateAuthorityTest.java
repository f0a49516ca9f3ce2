package org.vipgate.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The root CA and its certificates as certs-csr-discovery.md §1.1-§1.5 describe them, checked with BouncyCastle and OpenSSL. */
class CertificateAuthorityTest {

    static final SubjectData SUBJECT = new SubjectData("US", "WA", "Richland", "PNNL", "VOLTTRON", "v1-root-ca");

    @TempDir
    Path home;

    CertificateLayout layout;
    CertificateAuthority ca;

    @BeforeEach
    void createCa() throws Exception {
        layout = CertificateLayout.ofVolttronHome(home);
        ca = CertificateAuthority.createOrLoad(layout, "v1", SUBJECT, CertificateLifetimes.defaults());
    }

    @Test
    void rootCaHasVolttronsFieldsAndExtensions() throws Exception {
        X509Certificate cert = ca.certificate();
        X509CertificateHolder h = new JcaX509CertificateHolder(cert);
        assertThat(h.getSubject().toString()).isEqualTo("C=US,ST=WA,L=Richland,O=PNNL,OU=VOLTTRON,CN=v1-root-ca");
        assertThat(h.getIssuer()).isEqualTo(h.getSubject());
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(cert.getVersion()).isEqualTo(3);
        // §1.2: serial = epoch seconds
        assertThat(cert.getSerialNumber().longValue()).isCloseTo(Instant.now().getEpochSecond(),
                org.assertj.core.data.Offset.offset(60L));
        assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).toDays())
                .isEqualTo(3650);
        Extension bc = h.getExtension(Extension.basicConstraints);
        assertThat(bc.isCritical()).isTrue();
        assertThat(BasicConstraints.getInstance(bc.getParsedValue()).isCA()).isTrue();
        assertThat(cert.getBasicConstraints()).isEqualTo(1);
        assertThat(h.getExtension(Extension.keyUsage).isCritical()).isTrue();
        assertThat(cert.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
        assertThat(h.getExtension(Extension.subjectKeyIdentifier).isCritical()).isFalse();
        assertThat(h.getExtension(Extension.authorityKeyIdentifier)).isNull();
        assertThat(((java.security.interfaces.RSAPublicKey) cert.getPublicKey()).getModulus().bitLength())
                .isEqualTo(2048);

        assertThat(layout.certificate("v1-root-ca")).exists();
        assertThat(Files.readString(layout.certificate("v1-trusted-cas")))
                .isEqualTo(Files.readString(layout.certificate("v1-root-ca")));
        for (String sub : CertificateLayout.SUBDIRECTORIES) {
            assertThat(layout.root().resolve(sub)).isDirectory();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.certsDir())))
                .isEqualTo("rwxr-xr-x");
    }

    @Test
    void privateKeyIsPkcs1OwnerOnlyAndOpensslAcceptsIt() throws Exception {
        Path key = layout.privateKey("v1-root-ca");
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.certificate("v1-root-ca"))))
                .isEqualTo("rw-r--r--");
        OpenSsl.Result check = OpenSsl.run("rsa", "-in", key.toString(), "-check", "-noout");
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("RSA key ok");

        IssuedCertificate client = ca.issueClient("v1.agent");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(client.privateKeyFile())))
                .isEqualTo("rw-------");
        assertThat(OpenSsl.run("rsa", "-in", client.privateKeyFile().toString(), "-check", "-noout").exitCode())
                .isZero();
    }

    @Test
    void anExistingCaIsImportedAndSignsForTheNewInstance() throws Exception {
        CertificateLayout other = CertificateLayout.ofVolttronHome(home.resolve("other"));
        CertificateAuthority imported = CertificateAuthority.importExisting(other, "v9",
                layout.certificate("v1-root-ca"), layout.privateKey("v1-root-ca"), CertificateLifetimes.defaults());

        assertThat(imported.certificate()).isEqualTo(ca.certificate());
        assertThat(Files.getPosixFilePermissions(other.privateKey("v9-root-ca")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(other.certificate("v9-trusted-cas")))
                .isEqualTo(Files.readString(layout.certificate("v1-root-ca")));
        IssuedCertificate server = imported.issueServer("v9-server", List.of("localhost"));
        server.certificate().verify(ca.certificate().getPublicKey());

        assertThatThrownBy(() -> CertificateAuthority.importExisting(other, "v9", layout.certificate("v1-root-ca"),
                layout.privateKey("v1-root-ca"), CertificateLifetimes.defaults()))
                .isInstanceOf(PkiException.class).hasMessageContaining("already has a root CA");
    }

    @Test
    void aLeafOrAForeignKeyIsNotImportedAsACa() throws Exception {
        IssuedCertificate leaf = ca.issueServer("v1-server", List.of("localhost"));
        CertificateLayout other = CertificateLayout.ofVolttronHome(home.resolve("other"));
        assertThatThrownBy(() -> CertificateAuthority.importExisting(other, "v9", leaf.certificateFile(),
                leaf.privateKeyFile(), CertificateLifetimes.defaults()))
                .isInstanceOf(PkiException.class).hasMessageContaining("not a CA certificate");
        assertThatThrownBy(() -> CertificateAuthority.importExisting(other, "v9", layout.certificate("v1-root-ca"),
                leaf.privateKeyFile(), CertificateLifetimes.defaults()))
                .isInstanceOf(PkiException.class).hasMessageContaining("does not belong");
        assertThat(Files.exists(other.certificate("v9-root-ca"))).isFalse();
    }

    @Test
    void loadingGivesTheSameCa() throws Exception {
        CertificateAuthority again = CertificateAuthority.createOrLoad(layout, "v1",
                SubjectData.ofCommonName("ignored"), CertificateLifetimes.defaults());
        assertThat(again.certificate()).isEqualTo(ca.certificate());
        assertThat(again.subject()).isEqualTo(SUBJECT);
    }

    @Test
    void caWithoutCommonNameGetsInstanceRootCa() throws Exception {
        CertificateLayout other = CertificateLayout.ofVolttronHome(home.resolve("other"));
        CertificateAuthority made = CertificateAuthority.createOrLoad(other, "v9",
                new SubjectData("US", null, null, "Acme", null, null), CertificateLifetimes.defaults());
        assertThat(new JcaX509CertificateHolder(made.certificate()).getSubject().toString())
                .isEqualTo("C=US,O=Acme,CN=v9-root-ca");
    }

    @Test
    void halfACaIsRefused() throws Exception {
        CertificateLayout other = CertificateLayout.ofVolttronHome(home.resolve("half"));
        other.ensureDirectories();
        Files.copy(layout.certificate("v1-root-ca"), other.certificate("v2-root-ca"));
        assertThatThrownBy(() -> CertificateAuthority.createOrLoad(other, "v2", SUBJECT,
                CertificateLifetimes.defaults())).isInstanceOf(PkiException.class)
                .hasMessageContaining("v2-root-ca.pem");
    }

    @Test
    void clientCertificateAsVolttron() throws Exception {
        IssuedCertificate issued = ca.issueClient("v1.platform_web");
        X509Certificate cert = issued.certificate();
        X509CertificateHolder h = new JcaX509CertificateHolder(cert);
        assertThat(h.getSubject().toString()).isEqualTo("C=US,ST=WA,L=Richland,O=PNNL,OU=VOLTTRON,CN=v1.platform_web");
        assertThat(h.getIssuer().toString()).isEqualTo("C=US,ST=WA,L=Richland,O=PNNL,OU=VOLTTRON,CN=v1-root-ca");
        assertThat(h.getExtension(Extension.keyUsage).isCritical()).isTrue();
        assertThat(cert.getKeyUsage()).startsWith(true, false, true);
        assertThat(h.getExtension(Extension.extendedKeyUsage).isCritical()).isFalse();
        assertThat(cert.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_clientAuth.getId());
        assertThat(h.getExtension(Extension.subjectAlternativeName)).isNull();
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertAkiIsCaSki(h);
        assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).toDays())
                .isEqualTo(365);
        // §1.3: serial = epoch seconds x 10 000
        long expected = Instant.now().toEpochMilli() * 10;
        assertThat(cert.getSerialNumber().longValue()).isBetween(expected - 600_000, expected + 10);
        assertThat(issued.certificateFile()).isEqualTo(layout.certificate("v1.platform_web"));
        assertThat(openSslVerify(issued.certificateFile())).isTrue();
    }

    @Test
    void serverCertificateHasCriticalSansIncludingIp() throws Exception {
        IssuedCertificate issued = ca.issueServer("v1-server", List.of("host1", "host1.example.com", "127.0.0.1"));
        X509Certificate cert = issued.certificate();
        X509CertificateHolder h = new JcaX509CertificateHolder(cert);
        assertThat(h.getSubject().toString()).endsWith(",CN=host1");
        Extension san = h.getExtension(Extension.subjectAlternativeName);
        assertThat(san.isCritical()).isTrue();
        GeneralName[] names = GeneralNames.getInstance(san.getParsedValue()).getNames();
        assertThat(names).extracting(GeneralName::getTagNo).containsExactly(GeneralName.dNSName, GeneralName.dNSName,
                GeneralName.iPAddress);
        assertThat(cert.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_serverAuth.getId());
        assertThat(h.getExtension(Extension.keyUsage).isCritical()).isTrue();
        assertAkiIsCaSki(h);
        assertThat(openSslVerify(issued.certificateFile())).isTrue();
        OpenSsl.Result host = OpenSsl.run("verify", "-CAfile", layout.certificate("v1-trusted-cas").toString(),
                "-verify_ip", "127.0.0.1", "-purpose", "sslserver", issued.certificateFile().toString());
        assertThat(host.exitCode()).as(host.output()).isZero();
    }

    @Test
    void signsOpensslCsrVerbatimAsClient() throws Exception {
        Path key = home.resolve("k.pem");
        assertThat(OpenSsl.run("genrsa", "-traditional", "-out", key.toString(), "2048").exitCode()).isZero();
        Path csr = home.resolve("r.csr");
        OpenSsl.Result req = OpenSsl.run("req", "-new", "-key", key.toString(), "-subj",
                "/C=US/ST=WA/L=Seattle/O=Other/OU=Lab/CN=v1.v2.agent", "-addext", "basicConstraints=critical,CA:TRUE",
                "-out", csr.toString());
        assertThat(req.exitCode()).as(req.output()).isZero();
        X509Certificate cert = ca.signCsr(Files.readString(csr));
        X509CertificateHolder h = new JcaX509CertificateHolder(cert);
        assertThat(h.getSubject().toString()).isEqualTo("C=US,ST=WA,L=Seattle,O=Other,OU=Lab,CN=v1.v2.agent");
        assertThat(cert.getBasicConstraints()).as("CSR extensions are ignored").isEqualTo(-1);
        assertThat(cert.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_clientAuth.getId());
        assertAkiIsCaSki(h);
        Path out = home.resolve("signed.crt");
        PemFiles.writeCertificate(out, cert);
        assertThat(openSslVerify(out)).isTrue();

        JsonNode db = new ObjectMapper().readTree(layout.caDatabase("v1-root-ca").toFile());
        JsonNode entry = db.get("C=US/ST=WA/L=Seattle/O=Other/OU=Lab/CN=v1.v2.agent");
        assertThat(entry.get("status").asText()).isEqualTo("valid");
        assertThat(entry.get("serial_number").bigIntegerValue()).isEqualTo(cert.getSerialNumber());
        assertThat(entry.get("expiry").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
        assertThat(Files.readString(layout.caSerial("v1-root-ca")))
                .isEqualTo(cert.getSerialNumber().add(BigInteger.ONE).toString());
    }

    @Test
    void csrWithBrokenSignatureIsRefused() throws Exception {
        String pem = CsrFixtures.brokenSignature(ca.createCsr(ca.issueClient("v1.x").name(), "v1.v2.agent"));
        assertThatThrownBy(() -> ca.signCsr(pem)).isInstanceOf(InvalidCsrException.class)
                .hasMessageContaining("signature");
        assertThatThrownBy(() -> ca.signCsr("hello")).isInstanceOf(InvalidCsrException.class)
                .hasMessageContaining("not PEM");
    }

    @Test
    void createsCsrForLocalKeyWithCaSubject() throws Exception {
        IssuedCertificate local = ca.issueClient("v1.historian");
        String pem = ca.createCsr("v1.historian", "v2.v1.historian");
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        PKCS10CertificationRequest request = PemFiles.parseCsr(pem);
        CertificateAuthority.verifySignature(request);
        assertThat(request.getSubject().toString()).isEqualTo("C=US,ST=WA,L=Richland,O=PNNL,OU=VOLTTRON,CN=v2.v1.historian");
        assertThat(request.getSubjectPublicKeyInfo().getEncoded())
                .isEqualTo(local.certificate().getPublicKey().getEncoded());
        Path file = home.resolve("made.csr");
        Files.writeString(file, pem);
        assertThat(OpenSsl.run("req", "-in", file.toString(), "-verify", "-noout").exitCode()).isZero();
    }

    @Test
    void serialsStrictlyIncrease() throws Exception {
        Set<BigInteger> serials = new HashSet<>();
        BigInteger last = BigInteger.ZERO;
        String csr = ca.createCsr(ca.issueClient("v1.s").name(), "v1.s2");
        for (int i = 0; i < 20; i++) {
            BigInteger serial = ca.signCsr(csr).getSerialNumber();
            assertThat(serial).isGreaterThan(last);
            assertThat(serials.add(serial)).isTrue();
            last = serial;
        }
    }

    private void assertAkiIsCaSki(X509CertificateHolder leaf) throws Exception {
        Extension aki = leaf.getExtension(Extension.authorityKeyIdentifier);
        assertThat(aki.isCritical()).isFalse();
        byte[] keyId = AuthorityKeyIdentifier.getInstance(aki.getParsedValue()).getKeyIdentifier();
        byte[] caSki = SubjectKeyIdentifier.getInstance(new JcaX509CertificateHolder(ca.certificate())
                .getExtension(Extension.subjectKeyIdentifier).getParsedValue()).getKeyIdentifier();
        assertThat(keyId).isEqualTo(caSki);
        // RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING
        byte[] sha1 = java.security.MessageDigest.getInstance("SHA-1").digest(new JcaX509CertificateHolder(
                ca.certificate()).getSubjectPublicKeyInfo().getPublicKeyData().getBytes());
        assertThat(caSki).isEqualTo(sha1);
    }

    private boolean openSslVerify(Path cert) throws Exception {
        OpenSsl.Result r = OpenSsl.run("verify", "-CAfile", layout.certificate("v1-trusted-cas").toString(),
                cert.toString());
        assertThat(r.output()).as(r.output()).contains(": OK");
        return r.exitCode() == 0;
    }
}
