package org.vipgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vipgate.gateway.stats.StatsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vipgate platforms}: the other ZeroMQ platforms the running gateway links to (vip-zmq.md §4.2) with the
 * state of each link, and where discovery of {@code external_address.json} stands (certs-csr-discovery.md §3.3).
 * Read from the statistics file the gateway rewrites every few seconds.
 */
@Command(name = "platforms", mixinStandardHelpOptions = true,
        description = "The external platforms the running gateway links to, with their link state, and the"
                + " discovery of the web addresses of external_address.json.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every link is CONNECTED",
                "1:some link is not CONNECTED, an address is not discovered, or vipgate has stopped",
                "69:no statistics: vipgate is not running on this home"})
public final class PlatformsCommand implements Callable<Integer> {

    /** Statistics older than this mean the gateway has probably stopped. */
    static final Duration STALE = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StatsFile file = new StatsFile(home.resolve().root());
        if (!Files.exists(file.path())) {
            return CliOutput.fail(err, "no statistics at " + file.path() + "; is vipgate running on this home"
                    + " (vipgate run --home ...)?", ExitCodes.UNAVAILABLE);
        }
        JsonNode stats = file.read();
        boolean healthy = true;
        List<List<String>> links = new ArrayList<>();
        for (JsonNode l : stats.path("external_platform_links")) {
            String state = l.path("state").asText();
            healthy &= "CONNECTED".equals(state);
            links.add(List.of(l.path("instance_name").asText(), l.path("vip_address").asText(), state,
                    l.path("since").asText()));
        }
        if (links.isEmpty()) {
            out.println("no external platforms (external_platform_discovery.json and external_address.json name"
                    + " none yet)");
        } else {
            CliOutput.table(out, List.of("PLATFORM", "VIP ADDRESS", "STATE", "SINCE"), links);
        }
        JsonNode addresses = stats.path("discovery").path("addresses");
        if (addresses.size() > 0) {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode a : addresses) {
                String state = a.path("state").asText();
                healthy &= "found".equals(state) || "self".equals(state);
                rows.add(List.of(a.path("address").asText(), state, a.path("instance_name").asText(),
                        Integer.toString(a.path("attempts").asInt()), a.path("last_error").asText()));
            }
            out.println();
            CliOutput.table(out, List.of("WEB ADDRESS", "DISCOVERY", "PLATFORM", "ATTEMPTS", "LAST ERROR"), rows);
        }
        out.flush();
        if (!stats.path("running").asBoolean(true)) {
            err.println("vipgate: vipgate on this home has stopped; these are the states it last saw");
            err.flush();
            return ExitCodes.FAILURE;
        }
        Duration age = Duration.between(Files.getLastModifiedTime(file.path()).toInstant(), Instant.now());
        if (age.compareTo(STALE) > 0) {
            err.println("vipgate: these states are " + age.toSeconds() + " s old; vipgate may not be running");
            err.flush();
            return ExitCodes.FAILURE;
        }
        return healthy ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
