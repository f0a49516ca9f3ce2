package org.vipgate.certs;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate the CA issued and wrote, with its key.
 *
 * @param name            the file stem, e.g. {@code v1-server} or {@code v1.platform_web}
 * @param certificate     the certificate
 * @param certificateFile {@code certs/<name>.crt}
 * @param privateKeyFile  {@code private/<name>.pem}
 */
public record IssuedCertificate(String name, X509Certificate certificate, Path certificateFile, Path privateKeyFile) {

    public IssuedCertificate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(certificateFile, "certificateFile");
        Objects.requireNonNull(privateKeyFile, "privateKeyFile");
    }
}
