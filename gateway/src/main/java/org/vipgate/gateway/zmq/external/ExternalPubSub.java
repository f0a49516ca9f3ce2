package org.vipgate.gateway.zmq.external;

import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.vip.SendResult;
import org.vipgate.gateway.zmq.pubsub.PubSubService;

/**
 * Joins the pubsub service to the links (vip-zmq.md §4.4): our {@code all_platforms} prefixes (the ZMQ peers' and
 * those RabbitMQ agents asked the proxy for, vip-rabbitmq.md §2.3) go to every CONNECTED platform as
 * {@code external_list} when a link connects and whenever the set changes; local publishes go out as
 * {@code external_publish} through {@link #send}. Router thread only (wired before the router starts).
 */
public final class ExternalPubSub {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalPubSub.class);

    private final PubSubService pubsub;
    private final ExternalLinks links;
    private Set<String> prefixes = Set.of();

    private ExternalPubSub(PubSubService pubsub, ExternalLinks links) {
        this.pubsub = pubsub;
        this.links = links;
    }

    /** Wires {@code pubsub} and {@code links} together; call before the router starts. */
    public static ExternalPubSub wire(PubSubService pubsub, ExternalLinks links) {
        ExternalPubSub x = new ExternalPubSub(pubsub, links);
        pubsub.linkPlatforms(links.ownName(), x::send);
        links.onConnected(x::announceTo);
        pubsub.onAnnouncedPrefixes(x::prefixesChanged);
        return x;
    }

    private void prefixesChanged(Set<String> now) {
        prefixes = Set.copyOf(now);
        links.connected().forEach(this::announceTo);
    }

    private void announceTo(String platform) {
        LinkSend r = links.send(platform, PubSubService.externalListFrames(links.ownName(), prefixes));
        if (r instanceof LinkSend.Sent) {
            LOG.debug("pubsub: told platform '{}' our all_platforms prefixes {}", platform, prefixes);
        } else {
            LOG.warn("pubsub: could not tell platform '{}' our all_platforms prefixes ({}); its subscribers' view"
                    + " is stale until the next change or reconnect", platform, r);
        }
    }

    /** {@link PubSubService.PlatformSender} over the links. */
    SendResult send(String platform, List<byte[]> frames) {
        LinkSend r = links.send(platform, frames);
        if (r instanceof LinkSend.Sent) {
            return SendResult.SENT;
        }
        return r instanceof LinkSend.Full ? SendResult.AGAIN : SendResult.UNREACHABLE;
    }
}
