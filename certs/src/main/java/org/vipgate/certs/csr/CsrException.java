package org.vipgate.certs.csr;

/** An administration call on the CSR store failed: an unknown CN, or the request cannot be signed. */
public class CsrException extends Exception {

    public CsrException(String message) {
        super(message);
    }

    public CsrException(String message, Throwable cause) {
        super(message, cause);
    }
}
