package org.vipgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.vipgate.gateway.stats.StatsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vipgate stats}: the statistics of the gateway running on a home (like {@code vctl stats get}): VIP
 * messages in and out by peer, user and subsystem, errors sent, and messages dropped as malformed by reason.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Print the statistics of the vipgate running on a VOLTTRON_HOME (like 'vctl stats get').",
                "The gateway writes them to $VOLTTRON_HOME/" + StatsFile.RELATIVE_PATH + " every few seconds."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "69:no statistics: vipgate has not run on this home"})
public final class StatsCommand implements Callable<Integer> {

    /** EX_UNAVAILABLE. */
    static final int NO_STATS = 69;

    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Override
    public Integer call() throws IOException {
        StatsFile file = new StatsFile(home.resolve().root());
        if (!Files.exists(file.path())) {
            spec.commandLine().getErr().println("vipgate: no statistics at " + file.path()
                    + "; is vipgate running on this home (vipgate run --home ...)?");
            return NO_STATS;
        }
        JsonNode stats = file.read();
        Duration age = Duration.between(Files.getLastModifiedTime(file.path()).toInstant(), Instant.now());
        spec.commandLine().getOut().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(stats));
        if (age.toSeconds() > 30) {
            spec.commandLine().getErr().println("vipgate: these statistics are " + age.toSeconds()
                    + " s old; vipgate may not be running");
        }
        return ExitCodes.OK;
    }
}
