package org.vipgate.gateway.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.RecoveryDelayHandler;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.vipgate.federation.Causes;
import org.vipgate.gateway.config.RabbitConfig;

/**
 * Opens the gateway's AMQP connection to the broker of {@code rabbitmq_config.yml}, retrying with back-off
 * while the broker cannot be reached, and failing at once when it refuses the credentials or the vhost.
 *
 * <p>The connection recovers by itself after it is lost (amqp-client automatic recovery, with the same
 * back-off); {@link TopologyRecovery} declares the exchanges again.
 */
public final class BrokerConnector {

    /** vip-rabbitmq.md §7.5: VOLTTRON's agents use a 20 s heartbeat. */
    public static final int HEARTBEAT_SECONDS = 20;
    /** Limit on the TCP connect and the AMQP handshake of one attempt. */
    public static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final RabbitConfig config;
    private final Path configFile;
    private final Backoff backoff;
    private final ConnectionFactory factory;

    /**
     * @param tls a client TLS context when {@code ssl} is on: the broker is then reached on {@code amqp-port-ssl}
     *            with SASL EXTERNAL (the certificate's CN is the user, vip-rabbitmq.md §7.2, §7.5)
     */
    public BrokerConnector(RabbitConfig config, Path configFile, Optional<SSLContext> tls) {
        this.config = config;
        this.configFile = configFile;
        this.backoff = Backoff.upTo(config.reconnectDelay());
        this.factory = new ConnectionFactory();
        factory.setHost(config.host());
        factory.setVirtualHost(config.virtualHost());
        factory.setRequestedHeartbeat(HEARTBEAT_SECONDS);
        factory.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        factory.setHandshakeTimeout(CONNECT_TIMEOUT_MILLIS);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(false); // TopologyRecovery re-declares, on a channel of its own
        factory.setRecoveryDelayHandler(recoveryDelays(backoff));
        if (tls.isPresent()) {
            factory.setPort(config.amqpPortSsl());
            factory.useSslProtocol(tls.get());
            factory.enableHostnameVerification();
            factory.setSaslConfig(DefaultSaslConfig.EXTERNAL);
        } else {
            factory.setPort(config.amqpPort());
            factory.setUsername(config.user());
            factory.setPassword(config.password());
        }
    }

    /** e.g. {@code amqp://127.0.0.1:5672/volttron}, for logs. */
    public String address() {
        return (factory.isSSL() ? "amqps" : "amqp") + "://" + config.host() + ":" + factory.getPort() + "/"
                + config.virtualHost();
    }

    /**
     * Connects, retrying while the broker is unreachable.
     *
     * @throws BrokerException      the broker refused the credentials or access to the vhost
     * @throws InterruptedException vipgate is stopping
     */
    public Connection connect(String connectionName) throws BrokerException, InterruptedException {
        String hint = "Is RabbitMQ running? Check host and " + (factory.isSSL() ? "amqp-port-ssl" : "amqp-port")
                + " in " + configFile;
        return new RetryLoop(backoff).run("RabbitMQ at " + address(), hint, () -> attempt(connectionName));
    }

    private Attempt<Connection> attempt(String connectionName) throws BrokerException {
        try {
            return new Attempt.Done<>(factory.newConnection(connectionName));
        } catch (AuthenticationFailureException e) {
            String who = factory.isSSL() ? "the client certificate (SASL EXTERNAL)" : "user '" + config.user() + "'";
            String fix = factory.isSSL() ? "Make sure a RabbitMQ user named like the certificate's CN exists"
                    : "Check user and pass in " + configFile;
            throw new BrokerException(BrokerException.Reason.AUTHENTICATION, "RabbitMQ at " + address()
                    + " refused " + who + ": " + e.getMessage() + ". " + fix, e);
        } catch (PossibleAuthenticationFailureException e) {
            // The socket closed during login: a broker that is still starting does this too.
            return new Attempt.Retry<>("connection closed during login (" + Causes.describe(e)
                    + "); if this repeats, check user and pass in " + configFile);
        } catch (IOException e) {
            BrokerException untrusted = TlsTrust.refusal("RabbitMQ at " + address(), e, config.host(), configFile);
            if (untrusted != null) {
                throw untrusted;
            }
            ShutdownSignalException signal = VolttronTopology.shutdownSignal(e);
            if (signal != null && VolttronTopology.replyCode(signal) == AMQP.NOT_ALLOWED) {
                throw new BrokerException(BrokerException.Reason.ACCESS, "RabbitMQ at " + address()
                        + " refused user '" + config.user() + "' access to vhost '" + config.virtualHost()
                        + "' (" + VolttronTopology.replyText(signal) + "). Grant the user permissions on the vhost"
                        + " (rabbitmqctl set_permissions -p " + config.virtualHost() + " " + config.user()
                        + " '.*' '.*' '.*') or fix virtual-host in " + configFile, e);
            }
            return new Attempt.Retry<>(Causes.describe(e));
        } catch (TimeoutException e) {
            return new Attempt.Retry<>("timed out after " + CONNECT_TIMEOUT_MILLIS + " ms");
        }
    }

    private static RecoveryDelayHandler recoveryDelays(Backoff backoff) {
        return recoveryAttempts -> backoff.delay(recoveryAttempts + 1).toMillis();
    }
}
