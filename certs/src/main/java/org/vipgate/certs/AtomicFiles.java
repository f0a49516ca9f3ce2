package org.vipgate.certs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/**
 * Replaces a file in one step and durably: the content goes to a temporary file in the same directory, which is
 * forced to disk, renamed over the target, and then the directory is forced so that the rename survives a crash or a
 * power loss too. Readers see the old or the new content, never a partial file.
 */
public final class AtomicFiles {

    /** Owner read/write only (0600). */
    public static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    /** Suffix of the temporary files. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** As {@link #write(Path, byte[], Set)} with {@code text} in UTF-8. */
    public static void write(Path target, String text, Set<PosixFilePermission> mode) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8), mode);
    }

    /**
     * Writes {@code content} to {@code target}. With {@code mode} null the target keeps its current POSIX mode when
     * it exists (else the process umask applies); otherwise the new file gets exactly {@code mode} where the file
     * system has POSIX permissions.
     *
     * @throws IOException when the directory is missing or not writable, or a write, the flush or the rename fails;
     *                     the target is then unchanged and the temporary file removed
     */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Set<PosixFilePermission> perms = mode;
        if (perms == null && posix && Files.exists(target)) {
            perms = Files.getPosixFilePermissions(target);
        }
        Path tmp = posix && perms != null
                ? Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX, asAttribute(perms))
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
            if (posix && perms != null) {
                Files.setPosixFilePermissions(tmp, perms); // exact mode, whatever the umask
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

    /** Removes {@code target} if it exists and forces the removal to disk. */
    public static void delete(Path target) throws IOException {
        if (Files.deleteIfExists(target)) {
            syncDirectory(target.toAbsolutePath().getParent());
        }
    }

    /** Renames {@code from} to {@code to} in the same directory (failing if {@code to} exists), durably. */
    public static void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(to.toAbsolutePath().getParent());
    }

    /**
     * Forces a directory's entries to disk. Where directories cannot be opened for that (Windows), renames are still
     * atomic; only their durability is left to the operating system.
     */
    public static void syncDirectory(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
                return;
            }
            throw e instanceof IOException io ? io : new IOException(e);
        }
        try (channel) {
            channel.force(true);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> asAttribute(Set<PosixFilePermission> perms) {
        return PosixFilePermissions.asFileAttribute(perms);
    }
}
