package org.vipgate.federation.link;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code federation-upstream} (vip-rabbitmq.md §5.1).
 *
 * @param host           the map key: upstream host, used in the URI, as SNI and for the CSR
 * @param port           upstream AMQPS port
 * @param virtualHost    upstream vhost
 * @param httpsPort      upstream web port for discovery and CSR (default 8443)
 * @param federationUser {@code federation-user}; required by VOLTTRON, not put in the URI (§5.1)
 * @param instanceName   vipgate's optional {@code instance-name}: the upstream's instance name, which saves asking
 *                       its discovery for it
 * @param certificates   present once a certificate was obtained or given
 * @param tuning         vipgate's optional upstream knobs
 */
public record FederationUpstream(String host, int port, String virtualHost, int httpsPort, String federationUser,
                                 Optional<String> instanceName, Optional<CertificateFiles> certificates,
                                 UpstreamTuning tuning) {

    /** VOLTTRON's default web port of the upstream (§5.1). */
    public static final int DEFAULT_HTTPS_PORT = 8443;

    public FederationUpstream {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(virtualHost, "virtualHost");
        Objects.requireNonNull(federationUser, "federationUser");
        Objects.requireNonNull(instanceName, "instanceName");
        Objects.requireNonNull(certificates, "certificates");
        Objects.requireNonNull(tuning, "tuning");
    }

    /** vip-rabbitmq.md §5.4 step 2: {@code upstream-<host>-<upstream virtual-host>}. */
    public String parameterName() {
        return "upstream-" + host + "-" + virtualHost;
    }

    /** {@code https://<host>:<https-port>}, where discovery and CSR are served. */
    public URI webAddress() {
        return URI.create("https://" + host + ":" + httpsPort);
    }
}
