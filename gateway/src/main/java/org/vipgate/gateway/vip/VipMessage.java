package org.vipgate.gateway.vip;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A VIP message as the router receives it (vip-zmq.md §1.1, view B): every frame kept as the raw bytes that
 * came off the wire, so that routed messages are forwarded byte for byte (§1.3).
 *
 * <p>Arrays are not copied: treat them as read-only. {@code equals} compares array identity (record default).
 *
 * @param sender    routing id of the peer that sent it (its VIP identity)
 * @param recipient VIP identity of the recipient; empty for the router itself
 * @param userId    USER_ID frame as sent (peers send it empty; the router overwrites it when forwarding, §1.4)
 * @param msgId     MSG_ID, opaque, echoed in replies and errors (§1.5)
 * @param subsystem SUBSYSTEM, e.g. {@code hello}, {@code RPC}, {@code pubsub}
 * @param args      ARGS frames, possibly none
 */
public record VipMessage(byte[] sender, byte[] recipient, byte[] userId, byte[] msgId, byte[] subsystem,
                         List<byte[]> args) {

    /** vip-zmq.md §1.1: the signature frame. */
    public static final byte[] SIGNATURE = {'V', 'I', 'P', '1'};

    public VipMessage {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(msgId, "msgId");
        Objects.requireNonNull(subsystem, "subsystem");
        args = List.copyOf(args);
    }

    /** The sender's identity as text (frames are latin-1 on the wire, vip-zmq.md §1.3). */
    public String senderName() {
        return text(sender);
    }

    /** The recipient's identity as text; empty for the router. */
    public String recipientName() {
        return text(recipient);
    }

    /** The subsystem name as text. */
    public String subsystemName() {
        return text(subsystem);
    }

    /** The MSG_ID as text, for logs. */
    public String msgIdText() {
        return text(msgId);
    }

    /** ARGS frame {@code i} as text, or null when there is no such frame. */
    public String arg(int i) {
        return i < args.size() ? text(args.get(i)) : null;
    }

    /** True when the message is for the router itself (empty RECIPIENT). */
    public boolean isForRouter() {
        return recipient.length == 0;
    }

    /** Latin-1, which maps every byte to one char and back (vip-zmq.md §1.3). */
    public static String text(byte[] frame) {
        return new String(frame, StandardCharsets.ISO_8859_1);
    }

    /** The frame for a text value, latin-1 encoded (vip-zmq.md §1.3: {@code str}). */
    public static byte[] frame(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
