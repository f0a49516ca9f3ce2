package org.vipgate.gateway.amqp;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.federation.management.ManagementClient;
import org.vipgate.federation.management.ManagementException;
import org.vipgate.federation.management.Permissions;

/**
 * vip-rabbitmq.md §4.5: when an agent says {@code hello} to the router, its user {@code <inst>.<id>} is looked up on
 * the vhost, and a user without permissions gets VOLTTRON's hello default ({@link Permissions#helloDefault}, anchored).
 * Existing permissions are never changed. The lookups run on one background thread with a bounded queue, so a burst
 * of hellos never slows the router; a lookup that does not fit is counted and logged.
 */
public final class HelloPermissions implements AutoCloseable {

    /** Hellos waiting for their lookup. */
    public static final int QUEUE_CAPACITY = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(HelloPermissions.class);

    private final ManagementClient management;
    private final String vhost;
    private final String instance;
    private final BackgroundWorker worker = new BackgroundWorker("hello-permissions", QUEUE_CAPACITY);
    private final AtomicLong granted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public HelloPermissions(ManagementClient management, String vhost, String instance) {
        this.management = Objects.requireNonNull(management, "management");
        this.vhost = Objects.requireNonNull(vhost, "vhost");
        this.instance = Objects.requireNonNull(instance, "instance");
    }

    /** Checks, in the background, that {@code <inst>.<identity>} holds permissions on the vhost. */
    public void onHello(String identity) {
        if (!worker.submit(() -> ensure(identity))) {
            LOG.warn("permission check for agent '{}' skipped: {} hellos are already waiting for the management API",
                    identity, QUEUE_CAPACITY);
        }
    }

    private void ensure(String identity) {
        String user = instance + "." + identity;
        try {
            if (management.permissions(vhost, user).isPresent()) {
                return; // §4.5: existing permissions are left as they are
            }
            management.setPermissions(vhost, user, Permissions.helloDefault(user));
            granted.incrementAndGet();
            LOG.info("user '{}' said hello without permissions on vhost '{}': gave it the agent default (its own"
                    + " queues and the volttron exchange)", user, vhost);
        } catch (ManagementException e) {
            failed.incrementAndGet();
            LOG.warn("permission check for user '{}' on vhost '{}' failed: {}; if the agent cannot consume, give it"
                    + " permissions with rabbitmqctl set_permissions", user, vhost, e.getMessage());
        }
    }

    /** Users given permissions, lookups that failed, hellos not checked. */
    public Map<String, Long> counters() {
        return Map.of("granted", granted.get(), "failed", failed.get(), "skipped", worker.rejected());
    }

    @Override
    public void close() {
        worker.close();
    }
}
