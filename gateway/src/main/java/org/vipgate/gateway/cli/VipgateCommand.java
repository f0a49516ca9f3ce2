package org.vipgate.gateway.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vipgate}: the top of the command tree; alone, it prints its usage. */
@Command(name = "vipgate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A gateway for VOLTTRON sites: VIP over ZeroMQ, VOLTTRON's AMQP format on RabbitMQ,"
                + " federation and shovel links, discovery and CSR.",
        subcommands = {RunCommand.class, StatsCommand.class, PlatformsCommand.class, CertsCommand.class,
                AuthCommand.class, ConfigCommand.class,
                FederationCommand.class, ShovelCommand.class,
                picocli.CommandLine.HelpCommand.class})
public final class VipgateCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
