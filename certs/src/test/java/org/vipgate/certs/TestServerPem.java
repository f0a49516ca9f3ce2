package org.vipgate.certs;

import java.nio.file.Path;

/** A self-signed-CA server certificate for {@code localhost}/127.0.0.1 as PEM files, for the web server's tests. */
public final class TestServerPem {

    /** The files, and the CA that issued the certificate. */
    public record Files(Path certificate, Path privateKey) {
    }

    private TestServerPem() {
    }

    /**
     * Writes {@code server.crt} and {@code server.key} into {@code dir}: the key as PKCS#1
     * ({@code BEGIN RSA PRIVATE KEY}, as VOLTTRON writes it) or as PKCS#8 ({@code BEGIN PRIVATE KEY}).
     */
    public static Files write(Path dir, boolean pkcs1) throws Exception {
        TestPki pki = new TestPki("vipgate web test CA");
        TestPki.Issued server = pki.server();
        Path cert = TestPki.writePem(dir.resolve("server.crt"), server.certificate(), pki.ca());
        Path key = pkcs1 ? TestPki.writePem(dir.resolve("server.key"), server.keys().getPrivate())
                : TestPki.writePkcs8(dir.resolve("server.key"), server.keys().getPrivate());
        return new Files(cert, key);
    }
}
