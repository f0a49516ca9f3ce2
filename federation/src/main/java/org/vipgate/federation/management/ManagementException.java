package org.vipgate.federation.management;

/**
 * A management API call that did not succeed. The subclass says why: the API could not be reached, it refused
 * the credentials, or it answered with an error.
 */
public abstract sealed class ManagementException extends Exception
        permits ManagementException.Unreachable, ManagementException.Unauthorized, ManagementException.Failed {

    private ManagementException(String message, Throwable cause) {
        super(message, cause);
    }

    /** No HTTP answer: connection refused, timeout, TLS failure. Retrying later may help. */
    public static final class Unreachable extends ManagementException {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** 401 or 403: the user or password is wrong, or the user lacks the management tag or permission. */
    public static final class Unauthorized extends ManagementException {
        private final int status;

        public Unauthorized(String message, int status) {
            super(message, null);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Any other non-2xx answer; {@link #status()} and {@link #body()} say what the broker said. */
    public static final class Failed extends ManagementException {
        private final int status;
        private final String body;

        public Failed(String message, int status, String body) {
            super(message, null);
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }
}
