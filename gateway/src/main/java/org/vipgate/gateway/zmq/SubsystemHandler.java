package org.vipgate.gateway.zmq;

import org.vipgate.gateway.vip.VipMessage;
import org.vipgate.gateway.vip.VipOutbox;

/** A service the router hands messages for one subsystem to (e.g. {@code pubsub}); runs on the router thread. */
@FunctionalInterface
public interface SubsystemHandler {

    /** Handles one message addressed to the router; replies through {@code out}. Must not throw for bad input. */
    void handle(VipMessage message, VipOutbox out);
}
