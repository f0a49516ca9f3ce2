package org.vipgate.gateway.amqp;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.federation.management.ManagementClient;
import org.vipgate.federation.management.ManagementException;
import org.vipgate.federation.management.Permissions;

/**
 * The RabbitMQ users of approved certificate requests (certs-csr-discovery.md §2.3): the user named by the CN, who
 * logs in with the issued certificate (SASL EXTERNAL) and has no password and no tags, with least privilege: the
 * agent default of vip-rabbitmq.md §7.4, anchored ({@link Permissions#agentDefault}); {@code .*} only for federation
 * and shovel users, whose links need it. VOLTTRON gives every such user the administrator tag; vipgate never does.
 *
 * <p>Calls are made at once, on the caller's thread; {@link RemoteUserSync} calls them in the background.
 */
public final class RemoteUsers {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteUsers.class);

    private final ManagementClient management;
    private final String vhost;
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();

    public RemoteUsers(ManagementClient management, String vhost) {
        this.management = Objects.requireNonNull(management, "management");
        this.vhost = Objects.requireNonNull(vhost, "vhost");
    }

    /** What the user named {@code commonName} may do on the vhost. */
    public static Permissions permissionsFor(String commonName) {
        String cn = commonName.toLowerCase(Locale.ROOT);
        // certs-csr-discovery.md §2.3: VOLTTRON grants .* when the CN contains "federation"; shovels need it too
        return cn.contains("federation") || cn.contains("shovel") ? Permissions.ALL
                : Permissions.agentDefault(commonName);
    }

    /** Creates the user and sets its permissions now. */
    public void provision(String commonName) throws ManagementException {
        management.createCertificateUser(commonName, "");
        Permissions permissions = permissionsFor(commonName);
        management.setPermissions(vhost, commonName, permissions);
        created.incrementAndGet();
        LOG.info("RabbitMQ user '{}' created for its approved certificate (EXTERNAL login only, no tags); permissions"
                + " on vhost '{}': configure '{}', write '{}', read '{}'", commonName, vhost, permissions.configure(),
                permissions.write(), permissions.read());
    }

    /**
     * Deletes the user of a denied or deleted request, so that the certificate already issued for it no longer logs
     * in (EXTERNAL needs the user; there is no revocation list). VOLTTRON leaves the user in place.
     */
    public void revoke(String commonName) throws ManagementException {
        if (management.userExists(commonName)) {
            management.deleteUser(commonName);
            deleted.incrementAndGet();
            LOG.info("RabbitMQ user '{}' deleted: its certificate request is no longer approved, so its certificate"
                    + " no longer logs in", commonName);
        }
    }

    /** True when the user exists. */
    public boolean exists(String commonName) throws ManagementException {
        return management.userExists(commonName);
    }

    /** Users created and deleted. */
    public Map<String, Long> counters() {
        return Map.of("created", created.get(), "deleted", deleted.get());
    }
}
