package org.vipgate.gateway.amqp.mapping;

/**
 * A message could not be mapped between VIP and AMQP. The input was bad (or too big); the message should be dropped
 * and logged, the connection is fine. The message text names the routing key and the msg-id.
 */
public final class MappingException extends Exception {

    /** Why the mapping failed. */
    public enum Reason {
        /** The routing key has no {@code .}, names no recipient, or is not a {@code __pubsub__} key. */
        BAD_ROUTING_KEY,
        /** {@code app_id} is missing, has no {@code .}, or names no sender; or the VIP SENDER is empty. */
        BAD_APP_ID,
        /** {@code type} (the subsystem) is missing or blank, or the VIP SUBSYSTEM frame is. */
        MISSING_TYPE,
        /** {@code headers.user} is present but not a string. */
        BAD_HEADER,
        /** The body is not JSON, not a JSON array, or has trailing data. */
        BAD_BODY,
        /** A string that must become a VIP frame holds a character above U+00FF (frames are latin-1). */
        NOT_LATIN1,
        /** The body is larger than {@link MappingLimits#maxBodyBytes()}. */
        BODY_TOO_LARGE,
        /** More ARGS than {@link MappingLimits#maxElements()}. */
        TOO_MANY_ELEMENTS,
        /** An AMQP short string (routing key, app_id, message_id, type, user_id) would exceed 255 UTF-8 bytes. */
        FIELD_TOO_LONG,
        /** A VIP pubsub publish does not have the args {@code publish, topic, {bus, headers, message}}. */
        BAD_PUBLISH
    }

    private final Reason reason;
    private final String routingKey;
    private final String msgId;

    public MappingException(Reason reason, String detail, String routingKey, String msgId) {
        this(reason, detail, routingKey, msgId, null);
    }

    public MappingException(Reason reason, String detail, String routingKey, String msgId, Throwable cause) {
        super(detail + " (routing key '" + routingKey + "', msg-id '" + msgId + "')", cause);
        this.reason = reason;
        this.routingKey = routingKey;
        this.msgId = msgId;
    }

    public Reason reason() {
        return reason;
    }

    /** The routing key of the message (for VIP→AMQP: the one it would have had), possibly null. */
    public String routingKey() {
        return routingKey;
    }

    /** The msg-id of the message, possibly null. */
    public String msgId() {
        return msgId;
    }
}
