package org.vipgate.federation.remote;

import com.rabbitmq.client.Connection;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/** The outcome of connecting to a remote RabbitMQ platform (vip-rabbitmq.md §8.1). Never null. */
public sealed interface RemoteConnection {

    /** Logged in over AMQPS with SASL EXTERNAL as {@code certificate.commonName()}; the caller closes it. */
    record Connected(Connection connection, RemoteCertificate certificate) implements RemoteConnection {
        public Connected {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(certificate, "certificate");
        }
    }

    /** The certificate request waits for the remote administrator; connect again later. */
    record Pending(String commonName, URI webAddress) implements RemoteConnection {
    }

    /** The remote administrator denied the request; connecting again is pointless until they change their mind. */
    record Denied(String commonName, URI webAddress) implements RemoteConnection {
    }

    /** Discovery, the certificate request or the AMQPS login failed; why, for the log. */
    record Failed(String reason) implements RemoteConnection {
    }

    /** {@link RetryingConnector} gave up at its deadline; {@code last} is the last attempt's outcome. */
    record TimedOut(URI webAddress, Duration waited, RemoteConnection last) implements RemoteConnection {
    }
}
