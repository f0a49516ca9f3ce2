package org.vipgate.gateway.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.vipgate.gateway.config.HomePki;
import org.vipgate.certs.CertificateAuthority;
import org.vipgate.certs.CertificateInventory;
import org.vipgate.certs.CertificateInventory.Entry;
import org.vipgate.certs.CertificateInventory.Renewal;
import org.vipgate.certs.PkiException;
import org.vipgate.gateway.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vipgate certs list|renew}: the certificates of a VOLTTRON_HOME ({@code certificates/certs} and
 * {@code certificates/remote_certs}) and their renewal (like {@code vctl certs}, which has no renewal).
 */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = "List the certificates of a VOLTTRON_HOME and renew those about to expire.",
        subcommands = {CertsCommand.ListCommand.class, CertsCommand.RenewCommand.class})
public final class CertsCommand implements Runnable {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code vipgate certs list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List every certificate under certificates/certs and certificates/remote_certs with its"
                    + " common name, kind (ca, server, client), expiry and days left.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:listed", "74:a directory cannot be read", "78:bad configuration"})
    static final class ListCommand implements java.util.concurrent.Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            HomePki pki;
            List<Entry> entries;
            try {
                pki = HomePki.of(home.resolve());
                entries = new CertificateInventory(pki.layout()).list();
            } catch (ConfigException e) {
                return CliOutput.fail(err, e.getMessage(), ExitCodes.CONFIG);
            } catch (PkiException e) {
                return CliOutput.fail(err, e.getMessage(), ExitCodes.IO);
            }
            if (entries.isEmpty()) {
                out.println("No certificates in " + pki.layout().certsDir() + " or " + pki.layout().remoteCertsDir()
                        + ".");
                out.flush();
                return ExitCodes.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (Entry e : entries) {
                rows.add(List.of(e.name(), e.commonName(), e.kind().label(),
                        e.location() == CertificateInventory.Location.LOCAL ? "certs" : "remote_certs",
                        DATE.format(e.notAfter()), e.daysLeft() < 0 ? "expired" : Long.toString(e.daysLeft())));
            }
            CliOutput.table(out, List.of("NAME", "COMMON NAME", "KIND", "FOLDER", "NOT AFTER", "DAYS LEFT"), rows);
            return ExitCodes.OK;
        }
    }

    /** {@code vipgate certs renew}. */
    @Command(name = "renew", mixinStandardHelpOptions = true,
            description = {"Re-issue, with the same key and subject, every certificate of this instance's CA that"
                    + " expires within the given days (or has expired). Keys are not changed.",
                    "The root CA itself is not renewed automatically: a new root must be given to every peer."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:nothing failed", "74:a certificate could not be renewed or written",
                    "78:bad configuration, or no CA and no certificate-data"})
    static final class RenewCommand implements java.util.concurrent.Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Option(names = "--within-days", paramLabel = "DAYS",
                defaultValue = "" + CertificateInventory.DEFAULT_RENEW_WITHIN_DAYS,
                description = "Renew what expires within this many days (default: ${DEFAULT-VALUE}).")
        int withinDays;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (withinDays < 0) {
                return CliOutput.fail(err, "--within-days must be 0 or more: " + withinDays, ExitCodes.USAGE);
            }
            List<Renewal> outcomes;
            try {
                HomePki pki = HomePki.of(home.resolve());
                CertificateAuthority ca = pki.certificateAuthority();
                outcomes = new CertificateInventory(pki.layout()).renewExpiring(ca, Duration.ofDays(withinDays));
            } catch (ConfigException e) {
                return CliOutput.fail(err, e.getMessage(), ExitCodes.CONFIG);
            } catch (PkiException e) {
                return CliOutput.fail(err, e.getMessage(), ExitCodes.CONFIG);
            }
            if (outcomes.isEmpty()) {
                out.println("No certificate expires within " + withinDays + " days; nothing renewed.");
                out.flush();
                return ExitCodes.OK;
            }
            boolean failed = false;
            for (Renewal outcome : outcomes) {
                Entry e = outcome.entry();
                if (outcome instanceof Renewal.Renewed r) {
                    out.println("renewed " + e.name() + " (" + e.file() + "): valid until "
                            + DATE.format(r.newNotAfter()) + ", was " + DATE.format(e.notAfter()));
                } else if (outcome instanceof Renewal.Skipped s) {
                    out.println("not renewed " + e.name() + " (expires " + DATE.format(e.notAfter()) + "): "
                            + s.reason());
                } else if (outcome instanceof Renewal.Failed f) {
                    failed = true;
                    err.println("vipgate: cannot renew " + e.name() + ": " + f.reason());
                }
            }
            out.flush();
            err.flush();
            return failed ? ExitCodes.IO : ExitCodes.OK;
        }
    }
}
