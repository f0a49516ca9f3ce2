package org.vipgate.gateway.cli;

import java.nio.file.Path;
import org.vipgate.federation.link.LinkConfigException;
import org.vipgate.federation.link.ShovelApplier;
import org.vipgate.federation.management.ManagementException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vipgate shovel apply|status|remove}: the shovels of {@code rabbitmq_shovel_config.yml} (vip-rabbitmq.md §6;
 * like {@code vcfg rabbitmq shovel} and {@code vctl rabbitmq list-shovel-links}).
 */
@Command(name = "shovel", mixinStandardHelpOptions = true,
        description = "Shovels to remote instances, from rabbitmq_shovel_config.yml.",
        subcommands = {ShovelCommand.Apply.class, ShovelCommand.Status.class, ShovelCommand.Remove.class})
public final class ShovelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    abstract static class ShovelSubcommand extends LinkCommands.LinkSubcommand {
        @Override
        Path homeFile(LinkCommands.Context c) {
            return c.home().shovelConfigFile();
        }

        @Override
        ShovelApplier applier(LinkCommands.Context c) {
            return c.shovelApplier();
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Obtain missing certificates, then create or update the shovel parameters (and with"
                    + " queue-shovel the durable queue and its bindings); objects that already match are left alone."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:everything applied", "1:something failed", "69:management API unreachable",
                    "75:a certificate request awaits approval; run again later", "77:broker refused the login",
                    "78:bad configuration"})
    static final class Apply extends ShovelSubcommand {
        @Override
        int run(LinkCommands.Context c) throws LinkConfigException, ManagementException {
            return applyLinks(c);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Every shovel with its state, peer and last error; shovels of the file that do not exist"
                    + " show as missing.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:all links running", "1:some link is not running", "69:management API unreachable",
                    "78:bad configuration"})
    static final class Status extends ShovelSubcommand {
        @Override
        int run(LinkCommands.Context c) throws LinkConfigException, ManagementException {
            return statusOfLinks(c);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Delete the shovel parameters of the file's remotes, and queue-shovel queues when empty."
                    + " Certificates are kept unless --delete-certificates.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:removed", "1:something failed", "69:management API unreachable",
                    "78:bad configuration"})
    static final class Remove extends ShovelSubcommand {
        @Option(names = "--delete-certificates",
                description = "Also delete the obtained certificates and remote CAs, and the certificates blocks.")
        boolean deleteCertificates;

        @Override
        int run(LinkCommands.Context c) throws LinkConfigException, ManagementException {
            return removeLinks(c, deleteCertificates);
        }
    }

}
