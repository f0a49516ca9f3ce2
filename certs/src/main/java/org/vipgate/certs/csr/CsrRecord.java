package org.vipgate.certs.csr;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored certificate request (certs-csr-discovery.md §1.4, §2.2: {@code pending_csr/<CN>.json} and
 * {@code .csr}).
 *
 * @param commonName    the CN of the CSR: the RabbitMQ user it asks for, {@code <this>.<remote>.<identity>}
 * @param remoteAddress the IP address the request came from
 * @param status        its status now
 * @param requestedAt   when it was first received
 */
public record CsrRecord(String commonName, String remoteAddress, CsrStatus status, Instant requestedAt) {

    public CsrRecord {
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }
}
