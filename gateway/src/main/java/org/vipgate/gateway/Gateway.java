package org.vipgate.gateway;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.federation.management.ManagementClient;
import org.vipgate.federation.management.ManagementEndpoint;
import org.vipgate.gateway.amqp.Backoff;
import org.vipgate.gateway.amqp.BrokerConnector;
import org.vipgate.gateway.amqp.BrokerException;
import org.vipgate.gateway.amqp.VhostProvisioner;
import org.vipgate.gateway.amqp.VolttronTopology;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.RabbitConfig;

/**
 * The vipgate process: prepares the VOLTTRON_HOME, connects to RabbitMQ and declares VOLTTRON's topology.
 * {@link #start()} returns once the gateway is ready; {@link #close()} releases everything it opened.
 */
public final class Gateway implements AutoCloseable {

    /** What {@link #start()} reports: enough for the one ready line. */
    public record Ready(String instance, String amqpAddress, String user, Path home, boolean vhostCreated) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private volatile Connection connection;

    public Gateway(GatewayConfig config) {
        this.config = config;
    }

    /**
     * Creates missing home folders, makes sure the vhost exists, connects and declares the topology.
     *
     * @throws IOException          the home cannot be prepared, or the broker failed mid-declaration
     * @throws BrokerException      the broker refused credentials, access, or has conflicting objects
     * @throws InterruptedException vipgate is stopping
     */
    public Ready start() throws IOException, BrokerException, InterruptedException {
        List<Path> created = config.home().ensureLayout();
        if (!created.isEmpty()) {
            LOG.info("created in VOLTTRON_HOME {}: {}", config.home().root(), created);
        }
        RabbitConfig rabbit = config.rabbit();
        Path rabbitFile = config.home().rabbitConfigFile();
        if (rabbit.ssl()) {
            throw new BrokerException(BrokerException.Reason.AUTHENTICATION, rabbitFile + ": ssl: true needs the"
                    + " platform's TLS client certificate, which this vipgate version cannot load yet; set"
                    + " 'ssl: false' and give user and pass", null);
        }
        Backoff backoff = Backoff.upTo(rabbit.reconnectDelay());
        ManagementClient management = new ManagementClient(
                ManagementEndpoint.http(rabbit.host(), rabbit.mgmtPort(), rabbit.user(), rabbit.password()));
        boolean vhostCreated = new VhostProvisioner(management, backoff, rabbitFile)
                .ensure(rabbit.virtualHost(), rabbit.user());

        BrokerConnector connector = new BrokerConnector(rabbit, rabbitFile, Optional.empty());
        connection = connector.connect("vipgate " + config.platform().instanceName());
        watch(connection, connector.address());
        VolttronTopology.declare(connection, rabbit.virtualHost());
        return new Ready(config.platform().instanceName(), connector.address(), rabbit.user(),
                config.home().root(), vhostCreated);
    }

    private static void watch(Connection connection, String address) {
        connection.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                LOG.warn("connection to RabbitMQ at {} lost: {}; reconnecting with back-off", address,
                        cause.getMessage());
            }
        });
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable r) {
                    LOG.info("connection to RabbitMQ at {} recovered; topology re-declared", address);
                }

                @Override
                public void handleRecoveryStarted(Recoverable r) {
                    LOG.info("reconnecting to RabbitMQ at {}", address);
                }
            });
        }
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
