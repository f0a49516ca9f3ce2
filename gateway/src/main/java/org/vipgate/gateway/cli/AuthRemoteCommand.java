package org.vipgate.gateway.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vipgate.gateway.amqp.RemoteUserSync;
import org.vipgate.gateway.config.HomePki;
import org.vipgate.certs.PkiException;
import org.vipgate.certs.csr.CsrException;
import org.vipgate.certs.csr.CsrFiles;
import org.vipgate.certs.csr.CsrRecord;
import org.vipgate.certs.csr.CsrStatus;
import org.vipgate.certs.csr.CsrStore;
import org.vipgate.gateway.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vipgate auth remote list|approve|deny|delete}: the certificate requests of remote platforms
 * (certs-csr-discovery.md §2.3, {@code vctl auth remote}). These commands work on the files of the home directly;
 * approving here signs and stores the certificate, and the running gateway creates the RabbitMQ user
 * ({@link RemoteUserSync}).
 */
@Command(name = "remote", mixinStandardHelpOptions = true,
        description = "Certificate requests (CSRs) of remote platforms (like 'vctl auth remote').",
        subcommands = {AuthRemoteCommand.ListCommand.class, AuthRemoteCommand.ApproveCommand.class,
                AuthRemoteCommand.DenyCommand.class, AuthRemoteCommand.DeleteCommand.class})
public final class AuthRemoteCommand implements Runnable {

    static final List<String> HEADER = List.of("COMMON NAME", "REMOTE ADDRESS", "STATUS", "REQUESTED AT");
    private static final DateTimeFormatter REQUESTED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options every subcommand shares. */
    abstract static class RemoteSubcommand {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        HomePki pki() throws ConfigException {
            return HomePki.of(home.resolve());
        }
    }

    /** {@code vipgate auth remote list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the certificate requests of remote platforms (pending_csr/*.json).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:listed", "74:the folder cannot be read", "78:bad configuration"})
    static final class ListCommand extends RemoteSubcommand implements Callable<Integer> {

        @Option(names = "--status", paramLabel = "STATUS",
                description = "Only requests with this status: ${COMPLETION-CANDIDATES}.")
        CsrStatus status;

        @Override
        public Integer call() {
            List<CsrRecord> records;
            HomePki pki;
            try {
                pki = pki();
                records = new CsrFiles(pki.layout()).list();
            } catch (ConfigException e) {
                return CliOutput.fail(err(), e.getMessage(), ExitCodes.CONFIG);
            } catch (IOException e) {
                return CliOutput.fail(err(), "cannot list " + e.getMessage(), ExitCodes.IO);
            }
            List<List<String>> rows = new ArrayList<>();
            for (CsrRecord r : records) {
                if (status == null || r.status() == status) {
                    rows.add(List.of(r.commonName(), r.remoteAddress().isEmpty() ? "-" : r.remoteAddress(),
                            r.status().name(), REQUESTED_AT.format(r.requestedAt())));
                }
            }
            if (rows.isEmpty()) {
                out().println(status == null ? "No certificate requests." : "No " + status.name().toLowerCase(java.util.Locale.ROOT)
                        + " certificate requests.");
                out().flush();
                return ExitCodes.OK;
            }
            CliOutput.table(out(), HEADER, rows);
            return ExitCodes.OK;
        }
    }

    /** The subcommands that act on one request. */
    abstract static class OneRequest extends RemoteSubcommand implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "CN",
                description = "The common name of the request, e.g. v1.v2.platform.agent.")
        String commonName;

        @Override
        public Integer call() {
            try {
                HomePki pki = pki();
                CsrStore store = new CsrStore(pki.certificateAuthority());
                act(store);
                out().flush();
                return ExitCodes.OK;
            } catch (ConfigException e) {
                return CliOutput.fail(err(), e.getMessage(), ExitCodes.CONFIG);
            } catch (PkiException e) {
                return CliOutput.fail(err(), e.getMessage(), ExitCodes.CONFIG);
            } catch (CsrException e) {
                return CliOutput.fail(err(), e.getMessage()
                        + "; see 'vipgate auth remote list' for the known requests", ExitCodes.USAGE);
            }
        }

        abstract void act(CsrStore store) throws CsrException;
    }

    /** {@code vipgate auth remote approve CN}. */
    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = {"Approve a certificate request: sign it and store remote_certs/<CN>.crt.",
                    "The running gateway creates the RabbitMQ user <CN>."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:approved", "2:no request with that common name",
                    "78:bad configuration, or no CA and no certificate-data"})
    static final class ApproveCommand extends OneRequest {
        @Override
        void act(CsrStore store) throws CsrException {
            CsrRecord record = store.approve(commonName);
            out().println("Approved the certificate request of '" + commonName + "' from "
                    + record.remoteAddress() + "; the certificate is ready for the requester.");
            out().println("The running vipgate creates the RabbitMQ user '" + commonName + "' within "
                    + RemoteUserSync.DEFAULT_INTERVAL.toSeconds() + " s (or when it next starts).");
        }
    }

    /** {@code vipgate auth remote deny CN}. */
    @Command(name = "deny", mixinStandardHelpOptions = true,
            description = "Deny a certificate request: its certificate is removed, the request kept (approve works"
                    + " later).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:denied", "2:no request with that common name", "78:bad configuration"})
    static final class DenyCommand extends OneRequest {
        @Override
        void act(CsrStore store) throws CsrException {
            store.deny(commonName);
            out().println("Denied the certificate request of '" + commonName + "'; its certificate is removed and"
                    + " the running vipgate deletes the RabbitMQ user, so the certificate no longer logs in."
                    + " Approve it later with 'vipgate auth remote approve " + commonName + "'.");
        }
    }

    /** {@code vipgate auth remote delete CN}. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a certificate request and its certificate, so that the platform can send a new"
                    + " one.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:deleted", "2:no request with that common name", "78:bad configuration"})
    static final class DeleteCommand extends OneRequest {
        @Override
        void act(CsrStore store) throws CsrException {
            store.delete(commonName);
            out().println("Deleted the certificate request of '" + commonName + "' and its certificate (the"
                    + " running vipgate deletes the RabbitMQ user); the platform may send a new request.");
        }
    }
}
