package org.vipgate.gateway.zmq.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code $VOLTTRON_HOME/protected_topics.json} (vip-zmq.md §3.2), re-read when its modification time or size
 * changes. Not thread-safe: one caller (the router thread).
 *
 * <p>A missing or empty file means no protected topic. A file that cannot be read or parsed is logged at WARN and
 * the caller keeps the topics it has (VOLTTRON keeps the old set on a bad entry too).
 */
public final class ProtectedTopicsFile {

    /** The file name inside VOLTTRON_HOME. */
    public static final String FILE_NAME = "protected_topics.json";

    private static final Logger LOG = LoggerFactory.getLogger(ProtectedTopicsFile.class);

    private final Path path;
    private Stamp seen;

    private record Stamp(boolean exists, FileTime modified, long size) {
        static final Stamp MISSING = new Stamp(false, null, -1);
    }

    public ProtectedTopicsFile(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** The file in a VOLTTRON_HOME directory. */
    public static ProtectedTopicsFile in(Path volttronHome) {
        return new ProtectedTopicsFile(volttronHome.resolve(FILE_NAME));
    }

    public Path path() {
        return path;
    }

    /**
     * Reads the file if it changed since the last call (the first call always reads).
     *
     * @return the new topics; empty when nothing changed, or the file cannot be examined or parsed (WARN logged;
     *         a file that failed to parse is not read again until it changes)
     */
    public Optional<ProtectedTopics> reloadIfChanged() {
        Stamp now = stamp();
        if (now == null || now.equals(seen)) {
            return Optional.empty();
        }
        seen = now;
        if (!now.exists()) {
            LOG.debug("{} does not exist: no protected topics", path);
            return Optional.of(ProtectedTopics.empty());
        }
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            if (text.isBlank()) {
                return Optional.of(ProtectedTopics.empty());
            }
            JsonNode root = PythonJson.parse(text);
            ProtectedTopics topics = ProtectedTopics.fromJson(root);
            LOG.info("protected topics loaded from {}: {} entries", path, topics.size());
            return Optional.of(topics);
        } catch (IOException | InvalidRequestException | IllegalArgumentException e) {
            LOG.warn("cannot load protected topics from {}, keeping the previous set: {}", path, e.getMessage());
            return Optional.empty();
        }
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(true, a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            return Stamp.MISSING;
        } catch (IOException e) {
            LOG.warn("cannot stat {}, keeping the current protected topics: {}", path, e.toString());
            return null;
        }
    }
}
