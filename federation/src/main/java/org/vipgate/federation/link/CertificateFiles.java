package org.vipgate.federation.link;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code certificates} block of an upstream or shovel remote (vip-rabbitmq.md §5.1, §6.1).
 *
 * @param remoteCa   {@code remote_ca}: the remote root CA (PEM)
 * @param publicCert {@code public_cert}: the certificate the remote CA signed for us
 * @param privateKey {@code private_key} (or the example's {@code private_cert}): our key
 */
public record CertificateFiles(Path remoteCa, Path publicCert, Path privateKey) {

    public CertificateFiles {
        Objects.requireNonNull(remoteCa, "remoteCa");
        Objects.requireNonNull(publicCert, "publicCert");
        Objects.requireNonNull(privateKey, "privateKey");
    }
}
