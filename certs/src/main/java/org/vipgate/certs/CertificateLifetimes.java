package org.vipgate.certs;

import java.time.Duration;

/**
 * How long new certificates are valid. VOLTTRON gives every certificate 3650 days (certs-csr-discovery.md §1.1);
 * vipgate keeps that for the root CA but gives leaves at most a year by default, and renews them
 * ({@link CertificateInventory}).
 *
 * @param caDays   validity of a new root CA, in days
 * @param leafDays validity of server and client certificates (also CSR-signed ones), in days
 */
public record CertificateLifetimes(int caDays, int leafDays) {

    /** Root CA validity by default: VOLTTRON's {@code DEFAULT_DAYS}. */
    public static final int DEFAULT_CA_DAYS = 3650;
    /** Leaf validity by default: one year, deliberately shorter than VOLTTRON's 3650 days. */
    public static final int DEFAULT_LEAF_DAYS = 365;

    public CertificateLifetimes {
        if (caDays < 1 || leafDays < 1) {
            throw new IllegalArgumentException("lifetimes must be at least one day: ca " + caDays + ", leaf "
                    + leafDays);
        }
    }

    /** 3650 days for the CA, 365 for leaves. */
    public static CertificateLifetimes defaults() {
        return new CertificateLifetimes(DEFAULT_CA_DAYS, DEFAULT_LEAF_DAYS);
    }

    public Duration ca() {
        return Duration.ofDays(caDays);
    }

    public Duration leaf() {
        return Duration.ofDays(leafDays);
    }
}
