package org.vipgate.gateway.amqp;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs when the gateway's connection is lost and when it is back, and declares VOLTTRON's topology again on
 * every recovery (a broker that lost its data gets its exchanges back).
 *
 * <p>amqp-client's own topology recovery is off ({@link BrokerConnector}): it re-declares on the channel an
 * object was first declared on, which vipgate closes after declaring, and it cannot report a conflict the way
 * {@link VolttronTopology} does.
 */
public final class TopologyRecovery implements RecoveryListener {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyRecovery.class);

    private final String address;
    private final String vhost;

    private TopologyRecovery(String address, String vhost) {
        this.address = address;
        this.vhost = vhost;
    }

    /** Watches the connection from now on. */
    public static void watch(Connection connection, String address, String vhost) {
        connection.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                LOG.warn("connection to RabbitMQ at {} lost: {}; reconnecting with back-off", address,
                        cause.getMessage());
            }
        });
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new TopologyRecovery(address, vhost));
        }
    }

    @Override
    public void handleRecoveryStarted(Recoverable recoverable) {
        LOG.info("reconnecting to RabbitMQ at {}", address);
    }

    @Override
    public void handleRecovery(Recoverable recoverable) {
        try {
            VolttronTopology.declare((Connection) recoverable, vhost);
            LOG.info("connection to RabbitMQ at {} recovered; exchanges '{}' and '{}' declared again", address,
                    VolttronTopology.EXCHANGE, VolttronTopology.UNDELIVERABLE);
        } catch (IOException e) {
            LOG.error("connection to RabbitMQ at {} recovered, but declaring VOLTTRON's exchanges failed: {}; the"
                    + " next recovery tries again", address, e.toString());
        } catch (BrokerException e) {
            LOG.error("connection to RabbitMQ at {} recovered, but {}", address, e.getMessage());
        }
    }
}
