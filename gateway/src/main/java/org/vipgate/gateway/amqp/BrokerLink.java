package org.vipgate.gateway.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.federation.management.ManagementClient;
import org.vipgate.federation.management.ManagementEndpoint;
import org.vipgate.gateway.config.AdminTlsFiles;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.RabbitConfig;
import org.vipgate.gateway.config.VolttronHome;

/**
 * The gateway's link to its RabbitMQ: the vhost made sure of, one recovering AMQP connection, VOLTTRON's exchanges
 * declared (and declared again after every recovery).
 */
public final class BrokerLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerLink.class);

    private final Connection connection;
    private final String address;
    private final String user;
    private final boolean vhostCreated;
    private final ManagementClient management;

    private BrokerLink(Connection connection, String address, String user, boolean vhostCreated,
                       ManagementClient management) {
        this.connection = connection;
        this.management = management;
        this.address = address;
        this.user = user;
        this.vhostCreated = vhostCreated;
    }

    /**
     * Makes sure the vhost exists, connects (retrying while the broker is unreachable) and declares the topology.
     * With {@code ssl: true} it uses TLS as VOLTTRON's admin does (vip-rabbitmq.md §7.4, §7.5): AMQPS on
     * {@code amqp-port-ssl} with SASL EXTERNAL, and the management API on {@code https://<host>:<mgmt-port-ssl>}
     * with user and pass, both presenting the admin certificate and trusting only the instance's CA bundle.
     *
     * @throws ConfigException      with {@code ssl: true}, a certificate or key file is missing or unusable
     * @throws BrokerException      the broker refused credentials or access, its certificate, or has conflicting
     *                              exchanges
     * @throws IOException          the broker failed mid-declaration
     * @throws InterruptedException vipgate is stopping
     */
    public static BrokerLink open(VolttronHome home, String instance, RabbitConfig rabbit)
            throws ConfigException, BrokerException, IOException, InterruptedException {
        Path rabbitFile = home.rabbitConfigFile();
        Optional<SSLContext> tls = Optional.empty();
        String amqpUser = rabbit.user();
        if (rabbit.ssl()) {
            AdminTlsFiles files = AdminTlsFiles.of(home, instance);
            tls = Optional.of(files.clientContext());
            amqpUser = files.user();
            if (!amqpUser.equals(rabbit.user())) {
                LOG.warn("with ssl, RabbitMQ logs vipgate in as '{}', the CN of {}, not as user '{}' of {}; the"
                        + " management API is used as '{}'", amqpUser, files.certificate(), rabbit.user(),
                        rabbitFile, rabbit.user());
            }
        }
        ManagementEndpoint endpoint = managementEndpoint(rabbit, tls);
        Backoff backoff = Backoff.upTo(rabbit.reconnectDelay());
        ManagementClient management = new ManagementClient(endpoint);
        boolean vhostCreated = new VhostProvisioner(management, backoff, rabbitFile)
                .ensure(rabbit.virtualHost(), amqpUser);

        BrokerConnector connector = new BrokerConnector(rabbit, rabbitFile, tls);
        Connection connection = connector.connect("vipgate " + instance);
        try {
            TopologyRecovery.watch(connection, connector.address(), rabbit.virtualHost());
            VolttronTopology.declare(connection, rabbit.virtualHost());
        } catch (IOException | BrokerException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
        return new BrokerLink(connection, connector.address(), amqpUser, vhostCreated, management);
    }

    /**
     * The management API of the instance's broker, as VOLTTRON's admin uses it (vip-rabbitmq.md §7.4): with
     * {@code ssl: true} {@code https://<host>:<mgmt-port-ssl>} with user and pass, presenting the admin certificate
     * and trusting only the instance's CA bundle; else {@code http://<host>:<mgmt-port>}.
     *
     * @throws ConfigException with {@code ssl: true}, a certificate or key file is missing or unusable
     */
    public static ManagementEndpoint managementEndpoint(VolttronHome home, String instance, RabbitConfig rabbit)
            throws ConfigException {
        return managementEndpoint(rabbit, rabbit.ssl()
                ? Optional.of(AdminTlsFiles.of(home, instance).clientContext()) : Optional.empty());
    }

    private static ManagementEndpoint managementEndpoint(RabbitConfig rabbit, Optional<SSLContext> tls) {
        if (tls.isEmpty()) {
            return ManagementEndpoint.http(rabbit.host(), rabbit.mgmtPort(), rabbit.user(), rabbit.password());
        }
        // vip-rabbitmq.md §7.4: https://<host>:<mgmt-port-ssl>, basic auth user/pass, client cert, CA check.
        return new ManagementEndpoint(URI.create("https://" + rabbit.host() + ":" + rabbit.mgmtPortSsl()),
                rabbit.user(), rabbit.password(), tls);
    }

    /** The broker's management API, as vipgate uses it. */
    public ManagementClient management() {
        return management;
    }

    /** The recovering AMQP connection, for the bridge. */
    public Connection connection() {
        return connection;
    }

    /** e.g. {@code amqp://127.0.0.1:5672/volttron}. */
    public String address() {
        return address;
    }

    /** The AMQP user: {@code user} of rabbitmq_config.yml, or with ssl the CN of the admin certificate. */
    public String user() {
        return user;
    }

    /** True when {@link #open} created the vhost. */
    public boolean vhostCreated() {
        return vhostCreated;
    }

    /** True while the connection is open; false during recovery and after close. */
    public boolean isConnected() {
        return connection.isOpen();
    }

    /** Closes the connection. Never throws. */
    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        if (!connection.isOpen()) {
            return;
        }
        try {
            connection.close(AMQP.REPLY_SUCCESS, "vipgate stopping", 5_000);
        } catch (IOException | AlreadyClosedException e) {
            LOG.warn("closing the RabbitMQ connection: {}", e.toString());
        }
    }
}
