package org.vipgate.federation.remote;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/** {@code GET /discovery/} of a remote platform failed; the message names the address, the cause and what to do. */
public abstract sealed class DiscoveryException extends Exception {

    private final URI address;

    private DiscoveryException(URI address, String message, Throwable cause) {
        super(message, cause);
        this.address = Objects.requireNonNull(address, "address");
    }

    /** The web address that was asked. */
    public URI address() {
        return address;
    }

    /** Nothing answered: refused, timed out, no route, TLS handshake failure. */
    public static final class Unreachable extends DiscoveryException {
        public Unreachable(URI address, String message, Throwable cause) {
            super(address, message, cause);
        }
    }

    /** An HTTP status other than 200. */
    public static final class BadStatus extends DiscoveryException {
        private final int status;

        public BadStatus(URI address, int status, String message) {
            super(address, message, null);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** The body is not the discovery JSON: not JSON, too large, no instance-name, a bad rmq-address. */
    public static final class InvalidAnswer extends DiscoveryException {
        public InvalidAnswer(URI address, String message, Throwable cause) {
            super(address, message, cause);
        }
    }

    /**
     * The remote side does not match what was pinned for its instance: its rmq-ca-cert differs, or its HTTPS
     * certificate is not issued by the pinned CA. Re-pinning needs the pinned file deleted on purpose.
     */
    public static final class PinMismatch extends DiscoveryException {
        private final Path pinnedFile;

        public PinMismatch(URI address, Path pinnedFile, String message) {
            super(address, message, null);
            this.pinnedFile = pinnedFile;
        }

        /** The file to delete to trust the remote CA anew. */
        public Path pinnedFile() {
            return pinnedFile;
        }
    }

    /** First contact, nothing pinned: the HTTPS certificate is not issued by the CA the platform advertises. */
    public static final class UntrustedServer extends DiscoveryException {
        public UntrustedServer(URI address, String message, Throwable cause) {
            super(address, message, cause);
        }
    }

    /** The answer was fine but the remote CA could not be pinned on local disk. */
    public static final class StorageFailure extends DiscoveryException {
        public StorageFailure(URI address, String message, Throwable cause) {
            super(address, message, cause);
        }
    }
}
