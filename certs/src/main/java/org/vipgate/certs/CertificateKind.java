package org.vipgate.certs;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/** What a certificate is for (certs-csr-discovery.md §1.2, §1.3). */
public enum CertificateKind {
    /** A certificate authority (BasicConstraints CA:TRUE). */
    CA,
    /** A TLS server (EKU serverAuth, DNS/IP SANs). */
    SERVER,
    /** A TLS client (EKU clientAuth): agents, the admin user, remote platforms' CSRs. */
    CLIENT;

    /** The kind of an existing certificate: CA when BasicConstraints says so, SERVER with EKU serverAuth, else CLIENT. */
    public static CertificateKind of(X509Certificate certificate) {
        if (certificate.getBasicConstraints() >= 0) {
            return CA;
        }
        try {
            List<String> eku = certificate.getExtendedKeyUsage();
            if (eku != null && eku.contains(KeyPurposeId.id_kp_serverAuth.getId())) {
                return SERVER;
            }
        } catch (CertificateParsingException e) {
            // A damaged EKU extension: not a server certificate we could renew as one.
            return CLIENT;
        }
        return CLIENT;
    }

    /** The lower-case word the CLI shows. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
