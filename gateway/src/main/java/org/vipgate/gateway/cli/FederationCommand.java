package org.vipgate.gateway.cli;

import java.nio.file.Path;
import org.vipgate.federation.link.FederationApplier;
import org.vipgate.federation.link.LinkConfigException;
import org.vipgate.federation.management.ManagementException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vipgate federation apply|status|remove}: the federation links of {@code rabbitmq_federation_config.yml}
 * (vip-rabbitmq.md §5; like {@code vcfg rabbitmq federation} and {@code vctl rabbitmq list-federation-links}).
 */
@Command(name = "federation", mixinStandardHelpOptions = true,
        description = "Federation links to upstream instances, from rabbitmq_federation_config.yml.",
        subcommands = {FederationCommand.Apply.class, FederationCommand.Status.class, FederationCommand.Remove.class})
public final class FederationCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    abstract static class FederationSubcommand extends LinkCommands.LinkSubcommand {
        @Override
        Path homeFile(LinkCommands.Context c) {
            return c.home().federationConfigFile();
        }

        @Override
        FederationApplier applier(LinkCommands.Context c) {
            return c.federationApplier();
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Obtain missing certificates, then create or update the upstream parameters and the"
                    + " volttron-federation policy; objects that already match are left alone."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:everything applied", "1:something failed", "69:management API unreachable",
                    "75:a certificate request awaits approval; run again later", "77:broker refused the login",
                    "78:bad configuration"})
    static final class Apply extends FederationSubcommand {
        @Override
        int run(LinkCommands.Context c) throws LinkConfigException, ManagementException {
            return applyLinks(c);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Every federation link with its state, peer and last error; upstreams of the file without"
                    + " a link show as missing.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:all links running", "1:some link is not running", "69:management API unreachable",
                    "78:bad configuration"})
    static final class Status extends FederationSubcommand {
        @Override
        int run(LinkCommands.Context c) throws LinkConfigException, ManagementException {
            return statusOfLinks(c);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Delete the upstream parameters of the file's upstreams, and the policy when no upstream"
                    + " is left. Certificates are kept unless --delete-certificates.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:removed", "1:something failed", "69:management API unreachable",
                    "78:bad configuration"})
    static final class Remove extends FederationSubcommand {
        @Option(names = "--delete-certificates",
                description = "Also delete the obtained certificates and remote CAs, and the certificates blocks.")
        boolean deleteCertificates;

        @Override
        int run(LinkCommands.Context c) throws LinkConfigException, ManagementException {
            return removeLinks(c, deleteCertificates);
        }
    }

}
