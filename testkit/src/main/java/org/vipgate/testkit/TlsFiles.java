package org.vipgate.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * PEM files for a broker's TLS listener, as a test passes them in.
 *
 * @param caCertificate     CA bundle the broker trusts for client certificates ({@code ssl_options.cacertfile})
 * @param certificate       the broker's certificate ({@code ssl_options.certfile})
 * @param privateKey        the broker's unencrypted private key ({@code ssl_options.keyfile})
 * @param verifyPeer        {@code ssl_options.verify = verify_peer} when true, {@code verify_none} otherwise
 * @param failIfNoPeerCert  {@code ssl_options.fail_if_no_peer_cert}
 */
public record TlsFiles(Path caCertificate, Path certificate, Path privateKey,
                       boolean verifyPeer, boolean failIfNoPeerCert) {

    public TlsFiles {
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        for (Path p : new Path[] {caCertificate, certificate, privateKey}) {
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("TLS file " + p + " does not exist or is not readable");
            }
        }
    }

    /** VOLTTRON's broker settings (vip-rabbitmq.md §7.2): verify_peer and fail_if_no_peer_cert. */
    public static TlsFiles mutual(Path caCertificate, Path certificate, Path privateKey) {
        return new TlsFiles(caCertificate, certificate, privateKey, true, true);
    }
}
