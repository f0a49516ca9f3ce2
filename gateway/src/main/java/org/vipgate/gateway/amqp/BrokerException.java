package org.vipgate.gateway.amqp;

/**
 * The broker said no in a way that retrying will not fix: credentials refused, vhost access refused, or broker
 * objects that exist with other properties than VOLTTRON's. The message says what to change.
 */
public final class BrokerException extends Exception {

    /** Why the broker refused. */
    public enum Reason {
        /** The user or password (or certificate) was refused. */
        AUTHENTICATION,
        /** The user may not use the vhost, or lacks a permission. */
        ACCESS,
        /** The broker's TLS certificate is not signed by the trusted CA or does not match the host name. */
        TLS_TRUST,
        /** An exchange exists with other type, durability or arguments. */
        TOPOLOGY_CONFLICT
    }

    private final Reason reason;

    public BrokerException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
