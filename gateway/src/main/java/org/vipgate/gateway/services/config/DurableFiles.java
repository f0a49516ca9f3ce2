package org.vipgate.gateway.services.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces and removes files so that they survive a crash or power loss: the content goes to a temporary file in
 * the same directory, which is flushed to disk, renamed over the target, and then the directory itself is flushed
 * so that the rename is on disk too. Readers see the old or the new file, never a partial one.
 *
 * <p>This exists next to the certs module's {@code AtomicFiles} because that class renames without flushing the
 * file or the directory, which the configuration store promises (docs/protocol/platform-services.md).
 */
final class DurableFiles {

    /** Owner read/write (0600), for new store files: configs often hold credentials. */
    static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");

    /** Suffix of the temporary files, which never end in {@code .store}. */
    static final String TEMP_SUFFIX = ".tmp";

    private DurableFiles() {
    }

    /**
     * Writes {@code content} to {@code target} in one step. A target that exists keeps its POSIX mode; a new one
     * gets {@code newMode} (where the file system has POSIX modes).
     *
     * @throws IOException when anything fails; the target is then unchanged and no temporary file is left
     */
    static void replace(Path target, byte[] content, Set<PosixFilePermission> newMode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Set<PosixFilePermission> mode = posix && Files.exists(target) ? Files.getPosixFilePermissions(target)
                : newMode;
        Path tmp = posix
                ? Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX,
                        PosixFilePermissions.asFileAttribute(mode))
                : Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (posix) {
                Files.setPosixFilePermissions(tmp, mode); // exactly, whatever the umask
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /** Removes {@code target} if it exists and flushes the removal to disk. */
    static void delete(Path target) throws IOException {
        if (Files.deleteIfExists(target)) {
            syncDirectory(target.toAbsolutePath().getParent());
        }
    }

    /** Renames {@code from} to {@code to} (same directory) and flushes the directory. */
    static void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(to.toAbsolutePath().getParent());
    }

    /**
     * Flushes a directory's entries to disk. Where directories cannot be opened for that (not on Linux or macOS),
     * the rename is still atomic, only its durability is up to the OS.
     */
    static void syncDirectory(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            if (isWindows()) {
                return;
            }
            throw e instanceof IOException io ? io : new IOException(e);
        }
        try (channel) {
            channel.force(true);
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }
}
