package org.vipgate.it;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates {@code vcfg rabbitmq single} leaves in a VOLTTRON_HOME, made for a test with BouncyCastle
 * (certs-csr-discovery.md §1.1-§1.5): a root CA {@code <inst>-root-ca} copied to {@code <inst>-trusted-cas},
 * a server certificate {@code <inst>-server} for {@code localhost} and 127.0.0.1, and the admin client certificate
 * {@code <inst>-admin} whose CN is the RabbitMQ user. Certificates go to {@code certificates/certs/<name>.crt},
 * keys, as PKCS#1 PEM with mode 0600, to {@code certificates/private/<name>.pem}.
 */
final class VolttronPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis() * 10);

    private final Path certs;
    private final Path keys;
    private final String instance;
    private final KeyPair caKeys;
    private final X509Certificate caCert;

    private VolttronPki(Path home, String instance) throws Exception {
        this.certs = Files.createDirectories(home.resolve("certificates").resolve("certs"));
        this.keys = Files.createDirectories(home.resolve("certificates").resolve("private"));
        this.instance = instance;
        this.caKeys = newKeys();
        X500Name ca = new X500Name("CN=" + instance + "-root-ca");
        JcaX509v3CertificateBuilder builder = builder(ca, ca, caKeys);
        // §1.2: CA:TRUE pathLen=1 critical; keyCertSign + cRLSign critical.
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        this.caCert = sign(builder);
    }

    /** Writes the CA, its trusted-cas copy, the server certificate and the admin certificate into the home. */
    static VolttronPki create(Path home, String instance) throws Exception {
        VolttronPki pki = new VolttronPki(home, instance);
        pki.writeCertificate(instance + "-root-ca", pki.caCert);
        pki.writeKey(instance + "-root-ca", pki.caKeys);
        pki.writeCertificate(instance + "-trusted-cas", pki.caCert);
        pki.issue(instance + "-server", "localhost", true);
        pki.issue(instance + "-admin", instance + "-admin", false);
        return pki;
    }

    /** {@code certs/<inst>-trusted-cas.crt}: the broker's {@code ssl_options.cacertfile} (vip-rabbitmq.md §7.2). */
    Path trustedCas() {
        return certificate(instance + "-trusted-cas");
    }

    /** {@code certs/<inst>-server.crt}: the broker's {@code ssl_options.certfile}. */
    Path serverCertificate() {
        return certificate(instance + "-server");
    }

    /** {@code private/<inst>-server.pem}: the broker's {@code ssl_options.keyfile}. */
    Path serverKey() {
        return key(instance + "-server");
    }

    Path certificate(String name) {
        return certs.resolve(name + ".crt");
    }

    Path key(String name) {
        return keys.resolve(name + ".pem");
    }

    private void issue(String name, String commonName, boolean server) throws Exception {
        KeyPair pair = newKeys();
        JcaX509v3CertificateBuilder builder = builder(new X500Name("CN=" + instance + "-root-ca"),
                new X500Name("CN=" + commonName), pair);
        // §1.3: digitalSignature + keyEncipherment critical; EKU serverAuth or clientAuth; servers get a SAN.
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
        if (server) {
            builder.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, commonName),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        writeCertificate(name, sign(builder));
        writeKey(name, pair);
    }

    private void writeCertificate(String name, X509Certificate certificate) throws IOException {
        Files.writeString(certificate(name), pem(certificate));
    }

    private void writeKey(String name, KeyPair pair) throws IOException {
        Path file = key(name);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, pem(pair.getPrivate())); // an RSA key: "BEGIN RSA PRIVATE KEY", as VOLTTRON
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static KeyPair newKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048); // §1.1
        return generator.generateKeyPair();
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject,
                subjectKeys.getPublic());
    }

    private X509Certificate sign(JcaX509v3CertificateBuilder builder) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));
    }
}
