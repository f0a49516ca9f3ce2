package org.vipgate.gateway.zmq;

import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Sockets besides the ROUTER that the router thread owns (e.g. the outbound links to other platforms, vip-zmq.md
 * §4.2): created, read and closed on the router thread only, so that no socket is ever used by two threads.
 */
public interface RouterSockets {

    /** Creates the sockets in {@code context} and registers whatever should wake the router in {@code poller}. */
    void open(ZContext context, ZMQ.Poller poller);

    /** Reads whatever is waiting, without blocking; called after every poll. Must not throw for bad input. */
    void pump();

    /** Closes the sockets; called once when the router thread ends. Never throws. */
    void close(ZContext context);
}
