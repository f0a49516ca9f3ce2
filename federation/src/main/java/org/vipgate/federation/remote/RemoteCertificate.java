package org.vipgate.federation.remote;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a remote platform issued to one local identity through its CSR service (certs-csr-discovery.md §1.6, §2.1;
 * vip-rabbitmq.md §5.2), as files on disk.
 *
 * @param remoteInstance the remote platform's instance name (from its discovery)
 * @param commonName     the certificate's CN and the remote RabbitMQ user, {@code <remote>.<local>.<identity>}
 * @param certificate    the certificate the remote CA signed (PEM)
 * @param remoteCa       the remote root CA, {@code <remote>_ca.crt} (PEM), the only trust anchor for that broker
 * @param privateKey     the local private key the certificate was requested for (PEM)
 * @param rmqAddress     the remote broker, {@code amqps://host:port/vhost} from discovery
 */
public record RemoteCertificate(String remoteInstance, String commonName, Path certificate, Path remoteCa,
                                Path privateKey, URI rmqAddress) {

    public RemoteCertificate {
        Objects.requireNonNull(remoteInstance, "remoteInstance");
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(remoteCa, "remoteCa");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(rmqAddress, "rmqAddress");
    }
}
