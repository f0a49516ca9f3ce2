package org.vipgate.gateway.zmq.external;

/** The state of an outbound link to another platform, from its socket monitor (vip-zmq.md §4.2). */
public enum LinkState {
    /** Not connected yet since start (or the connection is delayed / being retried). */
    CONNECTING,
    /** The TCP connection is up (monitor event CONNECTED): messages may be sent. */
    CONNECTED,
    /** The connection was lost (monitor event DISCONNECTED); ZeroMQ reconnects by itself. */
    DISCONNECTED,
    /** The remote platform refused our CURVE key (its ZAP answered 400); the link is re-made after a back-off. */
    REFUSED
}
