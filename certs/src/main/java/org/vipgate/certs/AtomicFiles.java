package org.vipgate.certs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file in one step: the content goes to a temporary file in the same directory, which is then renamed
 * over the target. Readers see the old or the new content, never a partial file.
 */
public final class AtomicFiles {

    /** Owner read/write only (0600). */
    public static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {
    }

    /**
     * Writes {@code text} (UTF-8) to {@code target}. With {@code mode} null the target keeps its current POSIX
     * mode when it exists (else the process umask applies); otherwise the new file gets exactly {@code mode}
     * where the file system has POSIX permissions.
     *
     * @throws IOException when the directory is missing or not writable, or the rename fails; the target is then
     *                     unchanged and the temporary file removed
     */
    public static void write(Path target, String text, Set<PosixFilePermission> mode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Set<PosixFilePermission> perms = mode;
        if (perms == null && posix && Files.exists(target)) {
            perms = Files.getPosixFilePermissions(target);
        }
        Path tmp = posix && perms != null
                ? Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", asAttribute(perms))
                : Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
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
    }

    private static FileAttribute<Set<PosixFilePermission>> asAttribute(Set<PosixFilePermission> perms) {
        return PosixFilePermissions.asFileAttribute(perms);
    }
}
