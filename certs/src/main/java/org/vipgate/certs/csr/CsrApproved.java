package org.vipgate.certs.csr;

import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate request was approved, by an administrator or at once in auto-allow mode. The gateway listens for it
 * to create the RabbitMQ user {@code commonName} (certs-csr-discovery.md §2.3); certs itself knows nothing of
 * RabbitMQ.
 *
 * @param commonName  the CN of the request: the RabbitMQ user name
 * @param certificate the certificate just issued
 */
public record CsrApproved(String commonName, X509Certificate certificate) {

    public CsrApproved {
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(certificate, "certificate");
    }
}
