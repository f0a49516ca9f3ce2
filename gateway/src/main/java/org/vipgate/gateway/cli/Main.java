package org.vipgate.gateway.cli;

import picocli.CommandLine;

/** Entry point of {@code bin/vipgate}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, for tests that run commands in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new VipgateCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
