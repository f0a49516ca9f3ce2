package org.vipgate.gateway.zmq.external;

/** What became of a message handed to {@link ExternalLinks#send}. */
public sealed interface LinkSend {

    /** Queued on the platform's outbound link. */
    record Sent(String platform) implements LinkSend {
    }

    /** No such platform in the discovery file (VOLTTRON drops silently; vipgate answers 113). */
    record UnknownPlatform(String platform) implements LinkSend {
    }

    /** The platform is known but its link is not CONNECTED. */
    record NotConnected(String platform, LinkState state) implements LinkSend {
    }

    /** The link's bounded queue is full (EAGAIN). */
    record Full(String platform) implements LinkSend {
    }
}
