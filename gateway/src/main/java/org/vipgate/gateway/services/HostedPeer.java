package org.vipgate.gateway.services;

import java.util.List;
import org.vipgate.gateway.vip.VipMessage;

/**
 * A platform peer that lives inside vipgate (docs/protocol/platform-services.md): agents address it by VIP identity
 * as they would address VOLTTRON's own {@code config.store} or {@code platform.auth}, over ZeroMQ or, when vipgate is
 * the site's RabbitMQ router, over RabbitMQ.
 *
 * <p>Runs on the router thread only: {@link #receive} and {@link #tick} must not block and must not throw for bad
 * input. Messages leave through the {@link ServiceLink} they are given.
 */
public interface HostedPeer {

    /** The identities it answers to; the first names it in logs. */
    List<String> identities();

    /**
     * True when no agent may connect under these identities (the platform's own services); false when the peer only
     * stands in while no agent holds the identity.
     */
    boolean reserved();

    /**
     * One message addressed to one of {@link #identities()}: SENDER is the caller, RECIPIENT the identity it used,
     * USER_ID what the router vouches for (the caller's identity for a ZMQ agent).
     */
    void receive(VipMessage message, ServiceLink link);

    /** Called on every turn of the router loop, for time-outs. */
    default void tick(long nowNanos, ServiceLink link) {
    }

    /** A ZMQ peer left the platform. */
    default void peerLeft(String identity) {
    }
}
