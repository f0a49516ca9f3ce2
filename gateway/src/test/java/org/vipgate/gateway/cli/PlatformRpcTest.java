package org.vipgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.config.VolttronHome;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * {@link PlatformRpc} against a plain ROUTER standing in for the gateway (allow-auth = false, so no CURVE): what
 * reaches the router when a vipgate command stores a configuration and closes.
 */
class PlatformRpcTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private ZContext context;
    private ZMQ.Socket router;

    @BeforeEach
    void setUp() throws Exception {
        context = new ZContext(1);
        router = context.createSocket(SocketType.ROUTER);
        router.setReceiveTimeOut(5000);
        int port = router.bindToRandomPort("tcp://127.0.0.1");
        Files.writeString(home.resolve("config"), """
                [volttron]
                message-bus = zmq
                instance-name = rpc-test
                vip-address = tcp://127.0.0.1:%d
                allow-auth = false
                """.formatted(port));
    }

    @AfterEach
    void tearDown() {
        context.close();
    }

    @Test
    void sendsTheRequestAsAsciiJsonAndSaysAgentstopWhenClosed() throws Exception {
        CompletableFuture<PlatformRpc> connecting = CompletableFuture.supplyAsync(() -> {
            try {
                return PlatformRpc.connect(new VolttronHome(home), Duration.ofSeconds(5));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<byte[]> hello = receive();
        assertThat(text(hello.get(5))).isEqualTo("hello");
        reply(hello, "hello", "welcome");
        PlatformRpc rpc = connecting.get(10, TimeUnit.SECONDS);

        ObjectNode kwargs = JSON.createObjectNode();
        kwargs.put("identity", "my.agent");
        kwargs.put("config_name", "units");
        kwargs.put("raw_contents", "{\"unit\": \"°C\", \"name\": \"温度\"}");
        CompletableFuture<JsonNode> calling = CompletableFuture.supplyAsync(() -> {
            try {
                return rpc.call("config.store", "set_config", kwargs);
            } catch (PlatformRpc.Failure e) {
                throw new IllegalStateException(e);
            }
        });
        List<byte[]> call = receive();
        assertThat(text(call.get(1))).isEqualTo("config.store");
        assertThat(new String(call.get(6), StandardCharsets.ISO_8859_1)).as("ASCII only, as json.dumps writes it")
                .matches("[\\x20-\\x7e]*").containsIgnoringCase("\\u6e29");
        JsonNode request = JSON.readTree(new String(call.get(6), StandardCharsets.ISO_8859_1));
        assertThat(request.path("params").path("raw_contents").asText())
                .as("characters beyond ASCII arrive intact, as escapes")
                .isEqualTo("{\"unit\": \"°C\", \"name\": \"温度\"}");
        ObjectNode answer = JSON.createObjectNode();
        answer.put("jsonrpc", "2.0");
        answer.put("id", request.path("id").asText());
        answer.putNull("result");
        reply(call, "RPC", answer.toString());
        assertThat(calling.get(10, TimeUnit.SECONDS).isNull()).isTrue();

        String identity = text(call.get(0));
        rpc.close();
        List<byte[]> stop = receive();
        assertThat(text(stop.get(0))).isEqualTo(identity);
        assertThat(text(stop.get(1))).as("to the router").isEmpty();
        assertThat(text(stop.get(5))).isEqualTo("agentstop");
        assertThat(text(stop.get(6))).as("the command's own identity").isEqualTo(identity);
    }

    @Test
    void saysNothingWhenTheGatewayNeverAnswered() throws Exception {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> PlatformRpc.connect(new VolttronHome(home), Duration.ofMillis(300))))
                .isInstanceOf(PlatformRpc.Failure.class).hasMessageContaining("does not answer");
        List<byte[]> hello = receive();
        assertThat(text(hello.get(5))).isEqualTo("hello");
        router.setReceiveTimeOut(500);
        assertThat(router.recv(0)).as("no agentstop from a command that was never welcomed").isNull();
    }

    /** ROUTER view: SENDER, RECIPIENT, VIP1, USER, MSG_ID, SUBSYSTEM, ARGS... */
    private List<byte[]> receive() {
        byte[] first = router.recv(0);
        assertThat(first).as("a message reaches the router").isNotNull();
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (router.hasReceiveMore()) {
            frames.add(router.recv(0));
        }
        return frames;
    }

    /** Answers {@code request} from the router: SENDER, "" , VIP1, USER, MSG_ID, SUBSYSTEM, ARG. */
    private void reply(List<byte[]> request, String subsystem, String arg) {
        router.sendMore(request.get(0));
        router.sendMore(new byte[0]);
        router.sendMore("VIP1");
        router.sendMore(new byte[0]);
        router.sendMore(request.get(4));
        router.sendMore(subsystem);
        router.send(arg.getBytes(StandardCharsets.UTF_8), 0);
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }
}
