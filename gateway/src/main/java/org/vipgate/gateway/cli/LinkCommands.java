package org.vipgate.gateway.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.vipgate.federation.link.FederationApplier;
import org.vipgate.federation.link.LinkReconciler;
import org.vipgate.federation.link.ShovelApplier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.vipgate.federation.link.ApplyReport;
import org.vipgate.federation.link.LinkApplier;
import org.vipgate.federation.link.LinkConfigException;
import org.vipgate.federation.link.LinkStatus;
import org.vipgate.federation.link.LocalBroker;
import org.vipgate.federation.link.ObjectOutcome;
import org.vipgate.federation.management.ManagementClient;
import org.vipgate.federation.management.ManagementException;
import org.vipgate.federation.remote.CertificateOutcome;
import org.vipgate.federation.remote.RemoteCertificates;
import org.vipgate.federation.remote.RemoteInstanceNames;
import org.vipgate.gateway.amqp.BrokerLink;
import org.vipgate.gateway.config.AdminTlsFiles;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.HomeLocalCertificates;
import org.vipgate.gateway.config.HomePki;
import org.vipgate.gateway.config.RabbitConfig;
import org.vipgate.gateway.config.VolttronHome;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What {@code vipgate federation ...} and {@code vipgate shovel ...} share: the home, the broker, the output. */
public final class LinkCommands {

    private static volatile RemoteCertificatesFactory remoteCertificates = new CsrClientFactory();

    private LinkCommands() {
    }

    /** Installs the remote CSR client the link commands use (the gateway's wiring, or a test double). */
    public static void useRemoteCertificates(RemoteCertificatesFactory factory) {
        remoteCertificates = Objects.requireNonNull(factory, "factory");
    }

    /**
     * What the running gateway uses to keep the links of {@code rabbitmq_federation_config.yml} and
     * {@code rabbitmq_shovel_config.yml} applied (files that do not exist are skipped at each pass).
     */
    public static LinkReconciler reconciler(VolttronHome home, Duration interval) throws ConfigException {
        Context federation = Context.of(home, "federation");
        Context shovel = Context.of(home, "shovel");
        return new LinkReconciler(home.federationConfigFile(), home.shovelConfigFile(),
                federation.federationApplier(), shovel.shovelApplier(), interval);
    }

    /** The local side of a link command, read from the home. */
    record Context(VolttronHome home, HomePki pki, ManagementClient management, LocalBroker local,
                   RemoteCertificates certificates, RemoteInstanceNames instanceNames,
                   HomeLocalCertificates localCertificates) {

        /** Federation links (vip-rabbitmq.md §5) from this side. */
        FederationApplier federationApplier() {
            return new FederationApplier(management, local, certificates, instanceNames);
        }

        /** Shovels (vip-rabbitmq.md §6) from this side. */
        ShovelApplier shovelApplier() {
            return new ShovelApplier(management, local, localCertificates, certificates, instanceNames);
        }

        static Context of(VolttronHome home, String certificateFolder) throws ConfigException {
            HomePki pki = HomePki.of(home);
            String instance = pki.instanceName();
            RabbitConfig rabbit = RabbitConfig.load(home.rabbitConfigFile(), instance);
            ManagementClient management = new ManagementClient(BrokerLink.managementEndpoint(home, instance, rabbit));
            LocalBroker local = new LocalBroker(instance, rabbit.host(), rabbit.amqpPortSsl(), rabbit.virtualHost(),
                    AdminTlsFiles.of(home, instance).caBundle());
            RemoteCertificatesFactory factory = remoteCertificates;
            // Both are made on first use: a file whose entries all have certificates needs no CSR client.
            RemoteCertificates certificates = (web, cn, key) -> {
                try {
                    return factory.certificates(home, pki, certificateFolder).obtain(web, cn, key);
                } catch (UnsupportedOperationException | IllegalStateException e) {
                    return new CertificateOutcome.Failed(e.getMessage() + "; add the certificates block by hand");
                }
            };
            RemoteInstanceNames names = web -> factory.instanceNames(home, pki).of(web);
            return new Context(home, pki, management, local, certificates, names, new HomeLocalCertificates(pki));
        }
    }

    /** The options and error handling of every link subcommand. */
    abstract static class LinkSubcommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Option(names = "--file", paramLabel = "FILE",
                description = "The YAML file (default: the one in the VOLTTRON_HOME).")
        Path file;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        abstract int run(Context context) throws ConfigException, LinkConfigException, ManagementException;

        /** This command's kind of link. */
        abstract LinkApplier<?> applier(Context c);

        /** The kind's YAML file in the home, used without {@code --file}. */
        abstract Path homeFile(Context c);

        int applyLinks(Context c) throws LinkConfigException, ManagementException {
            return printReport(out(), err(), apply(applier(c), c));
        }

        int statusOfLinks(Context c) throws LinkConfigException, ManagementException {
            return printStatus(out(), status(applier(c), c), spec.parent().name());
        }

        int removeLinks(Context c, boolean deleteCertificates) throws LinkConfigException, ManagementException {
            return printReport(out(), err(), remove(applier(c), c, deleteCertificates));
        }

        private <C> ApplyReport apply(LinkApplier<C> a, Context c) throws LinkConfigException, ManagementException {
            return a.apply(a.load(file(c)));
        }

        private <C> List<LinkStatus> status(LinkApplier<C> a, Context c)
                throws LinkConfigException, ManagementException {
            return a.status(a.load(file(c)));
        }

        private <C> ApplyReport remove(LinkApplier<C> a, Context c, boolean deleteCertificates)
                throws LinkConfigException, ManagementException {
            return a.remove(a.load(file(c)), deleteCertificates);
        }

        private Path file(Context c) {
            return file != null ? file : homeFile(c);
        }

        @Override
        public Integer call() {
            try {
                // vip-rabbitmq.md §5.2, §6.1: certificates/federation or certificates/shovel, after the command
                return run(Context.of(home.resolve(), spec.parent().name()));
            } catch (ConfigException | LinkConfigException e) {
                return CliOutput.fail(err(), e.getMessage(), ExitCodes.CONFIG);
            } catch (ManagementException.Unreachable e) {
                return CliOutput.fail(err(), e.getMessage() + "; is RabbitMQ running with the management plugin?",
                        ExitCodes.UNAVAILABLE);
            } catch (ManagementException.Unauthorized e) {
                return CliOutput.fail(err(), e.getMessage(), ExitCodes.BROKER_REFUSED);
            } catch (ManagementException e) { // Failed: the broker answered with an error
                return CliOutput.fail(err(), e.getMessage(), ExitCodes.FAILURE);
            }
        }
    }

    /**
     * One line per object ({@code created parameter shovel/x}, {@code pending certificate for v2: why}); exit 0 when
     * all applied, 75 when something waits for a certificate approval, 1 when something failed.
     */
    static int printReport(PrintWriter out, PrintWriter err, ApplyReport report) {
        if (report.outcomes().isEmpty()) {
            out.println("Nothing to do: the file defines no links.");
        }
        for (ObjectOutcome o : report.outcomes()) {
            String line = o.word() + " " + o.object() + (o.reason().isEmpty() ? "" : ": " + o.reason());
            (o instanceof ObjectOutcome.Failed ? err : out).println(line);
        }
        out.flush();
        err.flush();
        if (report.anyFailed()) {
            return ExitCodes.FAILURE;
        }
        return report.anyPending() ? ExitCodes.TEMPFAIL : ExitCodes.OK;
    }

    /** The table NAME, STATE, PEER, LAST ERROR; exit 0 only when every link is running. */
    static int printStatus(PrintWriter out, List<LinkStatus> statuses, String what) {
        if (statuses.isEmpty()) {
            out.println("No " + what + " links.");
            out.flush();
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (LinkStatus s : statuses) {
            rows.add(List.of(s.name(), s.state(), s.peer().isEmpty() ? "-" : s.peer(),
                    s.lastError().map(e -> e.replace('\n', ' ')).orElse("-")));
        }
        CliOutput.table(out, List.of("NAME", "STATE", "PEER", "LAST ERROR"), rows);
        return statuses.stream().allMatch(LinkStatus::running) ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
