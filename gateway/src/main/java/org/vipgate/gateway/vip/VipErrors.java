package org.vipgate.gateway.vip;

/** The VIP error numbers and texts the router sends (vip-zmq.md §1.7: Linux errno values, os.strerror texts). */
public final class VipErrors {

    /** EHOSTUNREACH: the recipient is not connected. */
    public static final int UNREACHABLE = 113;
    public static final String UNREACHABLE_TEXT = "No route to host";
    /** EAGAIN: the recipient's queue is full, or vipgate's own bound is reached. */
    public static final int AGAIN = 11;
    public static final String AGAIN_TEXT = "Resource temporarily unavailable";
    /** EPROTONOSUPPORT: no such subsystem. */
    public static final int UNKNOWN_SUBSYSTEM = 93;
    public static final String UNKNOWN_SUBSYSTEM_TEXT = "Protocol not supported";

    /** EINVAL: a message the bridge cannot carry (it cannot be put in VOLTTRON's AMQP form). */
    public static final int INVALID = 22;
    public static final String INVALID_TEXT = "Invalid argument";

    private VipErrors() {
    }
}
