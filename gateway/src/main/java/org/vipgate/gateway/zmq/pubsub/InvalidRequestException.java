package org.vipgate.gateway.zmq.pubsub;

/** A pubsub request whose frames or JSON body cannot be understood; the message says why, for the error reply. */
final class InvalidRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidRequestException(String reason) {
        super(reason);
    }

    InvalidRequestException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
