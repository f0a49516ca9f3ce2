package org.vipgate.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.federation.link.LinkReconciler;
import org.vipgate.gateway.amqp.BrokerException;
import org.vipgate.gateway.amqp.BrokerLink;
import org.vipgate.gateway.amqp.HelloPermissions;
import org.vipgate.gateway.amqp.bridge.AmqpBridge;
import org.vipgate.gateway.amqp.bridge.RouterRole;
import org.vipgate.gateway.cli.LinkCommands;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.RabbitConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.gateway.stats.StatsFile;
import org.vipgate.gateway.web.WebService;
import org.vipgate.gateway.zmq.VipPlatform;

/**
 * The vipgate process: prepares the VOLTTRON_HOME, runs the VIP platform on ZeroMQ, and (when the home has a
 * {@code rabbitmq_config.yml}) connects to RabbitMQ and declares VOLTTRON's topology. {@link #start()} returns once
 * the gateway is ready; {@link #close()} releases everything it opened.
 */
public final class Gateway implements AutoCloseable {

    /**
     * What {@link #start()} reports: enough for the one ready line.
     *
     * @param amqpAddress  the broker, or empty when the home has no broker
     * @param user         the AMQP user: {@code user} of rabbitmq_config.yml, or with ssl the certificate's CN
     * @param vipAddresses where ZeroMQ agents connect
     * @param serverKey    the platform's public key agents need (43 characters), or empty without auth
     */
    public record Ready(String instance, String amqpAddress, String user, Path home, boolean vhostCreated,
                        List<String> vipAddresses, String serverKey, String webAddress) {
    }

    /** How often the statistics file is rewritten. */
    public static final long STATS_INTERVAL_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final boolean setupMode;
    private final Runnable onQuit;
    private volatile VipPlatform vip;
    private volatile BrokerLink broker;
    private volatile AmqpBridge bridge;
    private volatile RouterRole routerRole;
    private volatile HelloPermissions helloPermissions;
    private volatile WebService web;
    private volatile LinkReconciler links;
    private ScheduledExecutorService statsWriter;

    /** A gateway without setup mode whose {@code quit} does nothing but log. */
    public Gateway(GatewayConfig config) {
        this(config, false, () -> LOG.warn("quit received, but this gateway has no stop hook"));
    }

    /**
     * @param setupMode accept unknown CURVE keys and add them to auth.json (VOLTTRON's {@code --setup-mode})
     * @param onQuit    what {@code quit} from {@code control} does (normally: stop the process)
     */
    public Gateway(GatewayConfig config, boolean setupMode, Runnable onQuit) {
        this.config = config;
        this.setupMode = setupMode;
        this.onQuit = onQuit;
    }

    /**
     * Creates missing home folders, starts the VIP platform, then links to the broker.
     *
     * @throws ConfigException      a file of the home (keystore, auth.json, certificates) is unusable, or a
     *                              vip-address cannot be bound
     * @throws IOException          the home cannot be prepared, or the broker failed mid-declaration
     * @throws BrokerException      the broker refused credentials, access, its certificate, or has conflicting
     *                              objects
     * @throws InterruptedException vipgate is stopping
     */
    public Ready start() throws ConfigException, IOException, BrokerException, InterruptedException {
        List<Path> created = config.home().ensureLayout();
        if (!created.isEmpty()) {
            LOG.info("created in VOLTTRON_HOME {}: {}", config.home().root(), created);
        }
        String instance = config.platform().instanceName();
        vip = VipPlatform.start(config, setupMode, onQuit);
        startStatsWriter();
        if (config.rabbit().isPresent()) {
            RabbitConfig rabbit = config.rabbit().get();
            broker = BrokerLink.open(config.home(), instance, rabbit);
            bridge = new AmqpBridge(broker.connection(), instance, broker.user(), AmqpBridge.DEFAULT_PREFETCH);
            bridge.pubsub(vip.pubsub());
            bridge.externalPlatforms(vip.externalRpc(), vip.links());
            RouterRole role = new RouterRole(broker.connection(), instance, broker.user(), vip.info(), vip::addresses);
            if (role.start()) {
                routerRole = role;
                helloPermissions = new HelloPermissions(broker.management(), rabbit.virtualHost(), instance);
                role.onHello(helloPermissions::onHello);
                bridge.routerRole(role);
                vip.attach(bridge, true);
            } else {
                // VOLTTRON's own router serves the site on RabbitMQ, with its config.store and platform.auth.
                role.close();
                vip.attach(bridge, false);
                bridge.announceToExternalRouter();
            }
            web = WebService.start(config, vip, broker).orElse(null);
            startLinks();
            return new Ready(instance, broker.address(), broker.user(), config.home().root(), broker.vhostCreated(),
                    vip.addresses(), vip.serverKey(), webAddress());
        }
        LOG.info("no {}: running as a ZeroMQ platform without RabbitMQ", config.home().rabbitConfigFile());
        web = WebService.start(config, vip, null).orElse(null);
        return new Ready(instance, "", "", config.home().root(), false, vip.addresses(), vip.serverKey(),
                webAddress());
    }

    /**
     * vip-rabbitmq.md §5, §6: keeps the federation and shovel links of the home's files applied, every
     * {@link LinkReconciler#DEFAULT_INTERVAL}, when either file exists.
     */
    private void startLinks() throws ConfigException {
        VolttronHome home = config.home();
        if (!Files.exists(home.federationConfigFile()) && !Files.exists(home.shovelConfigFile())) {
            return;
        }
        LinkReconciler reconciler = LinkCommands.reconciler(home, LinkReconciler.DEFAULT_INTERVAL);
        reconciler.start();
        links = reconciler;
        LOG.info("keeping the links of {} and {} applied every {} s", home.federationConfigFile().getFileName(),
                home.shovelConfigFile().getFileName(), LinkReconciler.DEFAULT_INTERVAL.toSeconds());
    }

    private String webAddress() {
        WebService w = web;
        return w == null ? "" : w.address().toString();
    }

    /** True while the AMQP connection is open; false without a broker, during recovery, after close. */
    public boolean isConnected() {
        BrokerLink b = broker;
        return b != null && b.isConnected();
    }

    /** The VIP platform, once started. */
    public VipPlatform vip() {
        return vip;
    }

    /** The gateway's statistics, as {@code vipgate stats} prints them. */
    public Map<String, Object> statistics() {
        Map<String, Object> stats = new LinkedHashMap<>();
        VipPlatform v = vip;
        if (v != null) {
            stats.putAll(v.statistics());
        }
        stats.put("amqp_connected", isConnected());
        AmqpBridge br = bridge;
        if (br != null) {
            stats.put("bridge", br.counters());
        }
        RouterRole role = routerRole;
        if (role != null) {
            stats.put("router_role", role.counters());
        }
        WebService w = web;
        if (w != null) {
            stats.put("web", w.statistics());
        }
        HelloPermissions hp = helloPermissions;
        if (hp != null) {
            stats.put("hello_permissions", hp.counters());
        }
        stats.put("written", java.time.Instant.now().toString());
        return stats;
    }

    private void startStatsWriter() {
        StatsFile file = new StatsFile(config.home().root());
        statsWriter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vipgate-stats");
            t.setDaemon(true);
            return t;
        });
        statsWriter.scheduleWithFixedDelay(() -> writeStats(file, true), 0, STATS_INTERVAL_SECONDS,
                TimeUnit.SECONDS);
    }

    /** The statistics with {@code running}: false in the last ones, written as vipgate stops. */
    private void writeStats(StatsFile file, boolean running) {
        try {
            Map<String, Object> stats = statistics();
            stats.put("running", running);
            file.write(stats);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write statistics to {}: {}", file.path(), e.toString());
        }
    }

    /**
     * Writes the last statistics, then stops the VIP router (nothing new reaches the bridge), the bridge (which
     * waits a little for unconfirmed publishes), and the broker link. Never throws.
     */
    @Override
    public void close() {
        if (statsWriter != null) {
            statsWriter.shutdownNow();
            try {
                // A periodic write still running must not land after the last one.
                if (!statsWriter.awaitTermination(2, TimeUnit.SECONDS)) {
                    LOG.warn("the statistics writer did not stop within 2 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writeStats(new StatsFile(config.home().root()), false);
        }
        LinkReconciler l = links;
        links = null;
        if (l != null) {
            l.close();
        }
        WebService w = web;
        web = null;
        if (w != null) {
            w.close();
        }
        VipPlatform v = vip;
        vip = null;
        if (v != null) {
            v.close();
        }
        RouterRole role = routerRole;
        routerRole = null;
        if (role != null) {
            role.close();
        }
        HelloPermissions hp = helloPermissions;
        helloPermissions = null;
        if (hp != null) {
            hp.close();
        }
        AmqpBridge br = bridge;
        bridge = null;
        if (br != null) {
            br.close();
        }
        BrokerLink b = broker;
        broker = null;
        if (b != null) {
            b.close();
        }
    }
}
