package org.vipgate.federation.link;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.federation.management.ManagementException;

/**
 * Keeps the links converged while the gateway runs: every interval it applies the federation and shovel files that
 * exist (re-creating what was deleted by hand, retrying pending certificates), reads the link states, and logs only
 * changes: a link whose state changed, a failure that appeared or went away. Runs on one daemon thread.
 */
public final class LinkReconciler implements AutoCloseable {

    /** How often apply runs by default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(LinkReconciler.class);

    /** One kind of link: its name in the log, its file, how it is applied. */
    private record Kind<C>(String name, Path file, LinkApplier<C> applier) {
    }

    private final List<Kind<?>> kinds;
    private final Duration interval;
    private final ScheduledExecutorService executor;
    private final Map<String, String> lastStates = new HashMap<>();
    private final Map<String, String> lastProblems = new HashMap<>();

    /**
     * @param federationFile {@code rabbitmq_federation_config.yml}; skipped while it does not exist
     * @param shovelFile     {@code rabbitmq_shovel_config.yml}; skipped while it does not exist
     */
    public LinkReconciler(Path federationFile, Path shovelFile, FederationApplier federation, ShovelApplier shovel,
                          Duration interval) {
        this.kinds = List.of(
                new Kind<>("federation", Objects.requireNonNull(federationFile, "federationFile"),
                        Objects.requireNonNull(federation, "federation")),
                new Kind<>("shovel", Objects.requireNonNull(shovelFile, "shovelFile"),
                        Objects.requireNonNull(shovel, "shovel")));
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.interval = interval;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vipgate-link-reconciler");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs the first pass now and then every interval. */
    public void start() {
        LOG.info("reconciling federation ({}) and shovel ({}) links every {} s", kinds.get(0).file(),
                kinds.get(1).file(), interval.toSeconds());
        executor.scheduleWithFixedDelay(this::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One pass; never throws (a failure is logged when it first appears). */
    public void runOnce() {
        try {
            for (Kind<?> kind : kinds) {
                pass(kind);
            }
            problem("pass", null);
        } catch (LinkConfigException e) {
            problem("pass", e.getMessage() + "; fix the file, it is read again in " + interval.toSeconds() + " s");
        } catch (ManagementException e) {
            problem("pass", "cannot reconcile links: " + e.getMessage() + "; retrying every "
                    + interval.toSeconds() + " s");
        } catch (RuntimeException e) {
            LOG.error("link reconciliation failed unexpectedly; retrying in {} s", interval.toSeconds(), e);
        }
    }

    /** Applies one kind's file, when it exists, and reads its link states back. */
    private <C> void pass(Kind<C> kind) throws LinkConfigException, ManagementException {
        if (Files.exists(kind.file())) {
            C config = kind.applier().load(kind.file());
            report(kind.name(), kind.applier().apply(config));
            states(kind.name(), kind.applier().status(config));
        }
    }

    private void report(String kind, ApplyReport report) {
        for (ObjectOutcome o : report.outcomes()) {
            String key = kind + " " + o.object();
            switch (o.word()) {
                case "created", "updated", "deleted" -> LOG.info("{}: {} {} (drift repaired or file changed)", kind,
                        o.word(), o.object());
                default -> {
                }
            }
            problem(key, o instanceof ObjectOutcome.Failed || o instanceof ObjectOutcome.Pending
                    ? o.word() + ": " + o.reason() : null);
        }
    }

    private void states(String kind, List<LinkStatus> statuses) {
        for (LinkStatus s : statuses) {
            String key = kind + " " + s.name();
            String before = lastStates.put(key, s.state());
            if (!s.state().equals(before)) {
                String error = s.lastError().map(e -> "; last error: " + e).orElse("");
                if (s.running()) {
                    LOG.info("{} link {} to {} is running{}", kind, s.name(), s.peer(),
                            before == null ? "" : " (was " + before + ")");
                } else {
                    LOG.warn("{} link {} to {} is {}{}{}; see 'vipgate {} status'", kind, s.name(), s.peer(),
                            s.state(), before == null ? "" : " (was " + before + ")", error, kind);
                }
            }
        }
    }

    /** Logs a problem when it appears or changes, and its end once. */
    private void problem(String key, String text) {
        String before = text == null ? lastProblems.remove(key) : lastProblems.put(key, text);
        if (text != null && !text.equals(before)) {
            LOG.warn("{}: {}", key, text);
        } else if (text == null && before != null) {
            LOG.info("{}: resolved (was: {})", key, before);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

}
