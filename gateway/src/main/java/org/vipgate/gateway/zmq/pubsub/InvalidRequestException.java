package org.vipgate.gateway.zmq.pubsub;

/** A pubsub request whose frames or JSON body cannot be understood; the message says why, for the error reply. */
public final class InvalidRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String reason) {
        super(reason);
    }

    public InvalidRequestException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
