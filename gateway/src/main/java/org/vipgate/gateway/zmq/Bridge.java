package org.vipgate.gateway.zmq;

import java.nio.channels.SelectableChannel;
import org.vipgate.gateway.vip.VipMessage;
import org.vipgate.gateway.vip.VipOutbox;

/**
 * The other bus, seen from the router thread: messages for recipients that are not ZMQ peers go to it, and
 * messages from it for ZMQ peers come back through {@link #deliver}. Implementations never block the caller.
 */
public interface Bridge {

    /** What became of a message handed to the bridge. */
    enum Outcome {
        /** Taken; the bridge answers for it from now on. */
        ACCEPTED,
        /** The bridge's bounded queue is full: answer the sender with VIP error 11. */
        FULL,
        /** The message cannot be carried (e.g. it cannot be mapped); answer the sender with an error. */
        REJECTED
    }

    /** Takes a message from a ZMQ peer for a recipient that is not a ZMQ peer. */
    Outcome toOtherBus(VipMessage message);

    /**
     * Takes a message from a peer of another platform, {@code senderPlatform} (an external RPC reply, vip-zmq.md
     * §4.3), for a recipient of this platform that is not a ZMQ peer.
     */
    Outcome toOtherBus(VipMessage message, String senderPlatform);

    /** Something the router's poller wakes up for when messages for ZMQ peers are waiting. */
    SelectableChannel wakeup();

    /** Sends waiting messages for ZMQ peers through {@code out}, at most {@code max}; router thread only. */
    void deliver(VipOutbox out, int max);

    /** A ZMQ peer joined: replies and calls for it must reach the router (router thread; must not block). */
    void peerAdded(String identity);

    /** A ZMQ peer left (router thread; must not block). */
    void peerDropped(String identity);
}
