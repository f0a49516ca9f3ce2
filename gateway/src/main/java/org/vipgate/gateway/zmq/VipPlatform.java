package org.vipgate.gateway.zmq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.PlatformConfig;
import org.vipgate.gateway.config.VipgateSettings;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.gateway.services.PlatformServices;
import org.vipgate.gateway.vip.MalformedReason;
import org.vipgate.gateway.zmq.auth.AuthFile;
import org.vipgate.gateway.zmq.auth.PendingAuthentications;
import org.vipgate.gateway.zmq.auth.PlatformKeystore;
import org.vipgate.gateway.zmq.auth.ZapHandler;
import org.vipgate.gateway.zmq.external.DiscoveryFileWatch;
import org.vipgate.gateway.zmq.external.DiscoveryFiles;
import org.vipgate.gateway.zmq.external.DiscoveryTrust;
import org.vipgate.gateway.zmq.external.ExternalLinks;
import org.vipgate.gateway.zmq.external.ExternalPlatform;
import org.vipgate.gateway.zmq.external.ExternalPubSub;
import org.vipgate.gateway.zmq.external.ExternalRpc;
import org.vipgate.gateway.zmq.external.PlatformDiscovery;
import org.vipgate.gateway.zmq.external.RoutingTable;
import org.vipgate.gateway.zmq.pubsub.PubSubConfig;
import org.vipgate.gateway.zmq.pubsub.PubSubService;
import org.zeromq.ZContext;
import org.zeromq.ZMQException;

/**
 * The ZeroMQ side of vipgate as VOLTTRON agents see a platform: the platform keystore, the ZAP handler on
 * {@code auth.json}, the VIP router on every {@code vip-address}, and the pubsub service.
 *
 * <p>With {@code allow-auth} (the default) every address is a CURVE server with the platform key and the ZAP
 * handler decides who may connect (vip-zmq.md §5.3, §5.4, §7.1); without it there is no authentication at all,
 * which is logged as a warning.
 */
public final class VipPlatform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VipPlatform.class);

    private final ZContext context;
    private final ZapHandler zap;
    private final PendingAuthentications pending;
    private final PubSubService pubsub;
    private final VipRouter router;
    private final String serverKey;
    private final PlatformInfo info;
    private final ExternalLinks links;
    private final ExternalRpc externalRpc;
    private final PlatformDiscovery discovery;
    private final DiscoveryFileWatch discoveryFile;
    private final PlatformServices services;

    private VipPlatform(ZContext context, ZapHandler zap, PendingAuthentications pending, PubSubService pubsub,
                        VipRouter router, String serverKey, PlatformInfo info, ExternalLinks links,
                        ExternalRpc externalRpc, PlatformDiscovery discovery, DiscoveryFileWatch discoveryFile,
                        PlatformServices services) {
        this.services = services;
        this.discovery = discovery;
        this.discoveryFile = discoveryFile;
        this.links = links;
        this.externalRpc = externalRpc;
        this.context = context;
        this.zap = zap;
        this.pending = pending;
        this.pubsub = pubsub;
        this.router = router;
        this.serverKey = serverKey;
        this.info = info;
    }

    /** What the platform answers to {@code query}. */
    public PlatformInfo info() {
        return info;
    }

    /**
     * Loads or creates the keystore, starts the ZAP handler, binds the router.
     *
     * @param setupMode accept unknown CURVE keys and add them to auth.json, as VOLTTRON's {@code --setup-mode}
     * @param onQuit    what {@code quit} from {@code control} does
     * @throws ConfigException when the keystore or auth.json is malformed, or a vip-address cannot be bound
     */
    public static VipPlatform start(GatewayConfig config, boolean setupMode, Runnable onQuit) throws ConfigException {
        VolttronHome home = config.home();
        PlatformConfig platform = config.platform();
        ZContext context = new ZContext(1);
        ZapHandler zap = null;
        try {
            PendingAuthentications pending = new PendingAuthentications();
            RouterOptions options;
            String serverKey = "";
            Optional<ExternalLinks.ClientKeys> linkKeys = Optional.empty();
            if (platform.authEnabled()) {
                PlatformKeystore keys = PlatformKeystore.loadOrCreate(home.keystoreFile());
                if (keys.created()) {
                    LOG.info("created the platform keystore {}; serverkey {}", keys.file(), keys.publicKeyText());
                }
                serverKey = keys.publicKeyText();
                linkKeys = Optional.of(new ExternalLinks.ClientKeys(keys.publicKey(), keys.secretKey()));
                // The ZAP handler must be bound before any CURVE socket binds.
                zap = new ZapHandler(context, AuthFile.load(home.authFile()), pending, setupMode);
                zap.trustPlatformKey(keys.publicKeyText());
                zap.start();
                options = RouterOptions.curve(platform.vipAddresses(), keys.secretKey());
            } else {
                LOG.warn("allow-auth is off in {}: any client can connect to {} with any identity",
                        home.configFile(), platform.vipAddresses());
                options = RouterOptions.insecure(platform.vipAddresses());
            }
            PubSubService pubsub = new PubSubService(PubSubConfig.forVolttronHome(home.root()),
                    identity -> LOG.info("pubsub: subscriber '{}' unreachable; its subscriptions were removed",
                            identity));
            PlatformInfo info = new PlatformInfo(platform.instanceName(), serverKey,
                    platform.bindWebAddress().map(Object::toString).orElse(""), platform.messageBus().configName(),
                    platform.settings());
            // vip-zmq.md §4.2, certs-csr-discovery.md §3.2: one outbound link per platform of the discovery file
            // (none without the file); external_rpc is always served so that an unknown platform is answered 113.
            List<ExternalPlatform> externals = DiscoveryFiles.platforms(home, platform.instanceName());
            // certs-csr-discovery.md §3.2, §3.3: read and checked before anything binds
            List<String> webAddresses = DiscoveryFiles.webAddresses(home);
            VipgateSettings settings = config.vipgate();
            SSLContext discoveryTls = webAddresses.isEmpty() ? null : DiscoveryTrust.context(DiscoveryTrust.caFiles(
                    settings.discoveryCaFile(), System.getenv()));
            ExternalLinks links = new ExternalLinks(platform.instanceName(), externals, linkKeys);
            ExternalRpc externalRpc = new ExternalRpc(links);
            if (zap != null && setupMode && !settings.setupModeAcceptsAny()) {
                // certs-csr-discovery.md §3.3: VOLTTRON's setup mode adds any key; vipgate only the platforms' keys
                zap.setupModeOnlyFor(key -> links.platforms().stream().anyMatch(p -> p.serverKey().equals(key)));
            }
            ExternalPubSub.wire(pubsub, links);
            if (!externals.isEmpty()) {
                LOG.info("linking to {} external platform(s) of {}: {}", externals.size(),
                        home.externalPlatformDiscoveryFile(), externals.stream().map(ExternalPlatform::instanceName)
                                .toList());
            }
            PlatformServices services = PlatformServices.create(home, serverKey);
            VipRouter router = new VipRouter(context, options, info, new RouterStats(),
                    Map.of(PubSubService.SUBSYSTEM, pubsub::handle, ExternalRpc.SUBSYSTEM, externalRpc,
                            RoutingTable.SUBSYSTEM, new RoutingTable()),
                    List.of(pubsub::dropPeer), onQuit, services.hosted());
            router.ownSockets(links);
            try {
                router.start();
            } catch (ZMQException e) {
                throw ConfigException.invalid(home.configFile(), "[volttron] vip-address",
                        "cannot bind " + platform.vipAddresses() + ": " + e.getMessage(),
                        "free addresses (is another VOLTTRON platform or vipgate running there?)");
            }
            PlatformDiscovery discovery = discover(home, platform, setupMode, links, webAddresses, discoveryTls);
            DiscoveryFileWatch discoveryFile = new DiscoveryFileWatch(home, platform.instanceName(), links, externals)
                    .start();
            return new VipPlatform(context, zap, pending, pubsub, router, serverKey, info, links, externalRpc,
                    discovery, discoveryFile, services);
        } catch (ConfigException | RuntimeException e) {
            if (zap != null) {
                zap.close();
            }
            context.close();
            throw e;
        }
    }

    /**
     * certs-csr-discovery.md §3.3: asks every address of {@code external_address.json} who it is, in the background;
     * each platform found is stored and linked. Null without addresses.
     */
    private static PlatformDiscovery discover(VolttronHome home, PlatformConfig platform, boolean setupMode,
                                              ExternalLinks links, List<String> addresses, SSLContext tls) {
        if (addresses.isEmpty()) {
            if (setupMode) {
                LOG.warn("setup mode: {} lists no web addresses, so this platform asks nobody for their keys (it"
                        + " still accepts the keys of platforms that ask it)", home.externalAddressFile());
            }
            return null;
        }
        if (setupMode && platform.bindWebAddress().isEmpty()) {
            // certs-csr-discovery.md §3.3: VOLTTRON's setup mode needs bind-web-address (the others ask it)
            LOG.warn("setup mode without bind-web-address in {}: the platforms of {} cannot ask this one for its"
                    + " key; set bind-web-address so that they can", home.configFile(), home.externalAddressFile());
        }
        PlatformDiscovery discovery = new PlatformDiscovery(home, platform.instanceName(), setupMode, tls, links::add);
        discovery.start(addresses, platform.bindWebAddress().map(Object::toString).orElse(""));
        return discovery;
    }

    /** The bound addresses. */
    public List<String> addresses() {
        return router.addresses();
    }

    /**
     * Connects the other bus: recipients that are not ZMQ peers are reached through it.
     *
     * @param hostServices true when vipgate is also that bus's router, so that its agents reach vipgate's platform
     *                     services; false when another router there provides them
     */
    public void attach(Bridge bridge, boolean hostServices) {
        externalRpc.attach(bridge);
        router.bridge(bridge, hostServices);
    }

    /** The router's {@code external_rpc} service, for the bridge (vip-zmq.md §4.5). */
    public ExternalRpc externalRpc() {
        return externalRpc;
    }

    /** The links to other ZMQ platforms. */
    public ExternalLinks links() {
        return links;
    }

    /** The pubsub service, for the bridge. */
    public PubSubService pubsub() {
        return pubsub;
    }

    /** The router's identity, as {@code welcome} reports it. */
    public String routerId() {
        return router.routerId();
    }

    /** The platform's public key, 43-character form, or empty without auth. */
    public String serverKey() {
        return serverKey;
    }

    /** Refused connection attempts, for an operator to approve. */
    public PendingAuthentications pending() {
        return pending;
    }

    /** Everything countable, for {@code vipgate stats}. */
    public Map<String, Object> statistics() {
        Map<String, Object> stats = new LinkedHashMap<>(router.stats().snapshot());
        Map<String, Long> dropped = new LinkedHashMap<>();
        for (MalformedReason reason : MalformedReason.values()) {
            dropped.put(reason.text(), router.stats().dropped(reason));
        }
        stats.put("dropped", dropped);
        Optional.ofNullable(zap).ifPresent(z -> stats.put("zap", z.counters()));
        stats.put("pubsub", Map.of(
                "published", pubsub.counters().published(),
                "delivered", pubsub.counters().delivered(),
                "refused", pubsub.counters().refused(),
                "malformed", pubsub.counters().malformed(),
                "subscriptions", (long) pubsub.subscriptionCount(),
                "rabbitmq_all_platforms_prefixes", new TreeSet<>(pubsub.otherBusAllPlatformsPrefixes())));
        stats.put("external_platforms", links.states());
        List<Map<String, String>> linkStatus = new ArrayList<>();
        links.status().forEach(l -> linkStatus.add(Map.of("instance_name", l.instanceName(), "vip_address",
                l.vipAddress(), "state", l.state().name(), "since", l.since().toString())));
        stats.put("external_platform_links", linkStatus);
        if (discovery != null) {
            List<Map<String, Object>> addresses = new ArrayList<>();
            discovery.status().forEach(a -> addresses.add(Map.of("address", a.address(), "state", a.state(),
                    "instance_name", a.instanceName(), "last_error", a.lastError(), "attempts", a.attempts())));
            stats.put("discovery", Map.of("addresses", addresses, "counters", discovery.counters()));
        }
        stats.put("external_links", links.counters());
        stats.put("external_rpc", externalRpc.counters());
        stats.put("external_subscriptions", pubsub.externalSubscriptions());
        stats.put("platform_services", services.statistics());
        return stats;
    }

    /** Platform name → link state (CONNECTING, CONNECTED, DISCONNECTED); any thread. */
    public Map<String, String> externalPlatforms() {
        return links.states();
    }

    /** Stops the router, then the ZAP handler, then the ZeroMQ context. Never throws. */
    @Override
    public void close() {
        discoveryFile.close();
        if (discovery != null) {
            discovery.close();
        }
        router.close();
        if (zap != null) {
            zap.close();
        }
        context.close();
    }
}
