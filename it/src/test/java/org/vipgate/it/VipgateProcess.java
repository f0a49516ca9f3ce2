package org.vipgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code bin/vipgate} run as a real process. Its output goes to a file (a pipe would be closed by
 * {@link Process#destroy()} before the last lines could be read), which the test reads back.
 */
public final class VipgateProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private VipgateProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The checkout's root, where {@code bin/vipgate} is. */
    public static Path repoRoot() {
        String root = System.getProperty("vipgate.repo.root");
        Path path = Path.of(root != null ? root : "..").toAbsolutePath().normalize();
        if (!Files.isExecutable(path.resolve("bin/vipgate"))) {
            throw new IllegalStateException("bin/vipgate not found under " + path);
        }
        return path;
    }

    public static VipgateProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(repoRoot().resolve("bin/vipgate").toString());
        command.addAll(List.of(args));
        Path log = Files.createTempFile("vipgate-it-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("VOLTTRON_HOME");
        return new VipgateProcess(builder.start(), log);
    }

    /** Waits for a line that matches; returns it, or fails with all output so far. */
    public String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : lines()) {
                if (match.test(line)) {
                    return line;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching line within " + timeout + "; output:\n" + output());
            }
            Thread.sleep(50);
        }
    }

    public String awaitLine(String contains, Duration timeout) throws InterruptedException {
        return awaitLine(l -> l.contains(contains), timeout);
    }

    private List<String> lines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vipgate's output " + log, e);
        }
    }

    /** Everything printed so far. */
    public String output() {
        return String.join("\n", lines());
    }

    /** The operating system's id of the JVM ({@code bin/vipgate} execs java, so this is the gateway itself). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGKILL (a crash: nothing is flushed or closed) and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM and waits for the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return waitFor(timeout);
    }

    /** Waits for the process to end by itself; fails with its output if it does not. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("vipgate did not exit within " + timeout + "; output:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }
}
