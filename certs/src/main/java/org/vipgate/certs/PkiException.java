package org.vipgate.certs;

/**
 * A PKI operation failed: a certificate or key file is missing, unreadable or damaged, a directory cannot be
 * written, or a certificate cannot be made. The message says which file or name and what is wrong, on one line.
 */
public class PkiException extends Exception {

    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
