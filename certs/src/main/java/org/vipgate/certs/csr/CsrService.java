package org.vipgate.certs.csr;

import java.util.List;
import java.util.Optional;

/**
 * The certificate-request store as the web service and the administration commands use it
 * (certs-csr-discovery.md §2.2, §2.3). Implementations are thread-safe.
 */
public interface CsrService {

    /**
     * {@code POST /csr/request_new}: stores a new request as PENDING (or signs it at once in auto-allow mode) and
     * answers with the request's status. A CN already known keeps its stored CSR (VOLTTRON, §2.2) and gets its status.
     *
     * @param csrPem        the PKCS#10 request, PEM
     * @param remoteAddress the client's IP address
     */
    CsrReply requestNew(String csrPem, String remoteAddress);

    /** Every stored request, oldest first. */
    List<CsrRecord> list();

    /** Signs the request, stores the certificate under {@code remote_certs/<CN>.crt}, fires the approval event. */
    CsrRecord approve(String commonName) throws CsrException;

    /** Marks the request DENIED and removes its certificate; a later approve still works. */
    CsrRecord deny(String commonName) throws CsrException;

    /** Forgets the request and its certificate, so that the client can send it again. */
    void delete(String commonName) throws CsrException;

    /** The certificate issued for {@code commonName}, PEM, when approved. */
    Optional<String> certificate(String commonName);
}
