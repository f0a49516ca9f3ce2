package org.vipgate.certs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A PEM file that should hold a certificate or a private key is missing, unreadable, or does not hold what it
 * should.
 *
 * <p>The message is one line: the file, what is wrong with it and, when useful, what it should hold, e.g.
 * {@code /home/x/.volttron/certificates/certs/v1-admin.crt: no certificate in it (found: a private key); expected
 * one or more '-----BEGIN CERTIFICATE-----' blocks}. It is meant to be shown as it is, without a stack trace.
 * {@link #reason()} says what kind of problem it is; {@link #problem()} and {@link #expected()} give the parts,
 * for callers that add what the file is for.
 */
public final class PemException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the file. */
    public enum Reason {
        /** The file does not exist. */
        MISSING_FILE,
        /** The file exists but cannot be read (permissions, a directory, an I/O error). */
        UNREADABLE,
        /** A PEM block is damaged or of a kind that does not belong in this file. */
        MALFORMED,
        /** No {@code CERTIFICATE} block where certificates were expected. */
        NO_CERTIFICATE,
        /** No private key block where a key was expected, or more than one. */
        NO_PRIVATE_KEY,
        /** The private key is protected by a passphrase; only unencrypted keys are read. */
        ENCRYPTED_KEY,
        /** The key is of an algorithm this class cannot use for TLS. */
        UNSUPPORTED_KEY,
        /** The private key is not the key of the certificate it is paired with. */
        KEY_MISMATCH,
        /** The certificate has expired or is not valid yet. */
        CERTIFICATE_NOT_VALID
    }

    private final transient Path file;
    private final Reason reason;
    private final String problem;
    private final String expected;

    /**
     * @param file     the file at fault (not null)
     * @param reason   what kind of problem (not null)
     * @param problem  what is wrong, in words, e.g. {@code missing file} (not null)
     * @param expected what the file should hold, e.g. {@code one or more '-----BEGIN CERTIFICATE-----' blocks};
     *                 null when the problem says it all
     * @param cause    the underlying exception, or null
     */
    public PemException(Path file, Reason reason, String problem, String expected, Throwable cause) {
        super(file + ": " + problem + (expected == null ? "" : "; expected " + expected), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.problem = Objects.requireNonNull(problem, "problem");
        this.expected = expected;
    }

    /** The file at fault (null only after deserialization). */
    public Path file() {
        return file;
    }

    /** What kind of problem it is. */
    public Reason reason() {
        return reason;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }

    /** What the file should hold, or null when {@link #problem()} says it all. */
    public String expected() {
        return expected;
    }
}
