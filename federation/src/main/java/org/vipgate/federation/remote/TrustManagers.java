package org.vipgate.federation.remote;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** The JDK's PKIX trust manager over given anchors, and the recording manager discovery uses. */
final class TrustManagers {

    private TrustManagers() {
    }

    /** The JDK's PKIX manager trusting exactly {@code anchors}; it checks the host name when given an engine. */
    static X509ExtendedTrustManager trusting(List<X509Certificate> anchors) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("anchor-" + i, anchors.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    return extended;
                }
            }
            throw new IllegalStateException("the JDK has no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust manager: " + e, e);
        }
    }

    /** True when the chain (as the server presented it) leads to {@code anchor}; the host name is not checked. */
    static boolean chainsTo(X509Certificate[] chain, String authType, X509Certificate anchor) {
        if (chain == null || chain.length == 0) {
            return false;
        }
        try {
            trusting(List.of(anchor)).checkServerTrusted(chain, authType == null ? "UNKNOWN" : authType);
            return true;
        } catch (CertificateException e) {
            return false;
        }
    }

    /** Every certificate of a PEM text. */
    static List<X509Certificate> parsePem(String pem) throws CertificateException {
        Collection<? extends java.security.cert.Certificate> parsed = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        List<X509Certificate> out = new ArrayList<>();
        for (java.security.cert.Certificate c : parsed) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new CertificateException("no '-----BEGIN CERTIFICATE-----' block");
        }
        return out;
    }

    /**
     * Accepts any server (trust on first use, certs-csr-discovery.md §1.6) but records the chain and whether the
     * JDK's check against the pinned anchors, host name included, passed; the caller decides after reading the
     * answer which instance it is and so which verdict applies.
     */
    static final class Recording extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager pinned;
        private volatile X509Certificate[] chain;
        private volatile String authType;
        private volatile boolean verified;
        private volatile String failure = "no TLS handshake took place";

        /** @param pinned the manager over every pinned CA, or null when none is pinned */
        Recording(X509ExtendedTrustManager pinned) {
            this.pinned = pinned;
        }

        X509Certificate[] chain() {
            return chain;
        }

        String authType() {
            return authType;
        }

        boolean verified() {
            return verified;
        }

        String failure() {
            return failure;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            record(chain, authType, () -> pinned.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            record(chain, authType, () -> pinned.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            record(chain, authType, () -> pinned.checkServerTrusted(chain, authType));
        }

        private interface Check {
            void run() throws CertificateException;
        }

        private void record(X509Certificate[] chain, String authType, Check check) {
            this.chain = chain.clone();
            this.authType = authType;
            if (pinned == null) {
                failure = "no remote CA is pinned yet";
                return;
            }
            try {
                check.run();
                verified = true;
            } catch (CertificateException e) {
                failure = e.getMessage();
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("discovery is a client only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("discovery is a client only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("discovery is a client only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
