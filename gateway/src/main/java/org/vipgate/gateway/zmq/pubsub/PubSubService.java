package org.vipgate.gateway.zmq.pubsub;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.vip.SendResult;
import org.vipgate.gateway.vip.ThrottledLog;
import org.vipgate.gateway.vip.VipErrors;
import org.vipgate.gateway.vip.ReplyText;
import org.vipgate.gateway.vip.VipMessage;
import org.vipgate.gateway.vip.VipOutbox;

/**
 * The router's built-in {@code pubsub} subsystem (vip-zmq.md §3.2): subscriptions, publish fan-out, list,
 * synchronize, protected topics, and the multi-platform ops of §4.4 ({@code external_list}, {@code external_publish})
 * when {@link #linkPlatforms linked} to other ZMQ platforms.
 *
 * <p>Threading: {@link #handle}, {@link #dropPeer}, {@link #reloadProtectedTopics} and the inspection methods are
 * called on the router thread only; {@link #counters()} may be read from any thread. The service never touches a
 * socket: everything goes through the {@link VipOutbox} given to {@code handle}.
 *
 * <p>Failures never leave {@code handle}: a bad request is answered with an {@code error} message in the layout of
 * §1.7 ({@code [errno, text, '' or peer, 'pubsub']}) to the sender, and logged at WARN with its identity and MSG_ID.
 * Error numbers: 93 unknown op, -32602 malformed request, -32001 protected topic, 105 (ENOBUFS) subscription limit,
 * 11 subscriber's queue full, -32603 internal error.
 *
 * <p>A peer that turns out to be unreachable ({@link SendResult#UNREACHABLE}) loses its subscriptions at once, and,
 * once the request is done, is passed to the {@code onUnreachable} callback (once per identity per request), which the
 * router wires to its peer-drop logic (§1.6 step 6). The callback may call {@link #dropPeer} again; that is harmless.
 */
public final class PubSubService {

    /** The subsystem name. */
    public static final String SUBSYSTEM = "pubsub";
    /** vip-zmq.md §8: the only identity allowed to send {@code auth_update} and {@code protected_update}. */
    public static final String AUTH_IDENTITY = "platform.auth";

    /** jsonrpc.py INVALID_PARAMS: malformed pubsub request. */
    public static final int INVALID_PARAMS = -32602;
    /** jsonrpc.py UNAUTHORIZED: publish to a protected topic without the capabilities (vip-zmq.md §3.2). */
    public static final int UNAUTHORIZED = -32001;
    /** jsonrpc.py INTERNAL_ERROR: a bug in this service. */
    public static final int INTERNAL_ERROR = -32603;
    /** ENOBUFS: a subscribe/synchronize beyond the subscription bounds. */
    public static final int LIMIT_REACHED = 105;

    private static final Logger LOG = LoggerFactory.getLogger(PubSubService.class);
    /** Warnings caused by what peers send, bounded (vip-zmq.md §8: VOLTTRON crashes on some of these). */
    private static final ThrottledLog BAD_INPUT = new ThrottledLog(LOG);
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] TRUE = {1};
    private static final byte[] PUBSUB = frame(SUBSYSTEM);
    private static final byte[] ERROR = frame("error");
    private static final byte[] PUBLISH = frame("publish");
    private static final byte[] REQUEST_RESPONSE = frame("request_response");
    private static final byte[] LIST_RESPONSE = frame("list_response");

    private final PubSubConfig config;
    private final Consumer<String> onUnreachable;
    private final SubscriptionTable table;
    /** RabbitMQ agents' all_platforms prefixes (vip-rabbitmq.md §2.3): announced to other platforms, never fanned out. */
    private final SubscriptionTable otherBusAll;
    private volatile Set<String> otherBusAllSnapshot = Set.of();
    private final ProtectedTopicsFile protectedFile;
    private final PubSubCounters counters = new PubSubCounters();
    private ProtectedTopics protectedTopics = ProtectedTopics.empty();
    private Map<String, UserCapabilities> userCapabilities = Map.of();
    private long lastFileCheck;

    /**
     * Creates the service and, when the config names a protected-topics file, loads it.
     *
     * @param config        bounds, protected-topics file, unknown-publisher policy
     * @param onUnreachable called with the identity of each peer found unreachable while handling a request
     */
    /**
     * A publish that was accepted, for the other bus (vip-rabbitmq.md §2.2 carries the same four fields).
     *
     * @param userId the publisher's USER frame as received; {@code msgId} its MSG_ID
     */
    public record Published(String sender, byte[] userId, byte[] msgId, String topic, String bus, JsonNode headers,
                            JsonNode message) {
    }

    private final List<Consumer<Published>> publishListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Set<String>>> allPrefixesListeners =
            new CopyOnWriteArrayList<>();
    private Set<String> allPrefixes = Set.of();
    private final List<Consumer<Set<String>>> announcedListeners = new CopyOnWriteArrayList<>();
    private Set<String> announced = Set.of();
    private final List<BiConsumer<String, Published>> externalPublishListeners =
            new CopyOnWriteArrayList<>();
    /** Link identity → the platform that named itself in its external_list; router thread only. */
    private final Map<String, String> linkPlatforms = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_LINK_NAMES;
        }
    };
    private static final int MAX_LINK_NAMES = 1_024;

    /**
     * Sends frames in the DEALER view ({@code ['', 'VIP1', user, msg_id, subsystem, args...]}) to another ZMQ
     * platform over its outbound link (vip-zmq.md §4.2); SENT, AGAIN (queue full) or UNREACHABLE (unknown or not
     * connected). Router thread only.
     */
    @FunctionalInterface
    public interface PlatformSender {
        SendResult send(String platform, List<byte[]> frames);
    }

    private static final byte[] EXTERNAL_PUBLISH = frame("external_publish");
    private static final byte[] EXTERNAL_LIST = frame("external_list");
    private String ownInstanceName = "";
    private PlatformSender platformSender = (platform, frames) -> SendResult.UNREACHABLE;
    private final ExternalSubscriptions external;
    private volatile Map<String, List<String>> externalSnapshot = Map.of();

    /**
     * Adds a listener for accepted publishes from ZMQ peers, besides the local subscribers (the RabbitMQ bridge).
     * Listeners are called on the router thread, in the order they were added.
     */
    public void onPublish(Consumer<Published> listener) {
        publishListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Links this service to other ZMQ platforms (vip-zmq.md §4.4): publishes matching their {@code external_list}
     * prefixes go to them through {@code sender}. Call before the router starts.
     */
    public void linkPlatforms(String ownInstanceName, PlatformSender sender) {
        this.ownInstanceName = Objects.requireNonNull(ownInstanceName, "ownInstanceName");
        this.platformSender = Objects.requireNonNull(sender, "sender");
    }

    /**
     * Told, on the router thread, every prefix other platforms must be told of with {@code external_list} whenever
     * that set changes (vip-zmq.md §4.4): the ZMQ peers' {@code all_platforms} prefixes and those RabbitMQ agents
     * asked the proxy for (vip-rabbitmq.md §2.3).
     */
    public void onAnnouncedPrefixes(Consumer<Set<String>> listener) {
        announcedListeners.add(Objects.requireNonNull(listener, "listener"));
        listener.accept(announced);
    }

    /**
     * Told, on the router thread, each publish that another platform sent here with {@code external_publish}
     * (vip-zmq.md §4.4) and the name of that platform, after the local subscribers got it: the bridge hands it to
     * RabbitMQ's {@code all_platforms} subscribers.
     */
    public void onExternalPublish(BiConsumer<String, Published> listener) {
        externalPublishListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The frames of {@code external_list} announcing {@code prefixes} as ours (vip-zmq.md §4.4), DEALER view. */
    public static List<byte[]> externalListFrames(String ownInstanceName, Set<String> prefixes) {
        ObjectNode body = PythonJson.object();
        ArrayNode list = body.putArray(ownInstanceName);
        new TreeSet<>(prefixes).forEach(list::add);
        return List.of(EMPTY, VipMessage.SIGNATURE, EMPTY, EMPTY, PUBSUB, EXTERNAL_LIST,
                PythonJson.dumps(body).getBytes(StandardCharsets.US_ASCII));
    }

    /** The prefixes each other platform asked for with {@code external_list}; any thread. */
    public Map<String, List<String>> externalSubscriptions() {
        return externalSnapshot;
    }

    /**
     * Told, on the router thread, the distinct {@code all_platforms} prefixes whenever that set changes (the bridge
     * binds for them so that publishes of other platforms reach these subscribers, vip-rabbitmq.md §2.4).
     */
    public void onAllPlatformsPrefixes(Consumer<Set<String>> listener) {
        allPrefixesListeners.add(Objects.requireNonNull(listener, "listener"));
        listener.accept(allPrefixes);
    }

    public PubSubService(PubSubConfig config, Consumer<String> onUnreachable) {
        this.config = Objects.requireNonNull(config, "config");
        this.onUnreachable = Objects.requireNonNull(onUnreachable, "onUnreachable");
        this.table = new SubscriptionTable(config.maxPrefixesPerPeer(), config.maxTotalSubscriptions());
        this.otherBusAll = new SubscriptionTable(config.maxPrefixesPerPeer(), config.maxTotalSubscriptions());
        this.external = new ExternalSubscriptions(config.maxPrefixesPerPeer());
        this.protectedFile = config.protectedTopicsFile() == null ? null
                : new ProtectedTopicsFile(config.protectedTopicsFile());
        reloadProtectedTopics();
    }

    /**
     * Handles one message with empty RECIPIENT and subsystem {@code pubsub} (view B). Replies, fan-out copies and
     * errors go to {@code out}. Never throws.
     */
    public void handle(VipMessage request, VipOutbox out) {
        Exchange x = new Exchange(request, out);
        try {
            if (!request.isForRouter() || !SUBSYSTEM.equals(request.subsystemName())) {
                LOG.warn("pubsub: not a pubsub request for the router from '{}' (msg-id '{}', recipient '{}', "
                        + "subsystem '{}'); ignored", x.sender, x.msgId, request.recipientName(),
                        request.subsystemName());
                counters.addIgnored();
                return;
            }
            dispatch(x);
        } catch (InvalidRequestException e) {
            counters.addMalformed();
            BAD_INPUT.warn("invalid request", "pubsub: invalid {} request from '{}' (msg-id '{}'): {}", x.opName(),
                    x.sender, x.msgId, e.getMessage());
            x.error(INVALID_PARAMS, "invalid pubsub " + x.opName() + " request: " + e.getMessage(), "");
        } catch (SubscriptionLimitException e) {
            counters.addOverLimit();
            BAD_INPUT.warn("over limit", "pubsub: {} from '{}' (msg-id '{}') refused: {}", x.opName(), x.sender,
                    x.msgId, e.getMessage());
            x.error(LIMIT_REACHED, "pubsub subscription limit reached: " + e.getMessage(), "");
        } catch (RuntimeException e) {
            LOG.error("pubsub: internal error handling {} from '{}' (msg-id '{}')", x.opName(), x.sender, x.msgId, e);
            try {
                x.error(INTERNAL_ERROR, "internal error handling pubsub " + x.opName() + " request", "");
            } catch (RuntimeException again) {
                LOG.error("pubsub: cannot report the internal error to '{}' (msg-id '{}')", x.sender, x.msgId, again);
            }
        } finally {
            notifyUnreachable(x.unreachable);
            if (!"publish".equals(x.op)) {
                checkAllPrefixes();
            }
        }
    }

    /** Removes all subscriptions of {@code identity} (router: on {@code agentstop} and EHOSTUNREACH). */
    public void dropPeer(String identity) {
        int n = table.drop(identity);
        if (n > 0) {
            LOG.debug("pubsub: dropped {} subscriptions of '{}'", n, identity);
            checkAllPrefixes();
        }
    }

    /**
     * Re-reads the protected-topics file if it changed (publishes also do this, at most once per configured
     * interval). A no-op without a file. A file that fails to parse leaves the current topics in place.
     */
    public void reloadProtectedTopics() {
        if (protectedFile == null) {
            return;
        }
        lastFileCheck = System.nanoTime();
        protectedFile.reloadIfChanged().ifPresent(t -> protectedTopics = t);
    }

    /** The protected topics in force (from the file or the last {@code protected_update}, whichever came last). */
    public ProtectedTopics protectedTopics() {
        return protectedTopics;
    }

    /** Counters for statistics; readable from any thread. */
    public PubSubCounters counters() {
        return counters;
    }

    /** A copy of one peer's subscriptions. */
    public Set<Subscription> subscriptionsOf(String identity) {
        return table.subscriptionsOf(identity);
    }

    /** Subscriptions held for all peers. */
    public int subscriptionCount() {
        return table.size();
    }

    private void dispatch(Exchange x) throws InvalidRequestException, SubscriptionLimitException {
        if (x.op == null) {
            throw new InvalidRequestException("missing frame 6 (operation)");
        }
        switch (x.op) {
            case "subscribe" -> subscribe(x);
            case "unsubscribe" -> unsubscribe(x);
            case "publish" -> publish(x);
            case "list" -> list(x);
            case "synchronize" -> synchronize(x);
            case "auth_update" -> authUpdate(x);
            case "protected_update" -> protectedUpdate(x);
            case "external_list" -> externalList(x);
            case "external_publish" -> externalPublish(x);
            case "error", "request_response" -> {
                // Answers of another platform's router; they are not requests.
                counters.addIgnored();
                LOG.debug("pubsub: ignoring {} from '{}' (msg-id '{}')", x.op, x.sender, x.msgId);
            }
            default -> {
                // vip-zmq.md §3.2/§8: the Python router crashes here; we answer EPROTONOSUPPORT (§1.7 layout).
                counters.addMalformed();
                BAD_INPUT.warn("unknown op", "pubsub: unknown op '{}' from '{}' (msg-id '{}')", x.op, x.sender,
                        x.msgId);
                x.error(VipErrors.UNKNOWN_SUBSYSTEM, VipErrors.UNKNOWN_SUBSYSTEM_TEXT, "");
            }
        }
    }

    // vip-zmq.md §3.2: subscribe → request_response 0x01.
    private void subscribe(Exchange x) throws InvalidRequestException, SubscriptionLimitException {
        PubSubRequests.Subscribe req = PubSubRequests.subscribe(x.request);
        List<Subscription> subs = new ArrayList<>(req.prefixes().size());
        for (String prefix : req.prefixes()) {
            subs.add(new Subscription(req.scope(), req.bus(), prefix));
        }
        table.add(x.sender, subs);
        // vip-zmq.md §4.4: a change of the all_platforms prefixes is announced to other platforms (external_list)
        // by the listeners of checkAllPrefixes, once the request is done.
        LOG.debug("pubsub: '{}' subscribed to {} on bus '{}' ({})", x.sender, req.prefixes(), req.bus(),
                req.scope().key());
        x.reply(REQUEST_RESPONSE, TRUE);
    }

    // vip-zmq.md §3.2: unsubscribe → request_response 0x01, also when nothing was subscribed.
    private void unsubscribe(Exchange x) throws InvalidRequestException {
        for (PubSubRequests.Unsubscribe u : PubSubRequests.unsubscribe(x.request)) {
            if (u.prefixes() == null) {
                table.removeBus(x.sender, u.scope(), u.bus());
            } else {
                for (String prefix : u.prefixes()) {
                    table.remove(x.sender, new Subscription(u.scope(), u.bus(), prefix));
                }
            }
            LOG.debug("pubsub: '{}' unsubscribed from {} on bus '{}' ({})", x.sender,
                    u.prefixes() == null ? "every prefix" : u.prefixes(), u.bus(), u.scope().key());
        }
        x.reply(REQUEST_RESPONSE, TRUE);
    }

    // vip-zmq.md §3.2: publish → protected-topic check, fan-out, request_response <count LE uint32>.
    private void publish(Exchange x) throws InvalidRequestException {
        PubSubRequests.Publish req = PubSubRequests.publish(x.request);
        maybeReloadProtectedTopics();
        String refusal = checkProtected(x.sender, req.topic());
        if (refusal != null) {
            counters.addRefused();
            LOG.warn("pubsub: publish to '{}' by '{}' (msg-id '{}') refused: {}", req.topic(), x.sender, x.msgId,
                    refusal);
            x.error(UNAUTHORIZED, refusal, "");
            x.reply(REQUEST_RESPONSE, uint32(0));
            return;
        }
        Published published = new Published(x.sender, x.request.userId(), x.request.msgId(), req.topic(), req.bus(),
                req.headers(), req.message());
        int sent = fanOut(published, req.topicFrame(), x::send, subscriber ->
                // vip-zmq.md §1.6/§3.2: EAGAIN is reported to the publisher, naming the subscriber.
                x.error(VipErrors.AGAIN, VipErrors.AGAIN_TEXT, subscriber));
        for (Consumer<Published> l : publishListeners) {
            l.accept(published);
        }
        toExternalPlatforms(published, req.topicFrame(), x);
        counters.addPublished();
        counters.addDelivered(sent);
        x.reply(REQUEST_RESPONSE, uint32(sent));
    }

    /**
     * vip-zmq.md §4.4: a local publish goes to each other platform with a matching {@code external_list} prefix as
     * {@code ['', VIP1, <user>, <msg_id>, 'pubsub', 'external_publish', topic, {sender, bus, headers, message}]};
     * a full link is reported to the publisher with error 11.
     */
    private void toExternalPlatforms(Published p, byte[] topicFrame, Exchange x) {
        List<String> platforms = external.platformsFor(p.topic());
        if (platforms.isEmpty()) {
            return;
        }
        List<byte[]> frames = List.of(EMPTY, VipMessage.SIGNATURE, p.userId(), p.msgId(), PUBSUB, EXTERNAL_PUBLISH,
                topicFrame, bodyFrame(p));
        for (String platform : platforms) {
            SendResult r = platformSender.send(platform, frames);
            if (r == SendResult.AGAIN) {
                LOG.warn("pubsub: publish to '{}' by '{}' (msg-id '{}') not sent to platform '{}': its link is full",
                        p.topic(), p.sender(), x.msgId, platform);
                x.error(VipErrors.AGAIN, VipErrors.AGAIN_TEXT, "");
            } else if (r == SendResult.UNREACHABLE) {
                LOG.debug("pubsub: publish to '{}' not sent to platform '{}': not connected", p.topic(), platform);
            }
        }
    }

    // vip-zmq.md §4.4: external_list {<instance>: [prefixes]} replaces that platform's list; own name rejected.
    private void externalList(Exchange x) throws InvalidRequestException, SubscriptionLimitException {
        requireLink(x);
        JsonNode body = PythonJson.parseObject(x.request.arg(1) == null ? "" : x.request.arg(1));
        Iterator<Map.Entry<String, JsonNode>> it = body.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(ownInstanceName)) {
                LOG.warn("pubsub: external_list from '{}' names this platform '{}'; ignored", x.sender, e.getKey());
                continue;
            }
            if (!e.getValue().isArray()) {
                throw new InvalidRequestException("external_list value for '" + e.getKey() + "' must be a list");
            }
            List<String> prefixes = new ArrayList<>();
            for (JsonNode n : e.getValue()) {
                if (!n.isTextual()) {
                    throw new InvalidRequestException("external_list prefixes must be strings");
                }
                prefixes.add(n.textValue());
            }
            external.replace(e.getKey(), prefixes);
            linkPlatforms.put(x.sender, e.getKey());
            LOG.info("pubsub: platform '{}' (link '{}') now has {} all_platforms prefixes: {}", e.getKey(), x.sender,
                    prefixes.size(), prefixes);
        }
        externalSnapshot = external.snapshot();
        x.reply(REQUEST_RESPONSE, TRUE);
    }

    /**
     * vip-zmq.md §4.4 ({@code _external_to_local_publish}): protected-topic check on the USER frame, then fan-out
     * to local {@code internal} and {@code all} subscribers alike, SENDER '' and body.sender = the remote publisher.
     * Nothing is answered and nothing is forwarded further.
     */
    private void externalPublish(Exchange x) throws InvalidRequestException {
        requireLink(x);
        PubSubRequests.Publish req = PubSubRequests.publish(x.request);
        JsonNode sender = PythonJson.parseObject(x.request.arg(2)).get("sender");
        if (sender == null || !sender.isTextual()) {
            throw new InvalidRequestException("\"sender\" must be a string");
        }
        String user = VipMessage.text(x.request.userId());
        maybeReloadProtectedTopics();
        String refusal = user.isEmpty() ? null : checkProtected(user, req.topic());
        if (refusal != null) {
            counters.addRefused();
            LOG.warn("pubsub: external publish to '{}' by '{}' via '{}' (msg-id '{}') refused: {}", req.topic(),
                    sender.textValue(), x.sender, x.msgId, refusal);
            return;
        }
        Published published = new Published(sender.textValue(), x.request.userId(), x.request.msgId(), req.topic(),
                req.bus(), req.headers(), req.message());
        int sent = fanOut(published, req.topicFrame(), x::send, subscriber -> { });
        counters.addPublished();
        counters.addDelivered(sent);
        String platform = platformOf(x.sender);
        for (BiConsumer<String, Published> l : externalPublishListeners) {
            l.accept(platform, published);
        }
    }

    /**
     * The platform behind a link identity: the name it gave in its {@code external_list}, else the second word of
     * {@code instance.<name>.<n>} when that is not our own name (vipgate names its links after itself, VOLTTRON
     * after the platform it connects to, vip-zmq.md §4.2), else {@code external}.
     */
    private String platformOf(String linkIdentity) {
        String named = linkPlatforms.get(linkIdentity);
        if (named != null) {
            return named;
        }
        String[] words = linkIdentity.split("\\.", 3);
        if (words.length >= 2 && !words[1].isEmpty() && !words[1].equals(ownInstanceName)) {
            return words[1];
        }
        return "external";
    }

    /** Platform-to-platform ops come only from another platform's link ({@code instance.*}, vip-zmq.md §4.2). */
    private static void requireLink(Exchange x) throws InvalidRequestException {
        if (!x.sender.startsWith("instance.")) {
            throw new InvalidRequestException(x.op + " is only accepted from another platform's link ('instance.*')");
        }
    }

    private static byte[] bodyFrame(Published p) {
        ObjectNode body = PythonJson.object();
        body.put("sender", p.sender());
        body.put("bus", p.bus());
        body.set("headers", p.headers());
        body.set("message", p.message());
        return PythonJson.dumps(body).getBytes(StandardCharsets.US_ASCII);
    }

    private void checkAnnounced() {
        Set<String> now = new TreeSet<>(allPrefixes);
        now.addAll(otherBusAllSnapshot);
        if (!now.equals(announced)) {
            announced = Set.copyOf(now);
            for (Consumer<Set<String>> l : announcedListeners) {
                try {
                    l.accept(announced);
                } catch (RuntimeException e) {
                    LOG.error("pubsub: an external_list listener failed for {}", announced, e);
                }
            }
        }
    }

    private void checkAllPrefixes() {
        checkAllPrefixesOfZmq();
        checkAnnounced();
    }

    private void checkAllPrefixesOfZmq() {
        Set<String> now = table.prefixes(Scope.ALL);
        if (!now.equals(allPrefixes)) {
            allPrefixes = Set.copyOf(now);
            for (Consumer<Set<String>> l : allPrefixesListeners) {
                try {
                    l.accept(allPrefixes);
                } catch (RuntimeException e) {
                    LOG.error("pubsub: an all_platforms prefix listener failed for {}", allPrefixes, e);
                }
            }
        }
    }

    /** Sends one copy to every local subscriber whose prefix matches; returns how many were sent. */
    private int fanOut(Published p, byte[] topicFrame, BiFunction<String, List<byte[]>, SendResult> send,
                       Consumer<String> onFull) {
        return fanOut(p, topicFrame, EnumSet.allOf(Scope.class), send, onFull);
    }

    private int fanOut(Published p, byte[] topicFrame, Set<Scope> scopes,
                       BiFunction<String, List<byte[]>, SendResult> send, Consumer<String> onFull) {
        byte[] bodyFrame = bodyFrame(p);
        int sent = 0;
        for (String subscriber : table.subscribers(p.bus(), p.topic(), scopes)) {
            // vip-zmq.md §3.2: [subscriber, '', VIP1, <publisher's USER>, <publisher's MSG_ID>, pubsub, publish,
            // topic, body]; the publisher is in body.sender.
            List<byte[]> frames = List.of(frame(subscriber), EMPTY, VipMessage.SIGNATURE, p.userId(), p.msgId(),
                    PUBSUB, PUBLISH, topicFrame, bodyFrame);
            SendResult r = send.apply(subscriber, frames);
            switch (r) {
                case SENT -> sent++;
                case UNREACHABLE -> counters.addUndelivered();
                case AGAIN -> {
                    counters.addUndelivered();
                    LOG.debug("pubsub: '{}' cannot take publish to '{}' from '{}': queue full", subscriber,
                            p.topic(), p.sender());
                    onFull.accept(subscriber);
                }
            }
        }
        return sent;
    }

    /**
     * Delivers a publish that came from the other bus to the local subscribers (not back to the other bus).
     * Router thread only. Returns how many copies were sent.
     */
    public int publishFromOtherBus(Published p, VipOutbox out) {
        int sent = fanOut(p, frame(p.topic()), (subscriber, frames) -> out.send(frames), subscriber -> { });
        counters.addPublished();
        counters.addDelivered(sent);
        return sent;
    }

    /**
     * Delivers a publish made on another platform (seen on RabbitMQ with another instance in its key) to the
     * {@code all_platforms} subscribers only: vip-rabbitmq.md §2.4, a local subscription does not match forwarded
     * keys. Router thread only. Returns how many copies were sent.
     */
    public int publishFromOtherPlatform(Published p, VipOutbox out) {
        int sent = fanOut(p, frame(p.topic()), EnumSet.of(Scope.ALL), (subscriber, frames) -> out.send(frames),
                subscriber -> { });
        counters.addPublished();
        counters.addDelivered(sent);
        return sent;
    }

    /**
     * A RabbitMQ agent's pubsub request sent to the proxy (vip-rabbitmq.md §2.3: {@code subscribe} with
     * {@code all_platforms}, and {@code unsubscribe}). Its prefixes are kept apart from the ZMQ subscriptions: the
     * agent receives publishes through its own queues, so they are only what other platforms must be told of
     * (vip-zmq.md §4.4 {@code external_list}). Nothing is answered: VOLTTRON's agent does not wait for a reply.
     * Router thread only; never throws.
     */
    public void handleFromOtherBus(VipMessage request) {
        String sender = request.senderName();
        String op = request.arg(0);
        try {
            if ("subscribe".equals(op)) {
                PubSubRequests.Subscribe req = PubSubRequests.subscribe(request);
                if (req.scope() != Scope.ALL) {
                    counters.addIgnored();
                    return; // a local RabbitMQ subscription needs nothing from the proxy
                }
                List<Subscription> subs = new ArrayList<>();
                req.prefixes().forEach(p -> subs.add(new Subscription(Scope.ALL, req.bus(), p)));
                otherBusAll.add(sender, subs);
                LOG.info("pubsub: RabbitMQ agent '{}' subscribed to {} on all platforms", sender, req.prefixes());
            } else if ("unsubscribe".equals(op)) {
                for (PubSubRequests.Unsubscribe u : PubSubRequests.unsubscribe(request)) {
                    if (u.prefixes() == null) {
                        otherBusAll.removeBus(sender, Scope.ALL, u.bus());
                    } else {
                        u.prefixes().forEach(p -> otherBusAll.remove(sender, new Subscription(Scope.ALL, u.bus(), p)));
                    }
                }
            } else {
                counters.addIgnored();
                LOG.warn("pubsub: ignoring '{}' from RabbitMQ agent '{}' (msg-id '{}') sent to the proxy", op, sender,
                        request.msgIdText());
            }
            otherBusAllSnapshot = Set.copyOf(otherBusAll.prefixes(Scope.ALL));
            checkAnnounced();
        } catch (InvalidRequestException | SubscriptionLimitException e) {
            counters.addMalformed();
            LOG.warn("pubsub: {} from RabbitMQ agent '{}' (msg-id '{}') refused: {}", op, sender, request.msgIdText(),
                    e.getMessage());
        }
    }

    /** The all_platforms prefixes RabbitMQ agents asked the proxy for, over every bus; readable from any thread. */
    public Set<String> otherBusAllPlatformsPrefixes() {
        return otherBusAllSnapshot;
    }

    // vip-zmq.md §3.2: list → ['list_response', JSON [[bus, prefix, is_member], ...]].
    private void list(Exchange x) throws InvalidRequestException {
        PubSubRequests.ListQuery q = PubSubRequests.list(x.request);
        ArrayNode result = PythonJson.array();
        for (SubscriptionTable.ListEntry e : table.list(x.sender, q.scope(), q.bus(), q.prefix(), q.reverse(),
                q.subscribed())) {
            result.addArray().add(e.bus()).add(e.prefix()).add(e.member());
        }
        x.reply(LIST_RESPONSE, PythonJson.dumps(result).getBytes(StandardCharsets.US_ASCII));
    }

    // vip-zmq.md §3.2, §7 item 6: synchronize replaces all of the sender's subscriptions; no reply.
    private void synchronize(Exchange x) throws InvalidRequestException, SubscriptionLimitException {
        String conn = x.request.arg(1);
        if (conn == null) {
            throw new InvalidRequestException("missing frame 7 ('connected')");
        }
        if (!"connected".equals(conn)) {
            counters.addIgnored();
            LOG.debug("pubsub: ignoring synchronize '{}' from '{}' (msg-id '{}')", conn, x.sender, x.msgId);
            return;
        }
        Set<Subscription> subs = PubSubRequests.synchronize(x.request);
        table.replace(x.sender, subs);
        LOG.debug("pubsub: '{}' synchronized {} subscriptions", x.sender, subs.size());
    }

    // vip-zmq.md §3.2, §8: only platform.auth may replace the capabilities map; no reply.
    private void authUpdate(Exchange x) throws InvalidRequestException {
        if (!fromAuth(x)) {
            return;
        }
        userCapabilities = Map.copyOf(PubSubRequests.authUpdate(x.request));
        LOG.debug("pubsub: capabilities of {} users updated by '{}'", userCapabilities.size(), x.sender);
    }

    // vip-zmq.md §3.2, §8: only platform.auth may replace the protected topics; no reply.
    private void protectedUpdate(Exchange x) throws InvalidRequestException {
        if (!fromAuth(x)) {
            return;
        }
        protectedTopics = PubSubRequests.protectedUpdate(x.request);
        LOG.info("pubsub: protected topics replaced by '{}': {} entries", x.sender, protectedTopics.size());
    }

    private boolean fromAuth(Exchange x) {
        if (AUTH_IDENTITY.equals(x.sender)) {
            return true;
        }
        counters.addIgnored();
        BAD_INPUT.warn("not from auth", "pubsub: ignoring {} from '{}' (msg-id '{}'): only {} may send it", x.op,
                x.sender, x.msgId, AUTH_IDENTITY);
        return false;
    }

    /**
     * vip-zmq.md §3.2 ({@code _check_if_protected_topic}): null when {@code user} may publish to {@code topic},
     * else VOLTTRON's error text. A user absent from the {@code auth_update} map may publish unless
     * {@link PubSubConfig#allowUnknownPublishers()} is false.
     */
    private String checkProtected(String user, String topic) {
        List<String> required = protectedTopics.requiredCapabilities(topic);
        if (required.isEmpty()) {
            return null;
        }
        UserCapabilities caps = userCapabilities.get(user);
        if (caps == null) {
            return config.allowUnknownPublishers() ? null : refusalText(topic, required, "None");
        }
        return caps.names().containsAll(required) ? null : refusalText(topic, required, caps.repr());
    }

    private static String refusalText(String topic, List<String> required, String provided) {
        ArrayNode req = PythonJson.array();
        required.forEach(req::add);
        return "to publish to topic \"" + topic + "\" requires capabilities " + PythonJson.repr(req)
                + ", but capability list " + provided + " was provided";
    }

    private void maybeReloadProtectedTopics() {
        if (protectedFile != null
                && System.nanoTime() - lastFileCheck >= config.protectedTopicsCheckInterval().toNanos()) {
            reloadProtectedTopics();
        }
    }

    private void notifyUnreachable(Set<String> identities) {
        for (String identity : identities) {
            try {
                onUnreachable.accept(identity);
            } catch (RuntimeException e) {
                LOG.error("pubsub: onUnreachable callback failed for '{}'", identity, e);
            }
        }
    }

    /** vip-zmq.md §1.3, §7 item 8: int → 4-byte little-endian unsigned. */
    static byte[] uint32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    /** Latin-1 (vip-zmq.md §1.3); chars above U+00FF become '?'. */
    private static byte[] frame(String text) {
        return VipMessage.frame(text);
    }

    /** One request being handled: who asked, where replies go, who turned out unreachable. */
    private final class Exchange {
        final VipMessage request;
        final VipOutbox out;
        final String sender;
        final String msgId;
        final String op;
        final Set<String> unreachable = new LinkedHashSet<>();

        Exchange(VipMessage request, VipOutbox out) {
            this.request = request;
            this.out = out;
            this.sender = request.senderName();
            this.msgId = request.msgIdText();
            this.op = request.arg(0);
        }

        String opName() {
            return op == null ? "(no op)" : op;
        }

        /** Sends; an unreachable recipient loses its subscriptions now and is reported after the request. */
        SendResult send(String recipient, List<byte[]> frames) {
            SendResult r = out.send(frames);
            if (r == SendResult.UNREACHABLE) {
                LOG.debug("pubsub: '{}' is unreachable (while handling {} from '{}', msg-id '{}')", recipient,
                        opName(), sender, msgId);
                table.drop(recipient);
                unreachable.add(recipient);
            }
            return r;
        }

        /** vip-zmq.md §3.2: reply to the sender, USER = sender identity, same MSG_ID, empty SENDER. */
        void reply(byte[] kind, byte[] value) {
            sendToSender(List.of(request.sender(), EMPTY, VipMessage.SIGNATURE, request.sender(), request.msgId(),
                    PUBSUB, kind, value));
        }

        /** vip-zmq.md §1.7: [errno ASCII, text, recipient or '', 'pubsub'], USER = sender identity, same MSG_ID. */
        void error(int errno, String text, String recipient) {
            sendToSender(List.of(request.sender(), EMPTY, VipMessage.SIGNATURE, request.sender(),
                    ReplyText.frame(request.msgId()), ERROR, frame(Integer.toString(errno)), frame(text), frame(recipient), PUBSUB));
        }

        private void sendToSender(List<byte[]> frames) {
            if (send(sender, frames) == SendResult.AGAIN) {
                LOG.debug("pubsub: reply to '{}' (msg-id '{}') dropped: its queue is full", sender, msgId);
            }
        }
    }
}
