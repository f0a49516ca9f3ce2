package org.vipgate.certs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** Certificate requests for tests: made by openssl, or damaged on purpose. */
public final class CsrFixtures {

    private CsrFixtures() {
    }

    /** A key and a CSR made by {@code openssl req -new -key k.pem -subj ...}; returns the CSR PEM. */
    public static String opensslCsr(Path dir, String subject) throws Exception {
        Path key = dir.resolve("k-" + System.nanoTime() + ".pem");
        OpenSsl.Result genrsa = OpenSsl.run("genrsa", "-traditional", "-out", key.toString(), "2048");
        if (genrsa.exitCode() != 0) {
            throw new IllegalStateException(genrsa.output());
        }
        Path csr = dir.resolve("r-" + System.nanoTime() + ".csr");
        OpenSsl.Result req = OpenSsl.run("req", "-new", "-key", key.toString(), "-subj", subject, "-out",
                csr.toString());
        if (req.exitCode() != 0) {
            throw new IllegalStateException(req.output());
        }
        return Files.readString(csr);
    }

    /** The same request with one bit of its signature flipped. */
    public static String brokenSignature(String csrPem) throws Exception {
        byte[] der = PemFiles.parseCsr(csrPem).getEncoded();
        der[der.length - 5] ^= 0x01; // inside the signature BIT STRING, the last element of the SEQUENCE
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        PKCS10CertificationRequest check = new PKCS10CertificationRequest(der);
        if (check.getSubject() == null) {
            throw new IllegalStateException("damaged beyond parsing");
        }
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + body + "\n-----END CERTIFICATE REQUEST-----\n";
    }
}
