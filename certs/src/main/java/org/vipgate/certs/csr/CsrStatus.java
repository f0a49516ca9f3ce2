package org.vipgate.certs.csr;

/** The status of a stored certificate request, as in {@code pending_csr/<CN>.json} (certs-csr-discovery.md §2.2). */
public enum CsrStatus {
    PENDING,
    APPROVED,
    DENIED
}
