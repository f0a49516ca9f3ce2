package org.vipgate.gateway.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.vipgate.certs.AtomicFiles;

/**
 * The statistics of a running gateway, as a JSON file in {@code $VOLTTRON_HOME/run/vipgate-stats.json}: the
 * gateway rewrites it every few seconds (atomically), and {@code vipgate stats} reads it.
 */
public final class StatsFile {

    /** The file, relative to the VOLTTRON_HOME. */
    public static final String RELATIVE_PATH = "run/vipgate-stats.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public StatsFile(Path home) {
        this.file = home.resolve(RELATIVE_PATH);
    }

    public Path path() {
        return file;
    }

    /** Replaces the file with these statistics; readers see the old or the new file, never a partial one. */
    public void write(Map<String, Object> stats) throws IOException {
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, JSON.writeValueAsString(stats), null);
    }

    /** The last statistics written. */
    public JsonNode read() throws IOException {
        return JSON.readTree(file.toFile());
    }
}
