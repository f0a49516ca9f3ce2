package org.vipgate.certs;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Set;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * PEM files as VOLTTRON writes them (certs-csr-discovery.md §1.1): certificates mode 0644, RSA private keys as
 * PKCS#1 ({@code -----BEGIN RSA PRIVATE KEY-----}) mode 0600. Every write goes to a temporary file in the same
 * directory, created with its final mode, which is then renamed over the target: readers never see a partial file
 * and a key is never readable by others, not even for an instant.
 */
public final class PemFiles {

    /** Certificates and public files: 0644 (§1.1). */
    public static final Set<PosixFilePermission> PUBLIC_MODE = PosixFilePermissions.fromString("rw-r--r--");
    /** Private keys: 0600 (§1.1). */
    public static final Set<PosixFilePermission> PRIVATE_MODE = PosixFilePermissions.fromString("rw-------");

    private PemFiles() {
    }

    /** Writes the certificate as PEM, mode 0644. */
    public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        writeAtomically(file, toPem(certificate), PUBLIC_MODE);
    }

    /** Writes the key as PEM, PKCS#1 for RSA keys (§1.1 "TraditionalOpenSSL"), unencrypted, mode 0600. */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        writeAtomically(file, toPem(key), PRIVATE_MODE);
    }

    /**
     * PEM text of a certificate, a CSR or a key (an RSA private key becomes PKCS#1, as BouncyCastle's writer makes
     * it).
     */
    public static String toPem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a " + object.getClass().getSimpleName() + " as PEM", e);
        }
        return out.toString();
    }

    /**
     * The one PKCS#10 request of a PEM text ({@code BEGIN CERTIFICATE REQUEST} or {@code BEGIN NEW CERTIFICATE
     * REQUEST}). The signature is not checked here.
     *
     * @throws InvalidCsrException when the text holds no PEM block, a damaged one, or something else than a request
     */
    public static PKCS10CertificationRequest parseCsr(String pem) throws InvalidCsrException {
        Object block;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            block = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("the CSR is not valid PEM (" + e.getMessage() + ")", e);
        }
        if (block == null) {
            throw new InvalidCsrException("the CSR is not PEM: no '-----BEGIN CERTIFICATE REQUEST-----' block");
        }
        if (!(block instanceof PKCS10CertificationRequest request)) {
            throw new InvalidCsrException("the PEM block is not a certificate request but a "
                    + block.getClass().getSimpleName().replace("Holder", ""));
        }
        return request;
    }

    /** Writes {@code text} to {@code target} atomically, with exactly {@code mode} where POSIX modes exist. */
    public static void writeAtomically(Path target, String text, Set<PosixFilePermission> mode) throws IOException {
        AtomicFiles.write(target, text, mode);
    }

    static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
