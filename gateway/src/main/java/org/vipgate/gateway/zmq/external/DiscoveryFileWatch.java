package org.vipgate.gateway.zmq.external;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.VolttronHome;

/**
 * Follows {@code external_platform_discovery.json} while the gateway runs (certs-csr-discovery.md §3.2): an entry
 * added or changed by hand (or by discovery) is linked, an entry removed is unlinked, within {@link #INTERVAL}.
 * VOLTTRON reads the file once at start. A file that cannot be used is reported and the links stay as they are.
 */
public final class DiscoveryFileWatch implements AutoCloseable {

    /** How often the file's size and modification time are looked at. */
    public static final Duration INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryFileWatch.class);

    private final VolttronHome home;
    private final String ownName;
    private final ExternalLinks links;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vipgate-discovery-file");
        t.setDaemon(true);
        return t;
    });
    private String seen;
    private Set<String> names;
    private String lastError = "";

    /**
     * @param linked the platforms linked at start (read from the file by the caller)
     */
    public DiscoveryFileWatch(VolttronHome home, String ownName, ExternalLinks links, List<ExternalPlatform> linked) {
        this.home = Objects.requireNonNull(home, "home");
        this.ownName = Objects.requireNonNull(ownName, "ownName");
        this.links = Objects.requireNonNull(links, "links");
        this.names = new HashSet<>();
        linked.forEach(p -> names.add(p.instanceName()));
        this.seen = stamp(home.externalPlatformDiscoveryFile());
    }

    /** Starts looking every {@link #INTERVAL}. */
    public DiscoveryFileWatch start() {
        timer.scheduleWithFixedDelay(this::check, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Looks once: when the file changed, links what it names now and unlinks what it no longer names. */
    void check() {
        Path file = home.externalPlatformDiscoveryFile();
        String now = stamp(file);
        if (now.equals(seen)) {
            return;
        }
        List<ExternalPlatform> platforms;
        try {
            platforms = DiscoveryFiles.platforms(home, ownName);
        } catch (ConfigException e) {
            if (!e.getMessage().equals(lastError)) {
                LOG.error("{} changed but cannot be used: {}; the links stay as they were", file, e.getMessage());
                lastError = e.getMessage();
            }
            return; // looked at again at the next change
        } catch (RuntimeException e) {
            LOG.error("re-reading {} failed; the links stay as they were", file, e);
            return;
        }
        seen = now;
        lastError = "";
        Set<String> current = new HashSet<>();
        for (ExternalPlatform p : platforms) {
            current.add(p.instanceName());
            links.add(p);
        }
        for (String name : names) {
            if (!current.contains(name)) {
                links.remove(name);
            }
        }
        names = current;
        LOG.info("{} changed: platforms now {}", file, current);
    }

    /** Size, modification time and file key (atomic writes replace the inode), or {@code absent}. */
    private static String stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() + "@" + a.lastModifiedTime().toMillis() + "#" + a.fileKey();
        } catch (IOException e) {
            return "absent";
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
