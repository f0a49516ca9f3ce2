package org.vipgate.gateway.zmq.external;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.vipgate.gateway.config.ConfigException;

/**
 * What an https {@code /discovery/} fetch trusts (certs-csr-discovery.md §3.3: VOLTTRON's setup mode verifies
 * certificates, with the CA bundle of {@code REQUESTS_CA_BUNDLE}): Java's own CAs, plus the CAs of
 * {@code [vipgate] discovery-ca-file} and of {@code REQUESTS_CA_BUNDLE} when they are set. Nothing is trusted on
 * first use; the host name must match the certificate.
 */
public final class DiscoveryTrust {

    /** VOLTTRON's (python-requests') CA bundle variable. */
    public static final String REQUESTS_CA_BUNDLE = "REQUESTS_CA_BUNDLE";

    private DiscoveryTrust() {
    }

    /** The CA files to trust besides Java's: the configured one, then {@code REQUESTS_CA_BUNDLE}'s. */
    public static List<Path> caFiles(Optional<Path> configured, Map<String, String> env) {
        List<Path> files = new ArrayList<>();
        configured.ifPresent(files::add);
        String bundle = env.get(REQUESTS_CA_BUNDLE);
        if (bundle != null && !bundle.isBlank()) {
            files.add(Path.of(bundle.strip()));
        }
        return files;
    }

    /**
     * A TLS context trusting Java's CAs and those of {@code caFiles}.
     *
     * @throws ConfigException a file cannot be read or holds no PEM certificate
     */
    public static SSLContext context(List<Path> caFiles) throws ConfigException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            TrustManagerFactory javaDefault =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            javaDefault.init((KeyStore) null);
            int n = 0;
            for (var tm : javaDefault.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate ca : x.getAcceptedIssuers()) {
                        store.setCertificateEntry("java-" + n++, ca);
                    }
                }
            }
            for (Path file : caFiles) {
                for (Certificate ca : read(file)) {
                    store.setCertificateEntry("file-" + n++, ca);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the TLS context for discovery: " + e, e);
        }
    }

    private static Collection<? extends Certificate> read(Path file) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (cas.isEmpty()) {
                throw ConfigException.invalid(file, null, "holds no certificate", "PEM CA certificates");
            }
            return cas;
        } catch (IOException e) {
            throw ConfigException.unreadable(file, e);
        } catch (CertificateException e) {
            throw ConfigException.invalid(file, null, "not PEM certificates (" + e.getMessage() + ")",
                    "PEM CA certificates");
        }
    }
}
