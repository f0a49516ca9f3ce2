package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.vipgate.gateway.cli.Main;
import picocli.CommandLine;

/** Runs vipgate's CLI in-process and third-party tools (openssl, curl) as processes, for the integration tests. */
final class Commands {

    /** Exit code and everything printed (stdout and stderr). */
    record CliResult(int exit, String out) {
    }

    private Commands() {
    }

    /** {@code vipgate <args>} in this JVM. */
    static CliResult vipgate(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        int exit = cli.execute(args);
        return new CliResult(exit, out.toString());
    }

    /** Runs a program; fails the test unless it exits 0 within a minute. Returns its output. */
    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        assertThat(p.exitValue()).as("%s exit code; output:%n%s", String.join(" ", command), out).isZero();
        return out;
    }
}
