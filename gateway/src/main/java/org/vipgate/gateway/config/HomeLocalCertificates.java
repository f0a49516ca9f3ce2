package org.vipgate.gateway.config;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.IssuedCertificate;
import org.vipgate.federation.link.LocalCertificates;

/**
 * Local identities' certificates from the home's PKI (vip-rabbitmq.md §7.3): {@code certs/<name>.crt} and
 * {@code private/<name>.pem} when both exist, else issued by the instance's CA.
 */
public final class HomeLocalCertificates implements LocalCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(HomeLocalCertificates.class);

    private final HomePki pki;

    public HomeLocalCertificates(HomePki pki) {
        this.pki = pki;
    }

    @Override
    public Files ensure(String name) throws Exception {
        Path cert = pki.layout().certificate(name);
        Path key = pki.layout().privateKey(name);
        if (java.nio.file.Files.exists(cert) && java.nio.file.Files.exists(key)) {
            return new Files(cert, key);
        }
        IssuedCertificate issued = pki.certificateAuthority().issueClient(name);
        LOG.info("issued local certificate '{}' ({}) from the CA of instance '{}' for a shovel source", name,
                issued.certificateFile(), pki.instanceName());
        return new Files(issued.certificateFile(), issued.privateKeyFile());
    }
}
