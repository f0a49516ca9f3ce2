package org.vipgate.gateway.vip;

/** What became of one message handed to the router's socket (vip-zmq.md §1.6, step 6). */
public enum SendResult {
    /** Queued for the peer. */
    SENT,
    /** No peer with that identity is connected (EHOSTUNREACH, 113). */
    UNREACHABLE,
    /** The peer's queue is full (EAGAIN, 11); nothing was sent. */
    AGAIN
}
