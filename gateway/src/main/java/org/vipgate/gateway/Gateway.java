package org.vipgate.gateway;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.federation.management.ManagementClient;
import org.vipgate.federation.management.ManagementEndpoint;
import org.vipgate.gateway.amqp.Backoff;
import org.vipgate.gateway.amqp.BrokerConnector;
import org.vipgate.gateway.amqp.BrokerException;
import org.vipgate.gateway.amqp.TopologyRecovery;
import org.vipgate.gateway.amqp.VhostProvisioner;
import org.vipgate.gateway.amqp.VolttronTopology;
import org.vipgate.gateway.config.AdminTlsFiles;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.RabbitConfig;

/**
 * The vipgate process: prepares the VOLTTRON_HOME, connects to RabbitMQ and declares VOLTTRON's topology.
 * {@link #start()} returns once the gateway is ready; {@link #close()} releases everything it opened.
 */
public final class Gateway implements AutoCloseable {

    /**
     * What {@link #start()} reports: enough for the one ready line. {@code user} is the AMQP user: {@code user}
     * of rabbitmq_config.yml, or with ssl the CN of the client certificate.
     */
    public record Ready(String instance, String amqpAddress, String user, Path home, boolean vhostCreated) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private volatile Connection connection;

    public Gateway(GatewayConfig config) {
        this.config = config;
    }

    /**
     * Creates missing home folders, makes sure the vhost exists, connects and declares the topology. With
     * {@code ssl: true} (VOLTTRON's default) it uses TLS as VOLTTRON's admin does (vip-rabbitmq.md §7.4, §7.5):
     * AMQPS on {@code amqp-port-ssl} with SASL EXTERNAL, and the management API on
     * {@code https://<host>:<mgmt-port-ssl>} with user and pass, both presenting the admin client certificate of
     * the home and trusting only the instance's CA bundle (see {@link AdminTlsFiles}).
     *
     * @throws ConfigException      with {@code ssl: true}, a certificate or key file of the home is missing or
     *                              unusable; the message names the file and what to do
     * @throws IOException          the home cannot be prepared, or the broker failed mid-declaration
     * @throws BrokerException      the broker refused credentials, access, or has conflicting objects
     * @throws InterruptedException vipgate is stopping
     */
    public Ready start() throws ConfigException, IOException, BrokerException, InterruptedException {
        List<Path> created = config.home().ensureLayout();
        if (!created.isEmpty()) {
            LOG.info("created in VOLTTRON_HOME {}: {}", config.home().root(), created);
        }
        RabbitConfig rabbit = config.rabbit();
        Path rabbitFile = config.home().rabbitConfigFile();
        Optional<SSLContext> tls = Optional.empty();
        String amqpUser = rabbit.user();
        ManagementEndpoint endpoint =
                ManagementEndpoint.http(rabbit.host(), rabbit.mgmtPort(), rabbit.user(), rabbit.password());
        if (rabbit.ssl()) {
            AdminTlsFiles files = AdminTlsFiles.of(config.home(), config.platform().instanceName());
            tls = Optional.of(files.clientContext());
            amqpUser = files.user();
            if (!amqpUser.equals(rabbit.user())) {
                LOG.warn("with ssl, RabbitMQ logs vipgate in as '{}', the CN of {}, not as user '{}' of {}; the"
                        + " management API is used as '{}'", amqpUser, files.certificate(), rabbit.user(),
                        rabbitFile, rabbit.user());
            }
            // vip-rabbitmq.md §7.4: https://<host>:<mgmt-port-ssl>, basic auth user/pass, client cert, CA check.
            endpoint = new ManagementEndpoint(URI.create("https://" + rabbit.host() + ":" + rabbit.mgmtPortSsl()),
                    rabbit.user(), rabbit.password(), tls);
        }
        Backoff backoff = Backoff.upTo(rabbit.reconnectDelay());
        ManagementClient management = new ManagementClient(endpoint);
        boolean vhostCreated = new VhostProvisioner(management, backoff, rabbitFile)
                .ensure(rabbit.virtualHost(), amqpUser);

        BrokerConnector connector = new BrokerConnector(rabbit, rabbitFile, tls);
        connection = connector.connect("vipgate " + config.platform().instanceName());
        TopologyRecovery.watch(connection, connector.address(), rabbit.virtualHost());
        VolttronTopology.declare(connection, rabbit.virtualHost());
        return new Ready(config.platform().instanceName(), connector.address(), amqpUser,
                config.home().root(), vhostCreated);
    }

    /** True while the AMQP connection is open; false before {@link #start()}, during recovery, after close. */
    public boolean isConnected() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    /** Closes the AMQP connection, if open. Never throws. */
    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        if (c != null && c.isOpen()) {
            try {
                c.close(com.rabbitmq.client.AMQP.REPLY_SUCCESS, "vipgate stopping", 5_000);
            } catch (IOException | com.rabbitmq.client.AlreadyClosedException e) {
                LOG.warn("closing the RabbitMQ connection: {}", e.toString());
            }
        }
    }
}
