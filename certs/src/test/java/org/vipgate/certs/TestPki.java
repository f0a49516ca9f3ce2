package org.vipgate.certs;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** A throw-away CA issuing RSA, EC and Ed25519 certificates, and PEM writers for every key form, for tests. */
final class TestPki {

    /** BouncyCastle's provider for the encrypted key forms only; not registered with the JVM. */
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair and the certificate this CA issued for it. */
    record Issued(KeyPair keys, X509Certificate certificate) {
    }

    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate caCert;

    TestPki(String name) throws Exception {
        this.name = name;
        this.caKeys = keys("RSA");
        this.caCert = sign("CN=" + name, caKeys.getPublic(), true, null, validNow());
    }

    X509Certificate ca() {
        return caCert;
    }

    /** A client certificate valid now, for a new key of {@code algorithm} (RSA, EC or Ed25519). */
    Issued client(String cn, String algorithm) throws Exception {
        KeyPair keys = keys(algorithm);
        return new Issued(keys, sign("CN=" + cn, keys.getPublic(), false, null, validNow()));
    }

    /** A client certificate valid from {@code notBefore} to {@code notAfter}. */
    Issued client(String cn, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair keys = keys("RSA");
        return new Issued(keys, sign("CN=" + cn, keys.getPublic(), false, null, new Instant[] {notBefore,
                notAfter}));
    }

    /** A server certificate for DNS name {@code localhost} and IP 127.0.0.1. */
    Issued server() throws Exception {
        KeyPair keys = keys("RSA");
        return new Issued(keys, sign("CN=localhost", keys.getPublic(), false, "localhost", validNow()));
    }

    /** A server-side context presenting {@code server}, trusting this CA for client certificates. */
    SSLContext serverContext(Issued server) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", server.keys().getPrivate(), new char[0],
                new Certificate[] {server.certificate(), caCert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", caCert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    static KeyPair keys(String algorithm) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("RSA")) {
            generator.initialize(2048);
        } else if (algorithm.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        }
        return generator.generateKeyPair();
    }

    /** Certificates (or anything JcaPEMWriter knows) as PEM; an RSA private key becomes PKCS#1. */
    static Path writePem(Path file, Object... objects) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        }
        Files.writeString(file, out.toString());
        return file;
    }

    /**
     * An EC key pair as OpenSSL writes it, {@code -----BEGIN EC PRIVATE KEY-----} (SEC1) with the curve and the
     * public key; BouncyCastle's own writer leaves both out of a JDK key.
     */
    static Path writeSec1(Path file, KeyPair keys) throws IOException {
        ECPrivateKey key = (ECPrivateKey) keys.getPrivate();
        ASN1Encodable curve = PrivateKeyInfo.getInstance(key.getEncoded()).getPrivateKeyAlgorithm().getParameters();
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(key.getParams().getOrder().bitLength(), key.getS(),
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData(), curve);
        Files.writeString(file, pemBlock("EC PRIVATE KEY", sec1.getEncoded()));
        return file;
    }

    /** The key as PKCS#8, {@code -----BEGIN PRIVATE KEY-----}. */
    static Path writePkcs8(Path file, PrivateKey key) throws IOException {
        return writePem(file, new JcaPKCS8Generator(key, null).generate());
    }

    /** The key as encrypted PKCS#8, {@code -----BEGIN ENCRYPTED PRIVATE KEY-----}. */
    static Path writeEncryptedPkcs8(Path file, PrivateKey key) throws Exception {
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                .setProvider(BC).setPassword("secret".toCharArray()).build();
        return writePem(file, new JcaPKCS8Generator(key, encryptor).generate());
    }

    /** The key as OpenSSL's legacy encrypted PEM: {@code BEGIN RSA PRIVATE KEY} with {@code Proc-Type: 4,ENCRYPTED}. */
    static Path writeEncryptedLegacy(Path file, PrivateKey key) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(key, new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BC).build("secret".toCharArray()));
        }
        Files.writeString(file, out.toString());
        return file;
    }

    /** Raw PEM blocks of a given type and content. */
    static String pemBlock(String type, byte[] content) throws IOException {
        StringWriter out = new StringWriter();
        try (PemWriter pem = new PemWriter(out)) {
            pem.writeObject(new PemObject(type, content));
        }
        return out.toString();
    }

    private static Instant[] validNow() {
        Instant now = Instant.now();
        return new Instant[] {now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1))};
    }

    private X509Certificate sign(String subject, java.security.PublicKey subjectKey, boolean ca, String dnsName,
                                 Instant[] validity) throws Exception {
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(validity[0]), Date.from(validity[1]),
                new X500Name(subject), subjectKey);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (dnsName != null) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, dnsName),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        var signer = new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }
}
