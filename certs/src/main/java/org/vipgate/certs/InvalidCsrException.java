package org.vipgate.certs;

/**
 * A certificate signing request cannot be used: it is not a PEM PKCS#10 request, or its signature does not
 * verify with its own public key (VOLTTRON does not check it, certs-csr-discovery.md §1.3; vipgate does). The
 * message is meant for the requester.
 */
public final class InvalidCsrException extends PkiException {

    private static final long serialVersionUID = 1L;

    public InvalidCsrException(String message) {
        super(message);
    }

    public InvalidCsrException(String message, Throwable cause) {
        super(message, cause);
    }
}
