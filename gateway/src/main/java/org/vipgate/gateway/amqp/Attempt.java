package org.vipgate.gateway.amqp;

/**
 * The outcome of one try at reaching something on the network: done with a value, or worth trying again
 * for a stated cause. Failures that retrying cannot fix are thrown instead.
 */
public sealed interface Attempt<T> {

    /** Succeeded with this value. */
    record Done<T>(T value) implements Attempt<T> {
    }

    /** Failed for a cause that may go away (connection refused, broker restarting). */
    record Retry<T>(String cause) implements Attempt<T> {
    }
}
