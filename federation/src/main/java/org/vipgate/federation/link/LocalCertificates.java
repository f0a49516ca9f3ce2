package org.vipgate.federation.link;

import java.nio.file.Path;

/**
 * The local certificates of local identities {@code <inst>.<id>} (vip-rabbitmq.md §7.3: {@code certs/<name>.crt},
 * {@code private/<name>.pem}), issued by the local CA when missing. The gateway implements it with its home's PKI.
 */
@FunctionalInterface
public interface LocalCertificates {

    /** A certificate and its key. */
    record Files(Path certificate, Path privateKey) {
    }

    /**
     * @param name the certificate name and CN, {@code <inst>.<id>}
     * @throws Exception when it is missing and cannot be issued
     */
    Files ensure(String name) throws Exception;
}
