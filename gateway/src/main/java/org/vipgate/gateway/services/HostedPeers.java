package org.vipgate.gateway.services;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.vip.VipMessage;

/**
 * The platform's hosted peers by identity, and the bounded inbox through which the router hands them messages.
 *
 * <p>Messages are queued rather than handed over in the middle of a send, so that a service answering a message (and
 * the router answering the service) never recurses; the router drains the inbox after every batch. Router thread
 * only.
 */
public final class HostedPeers {

    /** Messages waiting for services; beyond it the sender is told error 11 (busy), nothing is held. */
    public static final int MAX_INBOX = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(HostedPeers.class);

    private record Waiting(HostedPeer peer, VipMessage message) {
    }

    private final Map<String, HostedPeer> byIdentity = new LinkedHashMap<>();
    private final List<HostedPeer> all;
    private final ArrayDeque<Waiting> inbox = new ArrayDeque<>();
    /** The identities as frames, to find a routing id without decoding it on every send. */
    private final List<byte[]> identityFrames = new ArrayList<>();

    public HostedPeers(List<HostedPeer> peers) {
        this.all = List.copyOf(peers);
        for (HostedPeer p : all) {
            for (String identity : p.identities()) {
                if (byIdentity.putIfAbsent(identity, p) != null) {
                    throw new IllegalArgumentException("two hosted peers answer to '" + identity + "'");
                }
                identityFrames.add(VipMessage.frame(identity));
            }
        }
    }

    /** None: a router without platform services. */
    public static HostedPeers none() {
        return new HostedPeers(List.of());
    }

    /** True when no agent may use {@code identity}. */
    public boolean isReserved(String identity) {
        HostedPeer p = byIdentity.get(identity);
        return p != null && p.reserved();
    }

    /**
     * True when a message for {@code identity} goes to a hosted peer: always for a reserved identity, for a
     * stand-in only while no agent in {@code connected} holds it.
     */
    public boolean answers(String identity, Predicate<String> connected) {
        HostedPeer p = byIdentity.get(identity);
        return p != null && (p.reserved() || !connected.test(identity));
    }

    /** The hosted identity that {@code routingId} names, or null (most sends: no text is made then). */
    public String identityOf(byte[] routingId) {
        for (byte[] f : identityFrames) {
            if (java.util.Arrays.equals(f, routingId)) {
                return VipMessage.text(f);
            }
        }
        return null;
    }

    /** Every identity a hosted peer answers to, reserved ones first. */
    public List<String> identities() {
        List<String> out = new ArrayList<>();
        all.stream().filter(HostedPeer::reserved).forEach(p -> out.addAll(p.identities()));
        all.stream().filter(p -> !p.reserved()).forEach(p -> out.addAll(p.identities()));
        return out;
    }

    /** The reserved identities. */
    public Set<String> reservedIdentities() {
        Set<String> out = new java.util.LinkedHashSet<>();
        all.stream().filter(HostedPeer::reserved).forEach(p -> out.addAll(p.identities()));
        return out;
    }

    /** Queues a message for the peer answering {@code message.recipient}; false when the inbox is full. */
    public boolean offer(VipMessage message) {
        HostedPeer p = byIdentity.get(message.recipientName());
        if (p == null) {
            throw new IllegalArgumentException("no hosted peer answers to '" + message.recipientName() + "'");
        }
        if (inbox.size() >= MAX_INBOX) {
            return false;
        }
        inbox.add(new Waiting(p, message));
        return true;
    }

    /** Hands queued messages to their services (also those queued meanwhile), then lets every service tick. */
    public void run(ServiceLink link) {
        int budget = MAX_INBOX;
        Waiting w;
        while (budget-- > 0 && (w = inbox.poll()) != null) {
            try {
                w.peer().receive(w.message(), link);
            } catch (RuntimeException e) {
                LOG.error("platform service '{}' failed on {} message {} from '{}'; the message is dropped (a bug in"
                                + " vipgate: please report it with this log)", w.peer().identities().get(0),
                        w.message().subsystemName(), w.message().msgIdText(), w.message().senderName(), e);
            }
        }
        long now = System.nanoTime();
        for (HostedPeer p : all) {
            try {
                p.tick(now, link);
            } catch (RuntimeException e) {
                LOG.error("platform service '{}' failed on its timer (a bug in vipgate)", p.identities().get(0), e);
            }
        }
    }

    /** A ZMQ agent left; every service hears of it. */
    public void peerLeft(String identity) {
        for (HostedPeer p : all) {
            p.peerLeft(identity);
        }
    }

    /** True when messages wait. */
    public boolean hasWork() {
        return !inbox.isEmpty();
    }
}
