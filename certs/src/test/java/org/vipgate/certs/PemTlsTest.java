package org.vipgate.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PemTls against a loopback TLS server, with certificates and keys made by the test in every PEM form. */
class PemTlsTest {

    private static TestPki pki;
    private static TestPki.Issued server;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePki() throws Exception {
        pki = new TestPki("test-root-ca");
        server = pki.server();
    }

    private Path ca() throws IOException {
        return TestPki.writePem(dir.resolve("trusted-cas.crt"), pki.ca());
    }

    private Path cert(TestPki.Issued issued) throws IOException {
        return TestPki.writePem(dir.resolve("client.crt"), issued.certificate());
    }

    @Nested
    class Succeeds {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"PKCS#1 RSA", "PKCS#8 RSA", "SEC1 EC", "SEC1 EC after EC PARAMETERS", "PKCS#8 EC",
                "PKCS#8 Ed25519", "key and certificate in one file"})
        void eachKeyFormLogsInWithTheClientCertificate(String form) throws Exception {
            String algorithm = form.contains("EC") ? "EC" : form.contains("Ed25519") ? "Ed25519" : "RSA";
            TestPki.Issued client = pki.client("v1-admin", algorithm);
            PrivateKey key = client.keys().getPrivate();
            Path keyFile = dir.resolve("client.pem");
            Path certFile = cert(client);
            switch (form) {
                case "PKCS#1 RSA" -> TestPki.writePem(keyFile, key);
                case "SEC1 EC" -> TestPki.writeSec1(keyFile, client.keys());
                case "SEC1 EC after EC PARAMETERS" -> {
                    // What 'openssl ecparam -genkey' writes.
                    TestPki.writeSec1(keyFile, client.keys());
                    Files.writeString(keyFile, TestPki.pemBlock("EC PARAMETERS",
                            SECObjectIdentifiers.secp256r1.getEncoded()) + Files.readString(keyFile));
                }
                case "key and certificate in one file" -> {
                    TestPki.writePem(keyFile, key, client.certificate());
                    certFile = keyFile;
                }
                default -> TestPki.writePkcs8(keyFile, key);
            }
            String header = Files.readString(keyFile);
            assertThat(header).contains(switch (form) {
                case "PKCS#1 RSA", "key and certificate in one file" -> "-----BEGIN RSA PRIVATE KEY-----";
                case "SEC1 EC", "SEC1 EC after EC PARAMETERS" -> "-----BEGIN EC PRIVATE KEY-----";
                default -> "-----BEGIN PRIVATE KEY-----";
            });

            SSLContext context = PemTls.clientContext(ca(), certFile, keyFile);

            try (LoopbackServer tls = new LoopbackServer(pki.serverContext(server), true, null)) {
                assertThat(tls.connect(context)).isEqualTo("TLSv1.3");
                assertThat(tls.seen()).isEqualTo("CN=v1-admin");
            }
        }

        @Test
        void tls12IsAcceptedWhenTheServerOffersNothingNewer() throws Exception {
            TestPki.Issued client = pki.client("v1-admin", "RSA");
            SSLContext context = PemTls.clientContext(ca(), cert(client),
                    TestPki.writePem(dir.resolve("client.pem"), client.keys().getPrivate()));

            try (LoopbackServer tls = new LoopbackServer(pki.serverContext(server), true,
                    new String[] {"TLSv1.2"})) {
                assertThat(tls.connect(context)).isEqualTo("TLSv1.2");
                assertThat(tls.seen()).isEqualTo("CN=v1-admin");
            }
        }

        @Test
        void readCertificatesKeepsFileOrder() throws Exception {
            TestPki.Issued a = pki.client("a", "RSA");
            TestPki.Issued b = pki.client("b", "RSA");
            Path file = TestPki.writePem(dir.resolve("chain.crt"), a.certificate(), b.certificate());
            assertThat(PemTls.readCertificates(file)).isEqualTo(List.of(a.certificate(), b.certificate()));
        }

        @Test
        void noProtocolOlderThanTls12IsOffered() throws Exception {
            SSLContext context = PemTls.trustContext(ca());

            assertThat(context.getDefaultSSLParameters().getProtocols())
                    .contains("TLSv1.3", "TLSv1.2").doesNotContain("SSLv3", "TLSv1", "TLSv1.1");
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                assertThat(socket.getEnabledProtocols()).doesNotContain("SSLv3", "TLSv1", "TLSv1.1");
            }
        }

        @Test
        void trustContextConnectsWithoutAClientCertificate() throws Exception {
            try (LoopbackServer tls = new LoopbackServer(pki.serverContext(server), false, null)) {
                assertThat(tls.connect(PemTls.trustContext(ca()))).isEqualTo("TLSv1.3");
                assertThat(tls.seen()).isEqualTo("no client certificate");
            }
        }

        @Test
        void everyCertificateOfTheBundleIsTrusted() throws Exception {
            TestPki other = new TestPki("other-root-ca");
            Path bundle = TestPki.writePem(dir.resolve("bundle.crt"), other.ca(), pki.ca());

            assertThat(PemTls.readCertificates(bundle)).containsExactly(other.ca(), pki.ca());
            try (LoopbackServer tls = new LoopbackServer(pki.serverContext(server), false, null)) {
                assertThat(tls.connect(PemTls.trustContext(bundle))).isEqualTo("TLSv1.3");
            }
        }

        @Test
        void onlyTheBundleIsTrustedNotTheJdkDefaults() throws Exception {
            TestPki other = new TestPki("other-root-ca");
            Path otherCa = TestPki.writePem(dir.resolve("other.crt"), other.ca());

            try (LoopbackServer tls = new LoopbackServer(pki.serverContext(server), false, null)) {
                assertThatThrownBy(() -> tls.connect(PemTls.trustContext(otherCa)))
                        .isInstanceOf(SSLHandshakeException.class);
                assertThatThrownBy(tls::seen).isInstanceOf(ExecutionException.class);
            }
        }
    }

    @Nested
    class FailsNamingTheFile {

        private TestPki.Issued client;
        private Path certFile;
        private Path keyFile;

        @BeforeEach
        void validFiles() throws Exception {
            client = pki.client("v1-admin", "RSA");
            certFile = cert(client);
            keyFile = TestPki.writePem(dir.resolve("client.pem"), client.keys().getPrivate());
        }

        private PemException failure(Path ca, Path cert, Path key) {
            try {
                PemTls.clientContext(ca, cert, key);
            } catch (PemException e) {
                return e;
            }
            throw new AssertionError("clientContext(" + ca + ", " + cert + ", " + key + ") succeeded");
        }

        @Test
        void missingCaBundle() throws Exception {
            Path missing = dir.resolve("nope-trusted-cas.crt");
            PemException e = failure(missing, certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.MISSING_FILE);
            assertThat(e.file()).isEqualTo(missing);
            assertThat(e).hasMessage(missing + ": missing file");
            assertThat(e.problem()).isEqualTo("missing file");
            assertThat(e.expected()).isNull();
        }

        @Test
        void missingCertificate() throws Exception {
            Path missing = dir.resolve("v1-admin.crt");
            PemException e = failure(ca(), missing, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.MISSING_FILE);
            assertThat(e).hasMessage(missing + ": missing file");
        }

        @Test
        void missingKey() throws Exception {
            Path missing = dir.resolve("v1-admin.pem");
            PemException e = failure(ca(), certFile, missing);
            assertThat(e.reason()).isEqualTo(PemException.Reason.MISSING_FILE);
            assertThat(e).hasMessage(missing + ": missing file");
        }

        @Test
        void aDirectoryInsteadOfAFile() throws Exception {
            Path folder = Files.createDirectory(dir.resolve("certs"));
            PemException e = failure(folder, certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.UNREADABLE);
            assertThat(e).hasMessage(folder + ": is a directory; expected a PEM file");
        }

        @Test
        void aDirectoryWhereTheKeyShouldBe() throws Exception {
            // A permission-denied file cannot be made for root, who runs CI; a directory is unreadable for all.
            Files.delete(keyFile);
            Files.createDirectory(keyFile);
            PemException e = failure(ca(), certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.UNREADABLE);
            assertThat(e.getMessage()).startsWith(keyFile + ": is a directory");
        }

        @Test
        void anEmptyCertificateFile() throws Exception {
            Files.writeString(certFile, "");
            PemException e = failure(ca(), certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.NO_CERTIFICATE);
            assertThat(e).hasMessage(certFile + ": no certificate in it (the file holds no PEM block); expected"
                    + " one or more '-----BEGIN CERTIFICATE-----' blocks");
        }

        @Test
        void aKeyWhereTheCertificateShouldBe() throws Exception {
            PemException e = failure(ca(), keyFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.NO_CERTIFICATE);
            assertThat(e.file()).isEqualTo(keyFile);
            assertThat(e).hasMessageContaining("no certificate in it (found: a private key)");
        }

        @Test
        void aBinaryFileHoldsNoCertificate() throws Exception {
            Files.write(certFile, client.certificate().getEncoded()); // DER, not PEM
            PemException e = failure(ca(), certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.NO_CERTIFICATE);
        }

        @Test
        void aCertificateWhereTheKeyShouldBe() throws Exception {
            PemException e = failure(ca(), certFile, certFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.NO_PRIVATE_KEY);
            assertThat(e).hasMessage(certFile + ": no private key in it (found: a certificate); expected one"
                    + " unencrypted '-----BEGIN RSA PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----' or"
                    + " '-----BEGIN EC PRIVATE KEY-----' block");
            assertThat(e.problem()).isEqualTo("no private key in it (found: a certificate)");
            assertThat(e.expected()).startsWith("one unencrypted '-----BEGIN RSA PRIVATE KEY-----'");
        }

        @Test
        void twoKeysInOneFile() throws Exception {
            TestPki.writePem(keyFile, client.keys().getPrivate(), TestPki.keys("RSA").getPrivate());
            PemException e = failure(ca(), certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.NO_PRIVATE_KEY);
            assertThat(e).hasMessageStartingWith(keyFile + ": 2 private keys in it; expected one");
        }

        @Test
        void anEncryptedPkcs8Key() throws Exception {
            TestPki.writeEncryptedPkcs8(keyFile, client.keys().getPrivate());
            assertThat(Files.readString(keyFile)).contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");
            PemException e = failure(ca(), certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.ENCRYPTED_KEY);
            assertThat(e).hasMessageStartingWith(keyFile + ": the private key is encrypted with a passphrase,"
                    + " which is not supported").hasMessageContaining("openssl pkey -in " + keyFile);
        }

        @Test
        void anEncryptedLegacyOpenSslKey() throws Exception {
            TestPki.writeEncryptedLegacy(keyFile, client.keys().getPrivate());
            assertThat(Files.readString(keyFile)).contains("Proc-Type: 4,ENCRYPTED");
            PemException e = failure(ca(), certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.ENCRYPTED_KEY);
        }

        @Test
        void aKeyOfAnotherCertificate() throws Exception {
            TestPki.writePem(keyFile, TestPki.keys("RSA").getPrivate());
            PemException e = failure(ca(), certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.KEY_MISMATCH);
            assertThat(e.file()).isEqualTo(keyFile);
            assertThat(e).hasMessage(keyFile + ": the private key does not match the certificate 'CN=v1-admin' in "
                    + certFile + "; expected the key that certificate was issued for");
        }

        @Test
        void aKeyOfAnotherAlgorithm() throws Exception {
            TestPki.writeSec1(keyFile, TestPki.keys("EC"));
            PemException e = failure(ca(), certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.KEY_MISMATCH);
        }

        @Test
        void aDsaKeyIsNotSupported() throws Exception {
            KeyPair dsa = TestPki.keys("DSA");
            TestPki.writePkcs8(keyFile, dsa.getPrivate());
            PemException e = failure(ca(), certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.UNSUPPORTED_KEY);
            assertThat(e).hasMessage(keyFile + ": the private key is a DSA key; expected an RSA, EC or EdDSA key");
        }

        @Test
        void anExpiredCertificate() throws Exception {
            Instant now = Instant.now();
            TestPki.Issued old = pki.client("v1-admin", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
            cert(old);
            TestPki.writePem(keyFile, old.keys().getPrivate());
            PemException e = failure(ca(), certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.CERTIFICATE_NOT_VALID);
            assertThat(e).hasMessageStartingWith(certFile + ": the certificate 'CN=v1-admin' expired on ")
                    .hasMessageEndingWith("; expected a certificate valid now (renew it)");
        }

        @Test
        void aCertificateNotValidYet() throws Exception {
            Instant now = Instant.now();
            TestPki.Issued future = pki.client("v1-admin", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
            cert(future);
            TestPki.writePem(keyFile, future.keys().getPrivate());
            PemException e = failure(ca(), certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.CERTIFICATE_NOT_VALID);
            assertThat(e).hasMessageContaining("is not valid before").hasMessageContaining("clock");
        }

        @Test
        void damagedBase64() throws Exception {
            Files.writeString(certFile, "-----BEGIN CERTIFICATE-----\nMIIB!!!not*base64\n-----END CERTIFICATE-----\n");
            PemException e = failure(ca(), certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.MALFORMED);
            assertThat(e).hasMessageStartingWith(certFile + ": PEM block 1 cannot be read (");
        }

        @Test
        void anUnknownBlockType() throws Exception {
            Files.writeString(certFile, TestPki.pemBlock("FOO", "bar".getBytes(StandardCharsets.US_ASCII)));
            PemException e = failure(ca(), certFile, keyFile);
            assertThat(e.reason()).isEqualTo(PemException.Reason.MALFORMED);
            assertThat(e).hasMessageContaining("FOO");
        }

        @Test
        void trustContextNeedsACertificate() throws Exception {
            Path empty = Files.writeString(dir.resolve("empty.crt"), "no PEM here\n");
            assertThatThrownBy(() -> PemTls.trustContext(empty))
                    .isInstanceOfSatisfying(PemException.class, e ->
                            assertThat(e.reason()).isEqualTo(PemException.Reason.NO_CERTIFICATE))
                    .hasMessageStartingWith(empty + ": no certificate in it");
        }
    }

    /**
     * A TLS server on a loopback port that accepts one connection, completes the handshake, writes one byte and
     * reports the client certificate's subject.
     */
    private static final class LoopbackServer implements AutoCloseable {
        private final SSLServerSocket socket;
        private final CompletableFuture<String> seen;

        LoopbackServer(SSLContext context, boolean needClientAuth, String[] protocols) throws IOException {
            socket = (SSLServerSocket) context.getServerSocketFactory()
                    .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
            socket.setNeedClientAuth(needClientAuth);
            if (protocols != null) {
                socket.setEnabledProtocols(protocols);
            }
            seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) socket.accept()) {
                    accepted.startHandshake();
                    accepted.getOutputStream().write(1);
                    accepted.getOutputStream().flush();
                    var certificates = accepted.getSession().getPeerCertificates();
                    return ((X509Certificate) certificates[0]).getSubjectX500Principal()
                            .getName();
                } catch (SSLPeerUnverifiedException e) {
                    return "no client certificate";
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        /** Connects to {@code localhost}, checking the host name as the gateway's connections do. */
        String connect(SSLContext client) throws IOException {
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("localhost",
                    socket.getLocalPort())) {
                SSLParameters parameters = s.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(parameters);
                s.startHandshake();
                assertThat(s.getInputStream().read()).as("byte written by the server").isEqualTo(1);
                return s.getSession().getProtocol();
            }
        }

        String seen() throws Exception {
            return seen.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
