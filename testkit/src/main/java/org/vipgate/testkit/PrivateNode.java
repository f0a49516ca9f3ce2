package org.vipgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RabbitMQ node of its own, started from the installed {@code rabbitmq-server} (DESIGN.md, "The test broker").
 *
 * <p>Each node has its own node name ({@value #NODE_PREFIX}&lt;pid&gt;-&lt;n&gt;@localhost), free loopback
 * ports, and config, data and log folders under {@code <workdir>/rabbitmq/<name>/}. It runs in the foreground
 * as a child of this JVM, with the management, federation, shovel and auth_mechanism_ssl plugins. Nodes are
 * stopped by {@link #close()}, and by a JVM shutdown hook for any a test forgot; {@code make test} reaps by
 * node-name prefix whatever a killed JVM left behind.
 *
 * <p>{@link #stop()} and {@link #start()} restart the same node (same ports, same data) for recovery tests.
 */
public final class PrivateNode implements RabbitBroker {

    /** Prefix of every node name the fixture starts; {@code scripts/reap-test-nodes.sh} matches on it. */
    public static final String NODE_PREFIX = "vipgate-test-";
    /** How long a node gets to stop after SIGTERM before it is killed. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** How long the node's helper processes get to follow it out. */
    public static final Duration CHILD_EXIT_TIMEOUT = Duration.ofSeconds(5);
    /** Plugins as VOLTTRON's bootstrap enables them (vip-rabbitmq.md, header), less the trust store. */
    public static final List<String> PLUGINS = List.of(
            "rabbitmq_management", "rabbitmq_federation", "rabbitmq_federation_management",
            "rabbitmq_shovel", "rabbitmq_shovel_management", "rabbitmq_auth_mechanism_ssl");
    /** Credentials of the default user on a fresh node (usable from loopback only). */
    public static final String USER = "guest";
    public static final String PASSWORD = "guest";

    private static final Logger LOG = LoggerFactory.getLogger(PrivateNode.class);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String HOST = "127.0.0.1";
    private static final int LOG_TAIL_LINES = 40;

    private final String nodeName;
    private final Path dir;
    private final NodeOptions options;
    private final int amqpPort;
    private final int managementPort;
    private final int distPort;
    private final OptionalInt amqpsPort;
    private final OptionalInt managementTlsPort;
    private Process process;

    private PrivateNode(NodeOptions options) {
        String shortName = NODE_PREFIX + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        this.nodeName = shortName + "@localhost";
        this.dir = workDir().resolve("rabbitmq").resolve(shortName).toAbsolutePath();
        this.options = options;
        this.amqpPort = FreePorts.next();
        this.managementPort = FreePorts.next();
        this.distPort = FreePorts.next();
        this.amqpsPort = options.tls().isPresent() ? OptionalInt.of(FreePorts.next()) : OptionalInt.empty();
        this.managementTlsPort = options.tls().isPresent() ? OptionalInt.of(FreePorts.next()) : OptionalInt.empty();
    }

    /** Starts a node and waits until it answers on AMQP and the management API. */
    public static PrivateNode start(NodeOptions options) {
        PrivateNode node = launch(options);
        try {
            node.awaitReady();
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** Starts the node's process without waiting; call {@link #awaitReady()} next. */
    static PrivateNode launch(NodeOptions options) {
        PrivateNode node = new PrivateNode(options);
        node.writeFiles();
        node.spawn();
        return node;
    }

    /** The executable that runs a node in the foreground, without Debian's drop to the rabbitmq user. */
    static Path serverExecutable() {
        String override = System.getenv("VIPGATE_RABBITMQ_SERVER");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        for (String candidate : List.of("/usr/lib/rabbitmq/bin/rabbitmq-server", "/usr/sbin/rabbitmq-server",
                "/usr/local/sbin/rabbitmq-server", "/opt/homebrew/sbin/rabbitmq-server")) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("rabbitmq-server is not installed: run 'make setup' (it installs Debian's"
                + " rabbitmq-server), set VIPGATE_RABBITMQ_SERVER to its path, or set "
                + ExternalBroker.AMQP_ENV + " to a broker you run");
    }

    static boolean isInstalled() {
        try {
            serverExecutable();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static Path workDir() {
        String configured = System.getProperty("vipgate.test.workdir");
        return Path.of(configured != null ? configured : "target");
    }

    private void writeFiles() {
        try {
            Files.createDirectories(dir.resolve("mnesia"));
            Files.createDirectories(dir.resolve("log"));
            Files.writeString(dir.resolve("enabled_plugins"), "[" + String.join(",", PLUGINS) + "].\n");
            Files.writeString(dir.resolve("rabbitmq.conf"), String.join("\n", configLines()) + "\n");
            // Keep the node on loopback and away from the system's /etc/rabbitmq/rabbitmq-env.conf.
            Files.writeString(dir.resolve("rabbitmq-env.conf"),
                    "ERL_EPMD_ADDRESS=127.0.0.1\n"
                            + "export ERL_FLAGS=\"-kernel inet_dist_use_interface {127,0,0,1}\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the files of node " + nodeName + " under " + dir, e);
        }
    }

    List<String> configLines() {
        List<String> lines = new ArrayList<>();
        lines.add("listeners.tcp.default = " + HOST + ":" + amqpPort);
        lines.add("management.tcp.port = " + managementPort);
        lines.add("management.tcp.ip = " + HOST);
        lines.add("log.file.level = info");
        lines.add("log.console = false");
        options.tls().ifPresent(tls -> {
            // vip-rabbitmq.md §7.2: the TLS listener as VOLTTRON configures it, login from the certificate CN.
            lines.add("listeners.ssl.default = " + HOST + ":" + amqpsPort.getAsInt());
            lines.add("ssl_options.cacertfile = " + tls.caCertificate().toAbsolutePath());
            lines.add("ssl_options.certfile = " + tls.certificate().toAbsolutePath());
            lines.add("ssl_options.keyfile = " + tls.privateKey().toAbsolutePath());
            lines.add("ssl_options.verify = " + (tls.verifyPeer() ? "verify_peer" : "verify_none"));
            lines.add("ssl_options.fail_if_no_peer_cert = " + tls.failIfNoPeerCert());
            lines.add("ssl_options.versions.1 = tlsv1.3");
            lines.add("ssl_options.versions.2 = tlsv1.2");
            lines.add("auth_mechanisms.1 = PLAIN");
            lines.add("auth_mechanisms.2 = AMQPLAIN");
            lines.add("auth_mechanisms.3 = EXTERNAL");
            lines.add("ssl_cert_login_from = common_name");
            // vip-rabbitmq.md §7.2: the management API over HTTPS with the same CA and server certificate.
            lines.add("management.ssl.port = " + managementTlsPort.getAsInt());
            lines.add("management.ssl.ip = " + HOST);
            lines.add("management.ssl.cacertfile = " + tls.caCertificate().toAbsolutePath());
            lines.add("management.ssl.certfile = " + tls.certificate().toAbsolutePath());
            lines.add("management.ssl.keyfile = " + tls.privateKey().toAbsolutePath());
        });
        lines.addAll(options.extraConfig());
        return lines;
    }

    private void spawn() {
        ProcessBuilder builder = new ProcessBuilder(serverExecutable().toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("RABBITMQ_"));
        env.put("HOME", dir.toString()); // its own Erlang cookie
        env.put("RABBITMQ_NODENAME", nodeName);
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq").toString()); // without ".conf"
        env.put("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString());
        env.put("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        env.put("RABBITMQ_PID_FILE", dir.resolve("node.pid").toString());
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + builder.command() + " for node " + nodeName, e);
        }
        NodeReaper.register(this);
        LOG.info("starting {}", describe());
    }

    /**
     * Waits until the node answers on AMQP and the management API (and listens for management HTTPS when it has
     * TLS); fails with the log's tail if it died.
     */
    void awaitReady() {
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        ManagementProbe probe = management();
        long started = System.nanoTime();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("node " + nodeName + " exited with " + process.exitValue()
                        + " while starting; log tail:\n" + logTail());
            }
            if (FreePorts.isListening(amqpPort) && probe.answers()
                    && managementTlsPort.stream().allMatch(FreePorts::isListening)) {
                LOG.info("{} ready after {} ms", nodeName, (System.nanoTime() - started) / 1_000_000);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node " + nodeName + " did not answer within "
                        + options.startTimeout().toSeconds() + " s; log tail:\n" + logTail());
            }
            sleep(200);
        }
    }

    /** Stops the node's process (SIGTERM, then kill after {@link #STOP_TIMEOUT}); data and ports are kept. */
    public synchronized void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>();
        p.descendants().forEach(tree::add);
        // SIGTERM to the foreground script: its trap stops beam.smp gracefully and waits for it.
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("node {} did not stop within {} s; killing it", nodeName, STOP_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while stopping node {}; killing it", nodeName);
        }
        p.destroyForcibly();
        // beam.smp's helpers (erl_child_setup, inet_gethost) exit just after it; kill any that do not.
        long deadline = System.nanoTime() + CHILD_EXIT_TIMEOUT.toNanos();
        for (ProcessHandle h : tree) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                sleepQuietly(20);
            }
            if (h.isAlive()) {
                LOG.warn("process {} of node {} outlived it; killing it", h.pid(), nodeName);
                h.destroyForcibly();
            }
        }
        LOG.info("stopped node {}", nodeName);
    }

    /** Starts the node again after {@link #stop()}, on the same ports with the same data. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        spawn();
        awaitReady();
    }

    /** True while the node's process runs. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The node's Erlang name, e.g. {@code vipgate-test-1234-1@localhost}. */
    public String nodeName() {
        return nodeName;
    }

    /** The node's own folder: config, data, logs. */
    public Path directory() {
        return dir;
    }

    /** Process ids of the node's process tree (the shell and beam.smp), for tests that check cleanup. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        if (process != null) {
            pids.add(process.pid());
            process.descendants().forEach(h -> pids.add(h.pid()));
        }
        return pids;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int amqpPort() {
        return amqpPort;
    }

    @Override
    public OptionalInt amqpsPort() {
        return amqpsPort;
    }

    @Override
    public int managementPort() {
        return managementPort;
    }

    @Override
    public OptionalInt managementTlsPort() {
        return managementTlsPort;
    }

    @Override
    public String username() {
        return USER;
    }

    @Override
    public String password() {
        return PASSWORD;
    }

    @Override
    public String describe() {
        return "private RabbitMQ node " + nodeName + " (amqp " + HOST + ":" + amqpPort
                + (amqpsPort.isPresent() ? ", amqps " + amqpsPort.getAsInt() : "")
                + ", management " + managementPort
                + (managementTlsPort.isPresent() ? ", management tls " + managementTlsPort.getAsInt() : "")
                + ", dir " + dir + ")";
    }

    @Override
    public void close() {
        stop();
        NodeReaper.unregister(this);
    }

    @Override
    public String toString() {
        return describe();
    }

    private String logTail() {
        List<String> lines = new ArrayList<>();
        for (Path log : logFiles()) {
            try {
                List<String> all = Files.readAllLines(log);
                lines.add("== " + log);
                lines.addAll(all.subList(Math.max(0, all.size() - LOG_TAIL_LINES), all.size()));
            } catch (IOException e) {
                lines.add("== " + log + " unreadable: " + e);
            }
        }
        return String.join("\n", lines);
    }

    private List<Path> logFiles() {
        List<Path> logs = new ArrayList<>();
        logs.add(dir.resolve("console.log"));
        Optional.of(dir.resolve("log").resolve(nodeName + ".log")).filter(Files::exists).ifPresent(logs::add);
        return logs.stream().filter(Files::exists).toList();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a RabbitMQ node", e);
        }
    }
}
