package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.cli.Main;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.vip.VipTestPeer;
import picocli.CommandLine;

/** {@code vipgate stats} shows what the router saw: messages by peer and subsystem, drops by reason. */
class StatsCommandTest {

    @TempDir
    Path home;

    @Test
    void statsShowTrafficAndDropsOfTheGatewayOnThisHome() throws Exception {
        Files.writeString(home.resolve("config"), """
                [volttron]
                message-bus = zmq
                instance-name = statsite
                allow-auth = false
                vip-address = tcp://127.0.0.1:%d
                """.formatted(FreePorts.next()));
        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home)))) {
            Gateway.Ready ready = gateway.start();
            try (VipTestPeer peer = VipTestPeer.connect(ready.vipAddresses().get(0), "counted")) {
                peer.hello(Duration.ofSeconds(5));
                peer.sendRaw(List.of("x".getBytes(StandardCharsets.US_ASCII), "NOTVIP".getBytes(StandardCharsets.US_ASCII),
                        new byte[0], new byte[0], "hello".getBytes(StandardCharsets.US_ASCII)));
                peer.send("", "ping", "p", "ping");
                peer.expect("ping", "p", Duration.ofSeconds(5));
            }
        } // the last statistics are written on close

        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int exit = cli.execute("stats", "--home", home.toString());

        assertThat(exit).isZero();
        JsonNode stats = new ObjectMapper().readTree(out.toString());
        assertThat(stats.path("incoming").path("peer").path("counted").asLong()).isEqualTo(2);
        assertThat(stats.path("incoming").path("subsystem").path("hello").asLong()).isEqualTo(1);
        assertThat(stats.path("outgoing").path("subsystem").path("ping").asLong()).isEqualTo(1);
        assertThat(stats.path("dropped").path("bad VIP signature").asLong()).isEqualTo(1);
        assertThat(stats.path("unroutable").path("peer").path("counted").asLong()).isEqualTo(1);
    }

    @Test
    void withoutStatisticsItSaysWhyAndExits69() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("stats", "--home", home.toString())).isEqualTo(69);
        assertThat(err.toString()).contains("no statistics").contains(home.toString());
    }
}
