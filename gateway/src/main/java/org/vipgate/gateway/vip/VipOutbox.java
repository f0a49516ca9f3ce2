package org.vipgate.gateway.vip;

import java.util.List;

/**
 * Where services hand messages that the router sends. Only the router thread calls it; it never blocks.
 */
public interface VipOutbox {

    /**
     * Sends one message in the router's sending view (vip-zmq.md §1.1, view C): frame 0 is the recipient's routing
     * id, then SENDER (empty for the router), {@code VIP1}, USER_ID, MSG_ID, SUBSYSTEM, ARGS.
     */
    SendResult send(List<byte[]> frames);
}
