package org.vipgate.gateway.cli;

import java.nio.file.Path;
import org.vipgate.certs.PkiException;
import org.vipgate.federation.remote.CsrRemoteCertificates;
import org.vipgate.federation.remote.DiscoveryClient;
import org.vipgate.federation.remote.RemoteCertificates;
import org.vipgate.federation.remote.RemoteInstanceNames;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.HomePki;
import org.vipgate.gateway.config.VolttronHome;

/**
 * The link commands' remote CSR client: discovery with the remote CA pinned, and CSRs signed with the home's CA
 * (vip-rabbitmq.md §5.2), storing under {@code certificates/<folder>/}.
 */
final class CsrClientFactory implements RemoteCertificatesFactory {

    @Override
    public RemoteCertificates certificates(VolttronHome home, HomePki pki, String folder) {
        try {
            return new CsrRemoteCertificates(pki.certificateAuthority(), folder(pki, folder));
        } catch (ConfigException | PkiException e) {
            throw new IllegalStateException("the local CA of " + home.root() + " is not usable: " + e.getMessage(), e);
        }
    }

    @Override
    public RemoteInstanceNames instanceNames(VolttronHome home, HomePki pki) {
        // the pins of both kinds of link live in certificates/federation unless a shovel stored its own first
        DiscoveryClient discovery = new DiscoveryClient(folder(pki, "federation"));
        return web -> discovery.discover(web).instanceName();
    }

    private static Path folder(HomePki pki, String folder) {
        return pki.layout().root().resolve(folder);
    }
}
