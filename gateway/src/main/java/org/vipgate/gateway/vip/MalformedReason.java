package org.vipgate.gateway.vip;

/** Why the router dropped a frame set (vip-zmq.md §1.6 steps 1-2, plus vipgate's size bounds). */
public enum MalformedReason {
    /** Fewer than 6 frames in the router's view, and not a router probe. */
    TOO_FEW_FRAMES("too few frames"),
    /** Frame 2 is not {@code VIP1}. */
    BAD_SIGNATURE("bad VIP signature"),
    /** The SUBSYSTEM frame is empty or only white space. */
    EMPTY_SUBSYSTEM("empty subsystem"),
    /** More frames than {@link VipCodec.Limits#maxFrames()}. */
    TOO_MANY_FRAMES("too many frames"),
    /** The frames add up to more than {@link VipCodec.Limits#maxMessageBytes()}. */
    MESSAGE_TOO_LARGE("message too large");

    private final String text;

    MalformedReason(String text) {
        this.text = text;
    }

    /** The reason as VOLTTRON's tracker names it, e.g. {@code bad VIP signature} (vip-zmq.md §6). */
    public String text() {
        return text;
    }
}
