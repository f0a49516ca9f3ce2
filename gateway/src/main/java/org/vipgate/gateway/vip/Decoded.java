package org.vipgate.gateway.vip;

/** What a frame set received by the router is (vip-zmq.md §1.6). */
public sealed interface Decoded {

    /** A well-formed VIP message. */
    record Message(VipMessage message) implements Decoded {
    }

    /** A router probe: two frames, the sender's identity and an empty frame; the sender becomes a peer. */
    record Probe(byte[] sender) implements Decoded {
    }

    /** Dropped; counted by reason. {@code sender} is the routing id when there was one (else empty). */
    record Malformed(byte[] sender, MalformedReason reason) implements Decoded {
    }
}
