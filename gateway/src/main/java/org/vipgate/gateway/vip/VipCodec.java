package org.vipgate.gateway.vip;

import java.util.Arrays;
import java.util.List;

/**
 * Turns the frames the router receives into {@link Decoded} values, and builds the frames it sends.
 *
 * <p>Decoding never throws: anything that is not a VIP message is a {@link Decoded.Malformed} with its reason.
 * Routed frames are never re-encoded (vip-zmq.md §1.3).
 */
public final class VipCodec {

    /**
     * Bounds on what the router accepts. The per-frame bound is enforced by the socket ({@code ZMQ_MAXMSGSIZE}).
     *
     * @param maxFrames       most frames in one message (view B)
     * @param maxMessageBytes most bytes in all frames of one message together
     * @param maxFrameBytes   most bytes in one frame
     */
    public record Limits(int maxFrames, long maxMessageBytes, long maxFrameBytes) {

        /** A JSON-RPC call with a few hundred arguments fits easily. */
        public static final int DEFAULT_MAX_FRAMES = 1_024;
        /** 64 MiB: far above any VOLTTRON message, small enough that a peer cannot exhaust the heap alone. */
        public static final long DEFAULT_MAX_MESSAGE_BYTES = 64L << 20;
        /** One frame may use the whole message budget. */
        public static final long DEFAULT_MAX_FRAME_BYTES = DEFAULT_MAX_MESSAGE_BYTES;

        public static Limits defaults() {
            return new Limits(DEFAULT_MAX_FRAMES, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_FRAME_BYTES);
        }
    }

    /** vip-zmq.md §1.6: the router needs at least 6 frames in its view. */
    public static final int MIN_FRAMES = 6;
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] ERROR = {'e', 'r', 'r', 'o', 'r'};
    /** The RabbitMQ router's identity as the bridge gives it (sender of its errors). */
    private static final byte[] ROUTER = {'r', 'o', 'u', 't', 'e', 'r'};

    private final Limits limits;

    public VipCodec(Limits limits) {
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    /** Decodes frames in the router's receiving view (vip-zmq.md §1.1, view B). */
    public Decoded decode(List<byte[]> frames) {
        byte[] sender = frames.isEmpty() ? EMPTY : frames.get(0);
        if (frames.size() > limits.maxFrames()) {
            return new Decoded.Malformed(sender, MalformedReason.TOO_MANY_FRAMES);
        }
        long total = 0;
        for (byte[] f : frames) {
            total += f.length;
        }
        if (total > limits.maxMessageBytes()) {
            return new Decoded.Malformed(sender, MalformedReason.MESSAGE_TOO_LARGE);
        }
        if (frames.size() < MIN_FRAMES) {
            // vip-zmq.md §1.6 step 1: exactly [identity, ''] is a router probe.
            if (frames.size() == 2 && sender.length > 0 && frames.get(1).length == 0) {
                return new Decoded.Probe(sender);
            }
            return new Decoded.Malformed(sender, MalformedReason.TOO_FEW_FRAMES);
        }
        if (!Arrays.equals(frames.get(2), VipMessage.SIGNATURE)) {
            return new Decoded.Malformed(sender, MalformedReason.BAD_SIGNATURE);
        }
        byte[] subsystem = frames.get(5);
        if (isBlank(subsystem)) {
            return new Decoded.Malformed(sender, MalformedReason.EMPTY_SUBSYSTEM);
        }
        return new Decoded.Message(new VipMessage(sender, frames.get(1), frames.get(3), frames.get(4), subsystem,
                frames.subList(6, frames.size())));
    }

    /** As {@code text(frame).isBlank()}, without making the text: every latin-1 char is white space. */
    private static boolean isBlank(byte[] frame) {
        for (byte b : frame) {
            if (!Character.isWhitespace((char) (b & 0xff))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Frames that forward a message to its recipient (vip-zmq.md §1.1, §1.4): sender and recipient swapped,
     * USER_ID set to the sender's identity, every other frame byte for byte.
     */
    public static List<byte[]> forward(VipMessage m) {
        return frames(m.recipient(), m.sender(), m.sender(), m.msgId(), m.subsystem(), m.args());
    }

    /**
     * Frames that relay a message from the other bus to a ZMQ peer as it came (vip-zmq.md §4.5): SENDER is the
     * RabbitMQ agent, USER_ID what it carried.
     */
    public static List<byte[]> relay(VipMessage m) {
        // an error the other bus's router made (vipgate's router role, or VOLTTRON's) is a router reply: its msg-id
        // must come back to the ZMQ caller as the text it sent (ReplyText)
        byte[] msgId = Arrays.equals(m.subsystem(), ERROR) && Arrays.equals(m.sender(), ROUTER)
                ? ReplyText.frame(m.msgId()) : m.msgId();
        return frames(m.recipient(), m.sender(), m.userId(), msgId, m.subsystem(), m.args());
    }

    /** A message from the router itself (SENDER empty) to {@code to}. */
    public static List<byte[]> fromRouter(byte[] to, byte[] userId, byte[] msgId, byte[] subsystem,
                                          List<byte[]> args) {
        return frames(to, EMPTY, userId, msgId, subsystem, args);
    }

    /**
     * A VIP error to the sender of {@code original} (vip-zmq.md §1.7): subsystem {@code error}, ARGS = errno as
     * ASCII decimal, message, the original recipient, the original subsystem; the same MSG_ID, written so that the
     * sender's JSON decoding gives back the id it sent ({@link ReplyText}).
     */
    public static List<byte[]> error(VipMessage original, byte[] userId, int errno, String text) {
        return fromRouter(original.sender(), userId, ReplyText.frame(original.msgId()), VipMessage.frame("error"),
                List.of(VipMessage.frame(Integer.toString(errno)), VipMessage.frame(text),
                        ReplyText.frame(original.recipient()), original.subsystem()));
    }

    private static List<byte[]> frames(byte[] to, byte[] from, byte[] userId, byte[] msgId, byte[] subsystem,
                                       List<byte[]> args) {
        byte[][] out = new byte[6 + args.size()][];
        out[0] = to;
        out[1] = from;
        out[2] = VipMessage.SIGNATURE;
        out[3] = userId;
        out[4] = msgId;
        out[5] = subsystem;
        for (int i = 0; i < args.size(); i++) {
            out[6 + i] = args.get(i);
        }
        return Arrays.asList(out);
    }
}
