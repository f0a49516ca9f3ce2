package org.vipgate.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.vipgate.gateway.zmq.auth.PlatformKeystore;

/**
 * {@code volttron_agent.py} run under Debian's python3-zmq: an agent that behaves on the wire like a VOLTTRON 9 agent
 * (or, with {@link Option#ECLIPSE}, an eclipse-volttron agent). Commands go to its stdin as JSON lines; every event it
 * prints is kept, in order, and tests wait for the ones they need with {@link #awaitEvent}.
 */
final class PythonAgent implements AutoCloseable {

    /** Debian's interpreter: the one python3-zmq is installed for (a python3 earlier on PATH may lack it). */
    private static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = "/python/volttron_agent.py";
    private static final Duration STOP = Duration.ofSeconds(10);
    /** The agent prints NaN and Infinity as Python's json does. */
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** Command-line switches of the script. */
    sealed interface Option {
        /** Behave like an eclipse-volttron agent (platform.config_store, get_protected_rpcs, ...). */
        Option ECLIPSE = new Flag("--eclipse");
        /** Do not call initialize_configs after welcome. */
        Option NO_CONFIG = new Flag("--no-config");
        /** V9: the config exports need no sync_agent_config, as on a platform with auth disabled. */
        Option NO_AUTH = new Flag("--no-auth");

        List<String> arguments();

        /** Default configs, as an agent's code sets them before it starts. */
        static Option defaults(Map<String, ?> configs) {
            try {
                return new Valued("--defaults", JSON.writeValueAsString(configs));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("default configs are not JSON: " + configs, e);
            }
        }

        /** Exports {@code method} guarded like {@code @RPC.allow(capabilities...)}. */
        static Option protect(String method, String... capabilities) {
            return new Valued("--protect", method + "=" + String.join(",", capabilities));
        }
    }

    private record Flag(String name) implements Option {
        @Override
        public List<String> arguments() {
            return List.of(name);
        }
    }

    private record Valued(String name, String value) implements Option {
        @Override
        public List<String> arguments() {
            return List.of(name, value);
        }
    }

    private final String identity;
    private final Process process;
    private final Writer stdin;
    private final Path stderr;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> unreadable = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private PythonAgent(String identity, Process process, Path stderr) {
        this.identity = identity;
        this.process = process;
        this.stderr = stderr;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(() -> readEvents(process.getInputStream()), "python-agent-" + identity);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts the agent. {@code keys} null means NULL security; otherwise {@code serverKey} is the platform's public key
     * in its 43-character form.
     */
    static PythonAgent start(String address, String identity, String serverKey, PlatformKeystore keys,
                             Option... options) throws IOException {
        Path script = Files.createTempFile("volttron_agent-", ".py");
        try (InputStream in = PythonAgent.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is not on the test classpath");
            }
            Files.write(script, in.readAllBytes());
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), address, identity));
        if (keys == null) {
            command.addAll(List.of("-", "-", "-"));
        } else {
            command.addAll(List.of(serverKey, keys.publicKeyText(), keys.secretKeyText()));
        }
        for (Option option : options) {
            command.addAll(option.arguments());
        }
        Path stderr = Files.createTempFile("volttron_agent-" + identity + "-", ".err");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        script.toFile().deleteOnExit();
        return new PythonAgent(identity, process, stderr);
    }

    String identity() {
        return identity;
    }

    private void readEvents(InputStream out) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                try {
                    events.add(JSON.readTree(line));
                } catch (JsonProcessingException e) {
                    unreadable.add(line);
                }
            }
        } catch (IOException e) {
            unreadable.add("<stdout closed: " + e + ">");
        }
    }

    /** Sends one command (a JSON object) to the agent. */
    void send(Map<String, ?> command) {
        try {
            synchronized (stdin) {
                stdin.write(JSON.writeValueAsString(command));
                stdin.write('\n');
                stdin.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + command + " to agent '" + identity + "' (alive: "
                    + process.isAlive() + "); stderr:\n" + stderr(), e);
        }
    }

    /** Waits for the first event (of all seen so far) that matches, or fails with every event and the stderr. */
    JsonNode awaitEvent(Predicate<JsonNode> match, Duration timeout) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> {
                for (JsonNode event : events) {
                    if (match.test(event)) {
                        found.set(event);
                        return true;
                    }
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("agent '" + identity + "': no matching event within " + timeout + "\n"
                    + report(), e);
        }
        return found.get();
    }

    /** Waits for the first event named {@code name}. */
    JsonNode awaitEvent(String name, Duration timeout) {
        return awaitEvent(e -> name.equals(e.path("event").asText()), timeout);
    }

    /** Every event seen so far, in order. */
    List<JsonNode> events() {
        return List.copyOf(events);
    }

    /**
     * Calls {@code method} on {@code peer} (a 30 s RPC timeout in the agent) and waits for its {@code call_done} event,
     * which has one of {@code result}, {@code error}, {@code unreachable}/{@code errno}, {@code vip_error} or
     * {@code timeout}.
     */
    JsonNode call(String peer, String method, List<?> args, Map<String, ?> kwargs) {
        return call(peer, method, args, kwargs, Duration.ofSeconds(30));
    }

    JsonNode call(String peer, String method, List<?> args, Map<String, ?> kwargs, Duration timeout) {
        String tag = "call-" + System.nanoTime();
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("cmd", "call");
        command.put("peer", peer);
        command.put("method", method);
        command.put("args", args);
        command.put("kwargs", kwargs);
        command.put("timeout", timeout.toMillis() / 1000.0);
        command.put("tag", tag);
        send(command);
        return awaitEvent(e -> "call_done".equals(e.path("event").asText()) && tag.equals(e.path("tag").asText()),
                timeout.plusSeconds(5));
    }

    /** The agent's stderr so far. */
    String stderr() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<stderr unreadable: " + e + ">";
        }
    }

    private String report() {
        StringBuilder text = new StringBuilder("events:\n");
        events.forEach(e -> text.append("  ").append(e).append('\n'));
        if (!unreadable.isEmpty()) {
            text.append("lines that are not JSON:\n");
            unreadable.forEach(l -> text.append("  ").append(l).append('\n'));
        }
        text.append("alive: ").append(process.isAlive()).append("\nstderr:\n").append(stderr());
        return text.toString();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The crash: SIGKILL, no agentstop, the socket just goes away. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks the agent to stop (it sends agentstop for itself), then makes sure the process is gone. */
    @Override
    public void close() throws IOException {
        try {
            if (process.isAlive()) {
                try {
                    send(Map.of("cmd", "stop"));
                } catch (UncheckedIOException e) {
                    // the agent already closed its stdin; destroying it below is all that is left
                }
                if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
