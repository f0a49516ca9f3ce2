package org.vipgate.gateway.cli;

import org.vipgate.federation.remote.RemoteCertificates;
import org.vipgate.federation.remote.RemoteInstanceNames;
import org.vipgate.gateway.config.HomePki;
import org.vipgate.gateway.config.VolttronHome;

/**
 * How the federation and shovel commands get the remote CSR client (vip-rabbitmq.md §5.2). Install the real one with
 * {@link LinkCommands#useRemoteCertificates}; until then {@link #NOT_WIRED} is used, and an upstream without a
 * {@code certificates} block is reported as failed with its message.
 */
public interface RemoteCertificatesFactory {

    /** The default: no remote CSR client on this build. */
    RemoteCertificatesFactory NOT_WIRED = new RemoteCertificatesFactory() {
        @Override
        public RemoteCertificates certificates(VolttronHome home, HomePki pki, String folder) {
            throw new UnsupportedOperationException("remote CSR client not wired");
        }

        @Override
        public RemoteInstanceNames instanceNames(VolttronHome home, HomePki pki) {
            throw new UnsupportedOperationException("remote CSR client not wired");
        }
    };

    /**
     * The CSR client for the home's instance, storing what it obtains in {@code certificates/<folder>/} (VOLTTRON:
     * {@code federation} or {@code shovel}); called only when some upstream or remote lacks certificates.
     */
    RemoteCertificates certificates(VolttronHome home, HomePki pki, String folder);

    /** Remote instance names from discovery; called only when some entry lacks {@code instance-name}. */
    RemoteInstanceNames instanceNames(VolttronHome home, HomePki pki);
}
