package org.vipgate.certs.csr;

/**
 * The answer to {@code POST /csr/request_new} (certs-csr-discovery.md §2.2): the {@code status} string and, where
 * VOLTTRON sends one, {@code cert} or {@code message}.
 */
public sealed interface CsrReply {

    /** The status word on the wire. */
    String status();

    /** Waiting for an administrator. */
    record Pending() implements CsrReply {
        public String status() {
            return "PENDING";
        }
    }

    /** Approved: the signed certificate, PEM. */
    record Approved(String certificatePem) implements CsrReply {
        public String status() {
            return "APPROVED";
        }
    }

    /** Signed at once because auto-allow is on: the signed certificate, PEM. */
    record Successful(String certificatePem) implements CsrReply {
        public String status() {
            return "SUCCESSFUL";
        }
    }

    /** Denied by an administrator. */
    record Denied() implements CsrReply {
        public String status() {
            return "DENIED";
        }
    }

    /** The request is unusable (not PEM, bad signature, CN without this instance's prefix): why, for the client. */
    record Error(String message) implements CsrReply {
        public String status() {
            return "ERROR";
        }
    }
}
