package org.vipgate.federation.remote;

import java.net.URI;

/**
 * Obtains certificates from remote platforms' CSR services (certs-csr-discovery.md §2.1, vip-rabbitmq.md §5.2):
 * discovery, a CSR signed by the local key with the local CA's subject and CN {@code commonName}, POST
 * {@code /csr/request_new}, and the files stored on approval. A certificate already stored and still valid is reused
 * without asking. Implementations are thread-safe.
 */
public interface RemoteCertificates {

    /**
     * @param webAddress    the remote platform's web address, {@code https://host:port}
     * @param commonName    the CN to ask for, {@code <remote instance>.<local instance>.<identity>}; its first word
     *                      must be the remote instance name (checked against discovery)
     * @param localKeyName  the local key to request it for: {@code certificates/private/<localKeyName>.pem} (created,
     *                      with its local certificate, when missing)
     */
    CertificateOutcome obtain(URI webAddress, String commonName, String localKeyName);
}
