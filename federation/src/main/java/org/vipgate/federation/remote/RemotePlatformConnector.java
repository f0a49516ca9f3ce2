package org.vipgate.federation.remote;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.PemException;
import org.vipgate.certs.PemTls;
import org.vipgate.federation.Causes;

/**
 * Java's {@code connect_remote_platform} for an {@code https://} address (vip-rabbitmq.md §8.1;
 * certs-csr-discovery.md §2.1): discovery, a certificate for {@code <remote>.<localInstance>.<identity>} from the
 * remote CSR service (or the stored one), then an AMQPS connection to the discovered {@code rmq-address} with SASL
 * EXTERNAL, trusting only the remote CA and checking the broker's host name (§1.6), with automatic recovery.
 *
 * <p>Beyond VOLTTRON (which never notices, §2.1 step 3): when the remote broker refuses a stored certificate (the
 * request was denied or deleted there, so the user is gone) the certificate is deleted and requested again, once per
 * call, and that outcome returned (usually {@link RemoteConnection.Pending} or {@link RemoteConnection.Denied}).
 * Thread-safe.
 */
public final class RemotePlatformConnector implements RemoteConnector {

    /** AMQPS default port (vip-rabbitmq.md §7.1 {@code amqp-port-ssl}). */
    public static final int DEFAULT_AMQPS_PORT = 5671;

    private static final Logger LOG = LoggerFactory.getLogger(RemotePlatformConnector.class);

    /**
     * How the AMQPS connection is made.
     *
     * @param connectionTimeout TCP connect timeout
     * @param handshakeTimeout  TLS and AMQP handshake timeout
     * @param heartbeat         requested heartbeat (VOLTTRON: 20 s, vip-rabbitmq.md §7.5)
     * @param recoveryInterval  wait between automatic recovery attempts (VOLTTRON: retry_delay 2 s)
     */
    public record Options(Duration connectionTimeout, Duration handshakeTimeout, Duration heartbeat,
                          Duration recoveryInterval) {

        public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);
        public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
        public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(20);
        public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(2);

        public Options {
            Objects.requireNonNull(connectionTimeout, "connectionTimeout");
            Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            Objects.requireNonNull(heartbeat, "heartbeat");
            Objects.requireNonNull(recoveryInterval, "recoveryInterval");
        }

        public static Options defaults() {
            return new Options(DEFAULT_CONNECTION_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_HEARTBEAT,
                    DEFAULT_RECOVERY_INTERVAL);
        }
    }

    private final DiscoveryClient discovery;
    private final RemoteCertificates certificates;
    private final Options options;

    /** With the CSR client's own discovery client and the default options. */
    public RemotePlatformConnector(CsrRemoteCertificates certificates) {
        this(certificates.discovery(), certificates, Options.defaults());
    }

    public RemotePlatformConnector(DiscoveryClient discovery, RemoteCertificates certificates, Options options) {
        this.discovery = Objects.requireNonNull(discovery, "discovery");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @param webAddress    the remote platform's {@code https://host:port}
     * @param localInstance this platform's instance name
     * @param identity      the local agent's identity; the remote user is {@code <remote>.<localInstance>.<identity>}
     *                      and the local key {@code <localInstance>.<identity>} (certs-csr-discovery.md §1.5)
     */
    @Override
    public RemoteConnection connect(URI webAddress, String localInstance, String identity) {
        Objects.requireNonNull(webAddress, "webAddress");
        Objects.requireNonNull(localInstance, "localInstance");
        Objects.requireNonNull(identity, "identity");
        RemoteDiscovery remote;
        try {
            remote = discovery.discover(webAddress);
        } catch (DiscoveryException | IllegalArgumentException e) {
            return failed(webAddress, e.getMessage());
        }
        // certs-csr-discovery.md §2.1 step 3: fqid = <local>.<identity>, CN = <remote>.<fqid>.
        String localKeyName = localInstance + "." + identity;
        String commonName = remote.instanceName() + "." + localKeyName;
        boolean askedAgain = false;
        while (true) {
            CertificateOutcome outcome = certificates.obtain(webAddress, commonName, localKeyName);
            if (outcome instanceof CertificateOutcome.Pending) {
                return new RemoteConnection.Pending(commonName, webAddress);
            }
            if (outcome instanceof CertificateOutcome.Denied) {
                return new RemoteConnection.Denied(commonName, webAddress);
            }
            if (outcome instanceof CertificateOutcome.Failed f) {
                return failed(webAddress, f.reason());
            }
            RemoteCertificate certificate = ((CertificateOutcome.Issued) outcome).certificate();
            try {
                return new RemoteConnection.Connected(open(certificate), certificate);
            } catch (PossibleAuthenticationFailureException e) {
                if (askedAgain) {
                    return failed(webAddress, "the broker " + certificate.rmqAddress() + " refused '" + commonName
                            + "' again with a certificate just issued (" + Causes.describe(e) + "); the remote"
                            + " platform approved the request but has no RabbitMQ user '" + commonName
                            + "' with permissions on its vhost: ask its administrator");
                }
                LOG.warn("the broker {} refused the stored certificate of '{}' ({}): the request was probably denied"
                        + " or deleted on '{}'; deleting {} and asking again", certificate.rmqAddress(), commonName,
                        Causes.describe(e), remote.instanceName(), certificate.certificate());
                forget(certificate);
                askedAgain = true;
            } catch (PemException e) {
                return failed(webAddress, "cannot use the certificate of '" + commonName + "': " + e.getMessage());
            } catch (IOException | TimeoutException | RuntimeException e) {
                return failed(webAddress, "cannot connect to " + certificate.rmqAddress() + " as '" + commonName
                        + "': " + Causes.describe(e));
            }
        }
    }

    /** vip-rabbitmq.md §8.1 step 4, certs-csr-discovery.md §1.6: AMQPS, remote CA, EXTERNAL, broker host checked. */
    private Connection open(RemoteCertificate certificate) throws IOException, TimeoutException, PemException {
        URI rmq = certificate.rmqAddress();
        if (!"amqps".equalsIgnoreCase(rmq.getScheme())) {
            throw new IOException("the remote rmq-address " + rmq + " is not amqps; certificate login needs TLS");
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(rmq.getHost());
        factory.setPort(rmq.getPort() == -1 ? DEFAULT_AMQPS_PORT : rmq.getPort());
        factory.setVirtualHost(vhost(rmq));
        factory.useSslProtocol(PemTls.clientContext(certificate.remoteCa(), certificate.certificate(),
                certificate.privateKey()));
        factory.enableHostnameVerification();
        factory.setSaslConfig(DefaultSaslConfig.EXTERNAL);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(options.recoveryInterval().toMillis());
        factory.setConnectionTimeout(Math.toIntExact(options.connectionTimeout().toMillis()));
        factory.setHandshakeTimeout(Math.toIntExact(options.handshakeTimeout().toMillis()));
        factory.setRequestedHeartbeat(Math.toIntExact(options.heartbeat().toSeconds()));
        Connection connection = factory.newConnection(certificate.commonName());
        LOG.info("connected to the remote platform '{}' at {} as '{}' (AMQPS, EXTERNAL)",
                certificate.remoteInstance(), rmq, certificate.commonName());
        return connection;
    }

    /** {@code amqps://host:port/volttron} → {@code volttron}; no path → {@code /}. */
    static String vhost(URI rmq) {
        String path = rmq.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "/";
        }
        return URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
    }

    private void forget(RemoteCertificate certificate) {
        if (certificates instanceof CsrRemoteCertificates csr) {
            csr.forget(certificate.commonName());
            return;
        }
        try {
            Files.deleteIfExists(certificate.certificate());
        } catch (IOException e) {
            LOG.error("cannot delete the refused certificate {}: {}; delete it by hand", certificate.certificate(),
                    e.toString());
        }
    }

    private static RemoteConnection failed(URI webAddress, String reason) {
        LOG.warn("cannot connect to the remote platform at {}: {}", webAddress, reason);
        return new RemoteConnection.Failed(reason);
    }
}
