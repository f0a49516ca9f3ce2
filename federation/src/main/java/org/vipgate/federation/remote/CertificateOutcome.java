package org.vipgate.federation.remote;

/** The result of asking a remote platform for a certificate (certs-csr-discovery.md §2.1 step 6). Never null. */
public sealed interface CertificateOutcome {

    /** Approved (or signed at once): the files are stored. */
    record Issued(RemoteCertificate certificate) implements CertificateOutcome {
    }

    /** Waiting for the remote administrator; ask again later. */
    record Pending(String commonName, String webAddress) implements CertificateOutcome {
    }

    /** The remote administrator denied it; asking again is pointless until they change their mind. */
    record Denied(String commonName, String webAddress) implements CertificateOutcome {
    }

    /** It could not be asked or answered: unreachable, bad discovery, ERROR from the server; why, for the log. */
    record Failed(String reason) implements CertificateOutcome {
    }
}
