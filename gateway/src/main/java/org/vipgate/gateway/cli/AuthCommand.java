package org.vipgate.gateway.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vipgate auth}: authorization of remote platforms, as {@code vctl auth}. */
@Command(name = "auth", mixinStandardHelpOptions = true,
        description = "Authorization of remote platforms (like 'vctl auth').",
        subcommands = {AuthRemoteCommand.class})
public final class AuthCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
