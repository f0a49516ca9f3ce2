package org.vipgate.gateway.zmq.pubsub;

/** A subscribe or synchronize that would exceed the configured bounds; nothing was changed. */
public final class SubscriptionLimitException extends Exception {

    private static final long serialVersionUID = 1L;

    public SubscriptionLimitException(String message) {
        super(message);
    }
}
