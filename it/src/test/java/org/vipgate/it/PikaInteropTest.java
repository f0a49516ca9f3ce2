package org.vipgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.testkit.ManagementProbe;
import org.vipgate.testkit.RabbitBroker;
import org.vipgate.testkit.RabbitBrokerExtension;
import org.vipgate.testkit.vip.VipTestPeer;

/**
 * A RabbitMQ agent on pika (Debian's python3-pika 1.2, as VOLTTRON's RMQ core uses it) receives an RPC from a ZMQ
 * agent through vipgate, checks every property and header of the ZMQ-to-RMQ path (vip-rabbitmq.md §1.4-§1.7,
 * §1.9), and replies as VOLTTRON's RPC subsystem does; the ZMQ agent gets the reply.
 */
@ExtendWith(RabbitBrokerExtension.class)
class PikaInteropTest {

    /** Debian's interpreter: the one python3-pika is installed for (a python3 earlier on PATH may lack it). */
    private static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** vip-rabbitmq.md §1.9: the queue vipgate (as the proxy) consumes messages for ZMQ peers from. */
    private static final String PROXY_QUEUE = "v1.zmq.proxy.router.zmq.outbound.response";

    @TempDir
    Path dir;

    @Test
    void aPikaAgentInVolttronsFormatAnswersARpcFromAZmqAgent(RabbitBroker broker) throws Exception {
        String vhost = TestHomes.uniqueVhost();
        Path home = TestHomes.writeWithoutAuth(dir.resolve("home"), "v1", broker, vhost);
        String msgId = "1716400000.42";
        String request = "{\"jsonrpc\": \"2.0\", \"method\": \"get_point\", \"params\": [\"devices/campus/t\"],"
                + " \"id\": \"1716400000.42\"}";
        try (Gateway gateway = new Gateway(GatewayConfig.load(new VolttronHome(home)))) {
            Gateway.Ready ready = gateway.start();
            try (VipTestPeer zagent = VipTestPeer.connect(ready.vipAddresses().get(0), "zagent")) {
                // vipgate binds v1.zagent to its proxy queue shortly after the peer's first message: wait for it,
                // so that the pika agent's reply is routed to vipgate and not to the alternate exchange.
                zagent.hello(WAIT);
                await("v1.zagent bound to " + PROXY_QUEUE).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                        .until(() -> bound(broker.management(), vhost, "v1.zagent"));

                PythonAgent pyagent = PythonAgent.start(dir, broker, vhost, "v1", "pyagent", "zagent", msgId,
                        request, "21.5");
                try {
                    JsonNode readyLine = pyagent.nextLine(Duration.ofSeconds(30));
                    assertThat(readyLine.path("ready").asBoolean()).as("ready line: %s", readyLine).isTrue();
                    assertThat(readyLine.path("pika").asText()).startsWith("1.");

                    zagent.send("pyagent", "RPC", msgId, request);

                    JsonNode result = pyagent.nextLine(Duration.ofSeconds(40));
                    assertThat(result.path("received").asBoolean())
                            .as("the pika agent received the call: %s", result).isTrue();
                    Map<String, Boolean> checks = JSON.convertValue(result.path("checks"),
                            JSON.getTypeFactory().constructMapType(Map.class, String.class, Boolean.class));
                    assertThat(checks).as("checks made by the pika agent; values seen: %s", result.path("values"))
                            .containsOnlyKeys("exchange", "routing_key", "app_id", "headers.recipient",
                                    "headers.proto", "headers.user", "headers.sender", "message_id", "type",
                                    "content_type", "user_id", "body", "body.jsonrpc", "app_id.platform",
                                    "app_id.peer")
                            .allSatisfy((name, passed) -> assertThat(passed)
                                    .as("%s = %s", name, result.path("values").path(name)).isTrue());
                    assertThat(result.path("values").path("user_id").asText()).isEqualTo(broker.username());

                    String response = "{\"jsonrpc\": \"2.0\", \"id\": \"1716400000.42\", \"result\": 21.5}";
                    VipTestPeer.Received reply = zagent.expect("RPC", msgId, WAIT);
                    assertThat(reply.sender()).isEqualTo("pyagent");
                    assertThat(reply.signature()).isEqualTo("VIP1");
                    assertThat(reply.user()).as("headers.user of the reply").isEmpty();
                    assertThat(reply.msgId()).isEqualTo(msgId);
                    assertThat(reply.subsystem()).isEqualTo("RPC");
                    assertThat(reply.args()).containsExactly(response);
                    assertThat(JSON.readTree(reply.arg(0)).path("result").asDouble()).isEqualTo(21.5);

                    assertThat(pyagent.waitFor(Duration.ofSeconds(20))).as("pika agent exit; stderr: %s",
                            pyagent.stderr()).isZero();
                } finally {
                    pyagent.destroy();
                }
            }
        } finally {
            broker.management().delete("vhosts/" + vhost);
        }
    }

    private static boolean bound(ManagementProbe management, String vhost, String key) {
        JsonNode bindings = management.get("bindings/" + ManagementProbe.segment(vhost) + "/e/volttron/q/"
                + ManagementProbe.segment(PROXY_QUEUE));
        if (bindings == null) {
            return false;
        }
        for (JsonNode b : bindings) {
            if (key.equals(b.path("routing_key").asText())) {
                return true;
            }
        }
        return false;
    }

    /** pika_agent.py running, its stdout read line by line (each a JSON object). */
    private static final class PythonAgent {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final CompletableFuture<byte[]> err;

        private PythonAgent(Process process) {
            this.process = process;
            this.err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("{\"stdout_error\": \"" + e + "\"}");
                }
            }, "pika-agent-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static PythonAgent start(Path dir, RabbitBroker broker, String vhost, String instance, String identity,
                                 String caller, String msgId, String request, String resultJson)
                throws IOException {
            Path script = dir.resolve("pika_agent.py");
            try (InputStream in = PikaInteropTest.class.getResourceAsStream("/python/pika_agent.py")) {
                Files.write(script, in.readAllBytes());
            }
            List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), broker.host(),
                    Integer.toString(broker.amqpPort()), broker.username(), broker.password(), vhost, instance,
                    identity, caller, msgId, request, resultJson));
            return new PythonAgent(new ProcessBuilder(command).start());
        }

        JsonNode nextLine(Duration timeout) throws InterruptedException, IOException {
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(line).as("a line from pika_agent.py within %s (alive: %s); stderr: %s", timeout,
                    process.isAlive(), process.isAlive() ? "(still running)" : stderr()).isNotNull();
            return JSON.readTree(line);
        }

        int waitFor(Duration timeout) throws InterruptedException {
            assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("pika agent finished").isTrue();
            return process.exitValue();
        }

        String stderr() {
            try {
                return new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            } catch (Exception e) {
                return "<stderr unavailable: " + e + ">";
            }
        }

        void destroy() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }

        private static byte[] readAll(InputStream in) {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                return ("<stderr unreadable: " + e + ">").getBytes(StandardCharsets.UTF_8);
            }
        }
    }
}
