package org.vipgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad configuration ends {@code vipgate run} with exit code 78 and one line on stderr that names the file,
 * the key or line, and what is expected, before anything touches the network.
 */
class RunCommandConfigErrorsTest {

    @TempDir
    Path home;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private void writeConfig(String text) throws IOException {
        Files.writeString(home.resolve("config"), text);
    }

    private void writeRabbit(String text) throws IOException {
        Files.writeString(home.resolve("rabbitmq_config.yml"), text);
    }

    private static final String GOOD_CONFIG = "[volttron]\ninstance-name = v1\nmessage-bus = rmq\n";
    private static final String GOOD_RABBIT = "host: localhost\namqp-port: 5672\nssl: false\n";

    @Test
    void missingConfigFileIsNamed() {
        CliRun r = run("run", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).startsWith("vipgate: ").contains(home.resolve("config").toString())
                .contains("missing");
    }

    @Test
    void unknownMessageBusNamesKeyLineAndChoices() throws IOException {
        writeConfig("[volttron]\ninstance-name = v1\nmessage-bus = kafka\n");
        writeRabbit(GOOD_RABBIT);
        CliRun r = run("run", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains(home.resolve("config").toString()).contains("message-bus")
                .contains("line 3").contains("kafka").contains("'zmq' or 'rmq'");
    }

    @Test
    void malformedIniNamesTheLine() throws IOException {
        writeConfig("[volttron]\ninstance-name = v1\nthis line is junk\n");
        CliRun r = run("run", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains(home.resolve("config").toString()).contains("line 3");
    }

    @Test
    void missingInstanceNameIsNamed() throws IOException {
        writeConfig("[volttron]\nmessage-bus = rmq\n");
        CliRun r = run("run", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("instance-name");
    }

    @Test
    void missingRabbitConfigIsNamed() throws IOException {
        writeConfig(GOOD_CONFIG);
        CliRun r = run("run", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains(home.resolve("rabbitmq_config.yml").toString()).contains("missing");
    }

    @Test
    void malformedYamlNamesFileAndLine() throws IOException {
        writeConfig(GOOD_CONFIG);
        writeRabbit("host: localhost\namqp-port: [5672\nssl: false\n");
        CliRun r = run("run", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains(home.resolve("rabbitmq_config.yml").toString()).containsPattern("line \\d+");
    }

    @Test
    void wrongTypeNamesKeyAndExpectation() throws IOException {
        writeConfig(GOOD_CONFIG);
        writeRabbit("host: localhost\namqp-port: five\nssl: false\n");
        CliRun r = run("run", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains(home.resolve("rabbitmq_config.yml").toString()).contains("amqp-port")
                .contains("five").contains("1 to 65535");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun r = run("run", "--no-such-option");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--no-such-option");
    }

    @Test
    void everyCommandHasHelp() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("run", "--help")).isZero();
        assertThat(out.toString()).contains("--home").contains("Exit codes");
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("run");
    }
}
