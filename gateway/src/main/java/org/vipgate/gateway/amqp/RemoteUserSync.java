package org.vipgate.gateway.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.csr.CsrFiles;
import org.vipgate.certs.csr.CsrRecord;
import org.vipgate.certs.csr.CsrStatus;
import org.vipgate.federation.management.ManagementException;

/**
 * Keeps RabbitMQ's users in step with the certificate requests in {@code pending_csr/} (certs-csr-discovery.md §2.3),
 * whoever changed them: the admin page, auto-allow, or {@code vipgate auth remote approve|deny|delete} in another
 * process. An APPROVED request has its user; a DENIED one, or an approved one deleted later, has none.
 *
 * <p>One background thread reads the files every {@code interval} (and at once after {@link #syncNow}) and calls the
 * management API only for requests whose status changed since the last successful call, so a quiet home costs one
 * directory listing per interval. A failed call is logged and tried again at the next pass.
 */
public final class RemoteUserSync implements AutoCloseable {

    /** How often the files are read when nothing asks sooner. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RemoteUserSync.class);

    private final CsrFiles files;
    private final RemoteUsers users;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "remote-user-sync");
        t.setDaemon(true);
        return t;
    });
    /** The status each CN had at its last successful sync; the timer thread only. */
    private final Map<String, CsrStatus> synced = new HashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private boolean warnedUnreadable;

    public RemoteUserSync(CsrFiles files, RemoteUsers users) {
        this.files = Objects.requireNonNull(files, "files");
        this.users = Objects.requireNonNull(users, "users");
    }

    /** Starts the periodic pass; the first runs at once. */
    public void start(Duration interval) {
        timer.scheduleWithFixedDelay(this::syncOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a pass now (after an approval or denial through the web service). */
    public void syncNow() {
        try {
            timer.execute(this::syncOnce);
        } catch (RejectedExecutionException e) {
            LOG.debug("remote user sync is closed: {}", e.toString());
        }
    }

    /** Management calls that failed and wait for the next pass. */
    public long failures() {
        return failures.get();
    }

    private void syncOnce() {
        Map<String, CsrStatus> now = new HashMap<>();
        try {
            for (CsrRecord r : files.list()) {
                now.put(r.commonName(), r.status());
            }
            warnedUnreadable = false;
        } catch (IOException | RuntimeException e) {
            if (!warnedUnreadable) {
                LOG.warn("cannot read the certificate requests in {}: {}; RabbitMQ users of approved requests are not"
                        + " updated until it can be read", files.layout().root(), e.toString());
                warnedUnreadable = true;
            }
            return;
        }
        for (Map.Entry<String, CsrStatus> e : now.entrySet()) {
            if (e.getValue() != synced.get(e.getKey())) {
                apply(e.getKey(), e.getValue());
            }
        }
        Set<String> gone = new HashSet<>(synced.keySet());
        gone.removeAll(now.keySet());
        for (String cn : gone) {
            // deleted: an approved one loses its user; either way it is forgotten once that worked
            if (synced.get(cn) != CsrStatus.APPROVED || apply(cn, CsrStatus.DENIED)) {
                synced.remove(cn);
            }
        }
    }

    /** Makes the user match {@code status}; true when done. */
    private boolean apply(String cn, CsrStatus status) {
        try {
            switch (status) {
                case APPROVED -> {
                    if (!users.exists(cn)) {
                        users.provision(cn);
                    }
                }
                case DENIED -> users.revoke(cn);
                case PENDING -> {
                    // nothing to do: no user until approved
                }
                default -> throw new IllegalStateException(status.toString());
            }
            synced.put(cn, status);
            return true;
        } catch (ManagementException | RuntimeException e) {
            failures.incrementAndGet();
            LOG.warn("RabbitMQ user of certificate request '{}' ({}) not updated: {}; trying again in the next pass",
                    cn, status, e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
