package org.vipgate.gateway.amqp;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import org.vipgate.federation.Causes;

/**
 * Tells a TLS failure that retrying cannot fix (the broker's certificate is not signed by the trusted CA, or
 * does not name the host) from one that may pass (a broker still starting closes the handshake).
 */
final class TlsTrust {

    private TlsTrust() {
    }

    /** A {@link BrokerException} for a certificate the client refused, or null for any other failure. */
    static BrokerException refusal(String what, Throwable failure, String host, Path configFile) {
        CertificateException refused = Causes.find(failure, CertificateException.class);
        if (refused == null) {
            return null;
        }
        return new BrokerException(BrokerException.Reason.TLS_TRUST, what + " presented a certificate vipgate"
                + " does not accept (" + Causes.describe(refused) + "). Check that host '" + host + "' in "
                + configFile + " is a name in the broker's certificate, and that the instance's"
                + " certificates/certs/<instance>-trusted-cas.crt holds the CA that signed it", failure);
    }
}
