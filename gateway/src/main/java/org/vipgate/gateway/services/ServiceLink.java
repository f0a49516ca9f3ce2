package org.vipgate.gateway.services;

import java.util.List;

/** What a {@link HostedPeer} can do on the platform; router thread only. */
public interface ServiceLink {

    /**
     * Sends a message from {@code from} (one of the service's identities) to {@code to}, routed as a peer's message
     * is: to a ZMQ agent, to another hosted peer, or over the other bus. SENDER and USER_ID are {@code from}. A
     * failure comes back to {@code from} as a VIP {@code error} message with the same msg-id.
     */
    void send(String from, String to, byte[] msgId, String subsystem, List<byte[]> args);

    /** True when {@code identity} is a connected ZMQ agent. */
    boolean isPeer(String identity);

    /** The connected ZMQ agents, in joining order. */
    List<String> peers();

    /** True when recipients that are not ZMQ agents are looked for on the other bus (RabbitMQ). */
    boolean hasOtherBus();
}
