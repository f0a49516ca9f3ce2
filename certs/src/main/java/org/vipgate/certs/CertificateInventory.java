package org.vipgate.certs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates of a VOLTTRON_HOME ({@code certificates/certs/*.crt} and {@code certificates/remote_certs/*.crt},
 * certs-csr-discovery.md §1.4) and their renewal, for {@code vipgate certs list|renew}.
 *
 * <p>{@link #list()} reads every file and reports what it finds; a file that is not a certificate is logged and
 * left out. {@link #renewExpiring} re-issues, with the same public key, subject, kind and SANs, every leaf this CA
 * issued that expires within the threshold, and replaces its file; the private keys are not touched, so the
 * holders keep using them. CA certificates are never renewed automatically (a new root must be redistributed to
 * every peer); they are reported as {@link Renewal.Skipped}.
 */
public final class CertificateInventory {

    /** Renew what expires within this many days, by default. */
    public static final int DEFAULT_RENEW_WITHIN_DAYS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(CertificateInventory.class);

    /** Where a certificate file lives. */
    public enum Location {
        /** {@code certs/}: this instance's own certificates. */
        LOCAL,
        /** {@code remote_certs/}: certificates this CA signed for remote platforms' CSRs. */
        REMOTE
    }

    /**
     * One certificate file.
     *
     * @param name       the file stem, e.g. {@code v1-server}
     * @param file       the file
     * @param location   {@code certs/} or {@code remote_certs/}
     * @param commonName the subject CN
     * @param kind       CA, server or client
     * @param notAfter   end of validity
     * @param daysLeft   whole days from now to {@code notAfter}; negative when expired
     */
    public record Entry(String name, Path file, Location location, String commonName, CertificateKind kind,
                        Instant notAfter, long daysLeft) {
    }

    /** What {@link #renewExpiring} did with one expiring certificate. */
    public sealed interface Renewal {
        Entry entry();

        /** Re-issued; the file now holds the new certificate. */
        record Renewed(Entry entry, Instant newNotAfter) implements Renewal {
        }

        /** Left as it is, and why (a CA, or issued by another CA). */
        record Skipped(Entry entry, String reason) implements Renewal {
        }

        /** Renewal was tried and failed; the old file is unchanged. */
        record Failed(Entry entry, String reason) implements Renewal {
        }
    }

    private final CertificateLayout layout;
    private final Clock clock;

    public CertificateInventory(CertificateLayout layout) {
        this(layout, Clock.systemUTC());
    }

    CertificateInventory(CertificateLayout layout, Clock clock) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Every certificate under {@code certs/} and {@code remote_certs/}, local first, then by name. Missing
     * directories give nothing.
     *
     * @throws PkiException when a directory cannot be listed
     */
    public List<Entry> list() throws PkiException {
        List<Entry> entries = new ArrayList<>();
        collect(layout.certsDir(), Location.LOCAL, entries);
        collect(layout.remoteCertsDir(), Location.REMOTE, entries);
        entries.sort(Comparator.comparing(Entry::location).thenComparing(Entry::name));
        return List.copyOf(entries);
    }

    /**
     * Renews the certificates that expire within {@code within} (or have expired), as the class comment says.
     *
     * @return one outcome per expiring certificate, in {@link #list()} order; empty when none expires soon
     * @throws PkiException when a directory cannot be listed
     */
    public List<Renewal> renewExpiring(CertificateAuthority ca, Duration within) throws PkiException {
        Instant deadline = clock.instant().plus(within);
        List<Renewal> outcomes = new ArrayList<>();
        for (Entry entry : list()) {
            if (entry.notAfter().isAfter(deadline)) {
                continue;
            }
            outcomes.add(renew(ca, entry));
        }
        return List.copyOf(outcomes);
    }

    private Renewal renew(CertificateAuthority ca, Entry entry) {
        if (entry.kind() == CertificateKind.CA) {
            String reason = "a CA certificate is not renewed automatically: make a new CA and give its certificate"
                    + " to every peer that trusts this one";
            LOG.warn("not renewing {} ({} days left): {}", entry.file(), entry.daysLeft(), reason);
            return new Renewal.Skipped(entry, reason);
        }
        try {
            X509Certificate existing = PemTls.readCertificates(entry.file()).get(0);
            if (!ca.issued(existing)) {
                String reason = "not issued by this instance's CA " + ca.name() + "; renew it where it was issued";
                LOG.warn("not renewing {} ({} days left): {}", entry.file(), entry.daysLeft(), reason);
                return new Renewal.Skipped(entry, reason);
            }
            X509Certificate renewed = ca.renew(existing);
            PemFiles.writeCertificate(entry.file(), renewed);
            LOG.info("renewed {} ({} days left): valid until {}", entry.file(), entry.daysLeft(),
                    renewed.getNotAfter().toInstant());
            return new Renewal.Renewed(entry, renewed.getNotAfter().toInstant());
        } catch (PemException | PkiException | IOException e) {
            LOG.error("cannot renew {} ({} days left): {}; the old certificate is unchanged", entry.file(),
                    entry.daysLeft(), e.getMessage());
            return new Renewal.Failed(entry, e.getMessage());
        }
    }

    private void collect(Path dir, Location location, List<Entry> entries) throws PkiException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.crt")) {
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    X509Certificate certificate = PemTls.readCertificates(file).get(0);
                    entries.add(entry(file, location, certificate));
                } catch (PemException e) {
                    LOG.warn("skipping {} in the certificate list: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new PkiException("cannot list the certificates in " + dir + ": " + e, e);
        }
    }

    private Entry entry(Path file, Location location, X509Certificate certificate) {
        String fileName = file.getFileName().toString();
        String name = fileName.substring(0, fileName.length() - ".crt".length());
        Instant notAfter = certificate.getNotAfter().toInstant();
        long daysLeft = Duration.between(clock.instant(), notAfter).toDays();
        return new Entry(name, file, location, PemTls.commonName(certificate), CertificateKind.of(certificate),
                notAfter, daysLeft);
    }
}
