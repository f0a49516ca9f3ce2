package org.vipgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.PlatformConfig;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.gateway.services.rpc.RpcError;
import org.vipgate.gateway.zmq.auth.PlatformKeystore;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A VIP connection from a vipgate command to the gateway running on a home, as {@code vctl} connects to its
 * platform: a DEALER on the first {@code vip-address}, a CURVE client with the platform's own key pair from the
 * keystore (the gateway lets that key in), hello, then JSON-RPC calls to the platform's services. Closing it
 * says {@code agentstop}, as a VOLTTRON agent does when it stops, so the gateway forgets the command at once.
 *
 * <p>The JSON-RPC request is written as Python's {@code json.dumps} writes it: ASCII, with every other character
 * escaped ({@code \u6e29}). VOLTTRON's agents and vipgate read frames byte for byte (ISO-8859-1), so raw UTF-8
 * would turn a configuration's non-ASCII text into mojibake.
 */
final class PlatformRpc implements AutoCloseable {

    /** What went wrong talking to the gateway. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient RpcError error;

        Failure(String message, RpcError error) {
            super(message);
            this.error = error;
        }

        /** The service's error, or null when the gateway did not answer. */
        RpcError error() {
            return error;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.fasterxml.jackson.databind.ObjectWriter ASCII_JSON = JSON.writer()
            .with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII);
    private static final byte[] EMPTY = new byte[0];
    /** How long closing waits for the {@code agentstop} to leave. */
    static final Duration STOP_LINGER = Duration.ofMillis(500);

    private final ZContext context = new ZContext(1);
    private final ZMQ.Socket socket;
    private final String address;
    private final Duration timeout;
    private long counter;
    private boolean welcomed;

    private PlatformRpc(String address, Duration timeout) {
        this.socket = context.createSocket(SocketType.DEALER);
        this.address = address;
        this.timeout = timeout;
    }

    /** Connects to the gateway of {@code home} and says hello; fails when it does not answer within the time-out. */
    static PlatformRpc connect(VolttronHome home, Duration timeout) throws ConfigException, Failure {
        PlatformConfig platform = PlatformConfig.load(home.configFile());
        PlatformKeystore keys = platform.authEnabled() ? PlatformKeystore.load(home.keystoreFile()) : null;
        String address = localAddress(platform.vipAddresses().get(0));
        PlatformRpc rpc = new PlatformRpc(address, timeout);
        ZMQ.Socket s = rpc.socket;
        s.setLinger(0);
        s.setIdentity(("vipgate.cli." + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8));
        if (keys != null) {
            s.setCurveServerKey(keys.publicKey());
            s.setCurvePublicKey(keys.publicKey());
            s.setCurveSecretKey(keys.secretKey());
        }
        s.connect(address);
        return rpc.hello();
    }

    /** A wildcard bind address is reached on loopback. */
    private static String localAddress(String bound) {
        return bound.replace("://0.0.0.0:", "://127.0.0.1:").replace("://*:", "://127.0.0.1:");
    }

    private PlatformRpc hello() throws Failure {
        send("", "connect.hello", "hello", "hello");
        List<byte[]> reply = receive();
        if (reply == null) {
            close();
            throw new Failure("vipgate does not answer at " + address + " within " + timeout.toSeconds()
                    + " s: is it running on this home ('vipgate run')?", null);
        }
        welcomed = true;
        return this;
    }

    /**
     * Calls {@code method} on {@code peer} with keyword arguments and returns the result.
     *
     * @throws Failure with the service's error, or when no answer came in time
     */
    JsonNode call(String peer, String method, ObjectNode kwargs) throws Failure {
        String id = "vipgate.cli." + (++counter);
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("method", method);
        request.set("params", kwargs);
        request.put("id", id);
        send(peer, id, "RPC", asciiJson(request));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<byte[]> reply = receive();
            if (reply == null) {
                break;
            }
            // view A: SENDER, VIP1, USER, MSG_ID, SUBSYSTEM, ARGS
            String subsystem = text(reply, 4);
            if ("error".equals(subsystem)) {
                throw new Failure("'" + peer + "' is unreachable (error " + text(reply, 5) + ": " + text(reply, 6)
                        + ")", null);
            }
            if (!"RPC".equals(subsystem) || reply.size() < 6) {
                continue;
            }
            JsonNode body;
            try {
                body = JSON.readTree(reply.get(5));
            } catch (java.io.IOException e) {
                continue;
            }
            if (!id.equals(body.path("id").asText())) {
                continue;
            }
            JsonNode error = body.get("error");
            if (error != null && !error.isNull()) {
                RpcError e = RpcError.fromJson(error);
                throw new Failure(e.detail(), e);
            }
            return body.get("result");
        }
        throw new Failure(method + ": no answer from '" + peer + "' within " + timeout.toSeconds() + " s", null);
    }

    /** The request as {@code json.dumps} would write it: non-ASCII characters as {@code \\uXXXX} escapes. */
    static String asciiJson(JsonNode request) {
        try {
            return ASCII_JSON.writeValueAsString(request);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written: " + e.getMessage(), e);
        }
    }

    private void send(String peer, String msgId, String subsystem, String arg) {
        socket.sendMore(peer.getBytes(StandardCharsets.ISO_8859_1));
        socket.sendMore("VIP1");
        socket.sendMore(EMPTY);
        socket.sendMore(msgId);
        socket.sendMore(subsystem);
        socket.send(arg.getBytes(StandardCharsets.ISO_8859_1), 0);
    }

    private List<byte[]> receive() {
        socket.setReceiveTimeOut((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        byte[] first = socket.recv(0);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return frames;
    }

    private static String text(List<byte[]> frames, int i) {
        return i < frames.size() ? new String(frames.get(i), StandardCharsets.ISO_8859_1) : "";
    }

    /**
     * Says {@code agentstop} for this connection's identity when the gateway had welcomed it (waiting at most
     * {@link #STOP_LINGER} for it to leave), then closes the socket.
     */
    @Override
    public void close() {
        if (welcomed) {
            welcomed = false;
            context.setLinger((int) STOP_LINGER.toMillis()); // ZContext applies its own linger on close
            send("", "vipgate.cli.stop", "agentstop", new String(socket.getIdentity(), StandardCharsets.ISO_8859_1));
        }
        context.close();
    }
}
