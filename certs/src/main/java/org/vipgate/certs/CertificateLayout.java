package org.vipgate.certs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The files of {@code $VOLTTRON_HOME/certificates/} as VOLTTRON lays them out (certs-csr-discovery.md §1.4, §1.5).
 * Only {@link #ensureDirectories()} touches the file system.
 *
 * @param root the {@code certificates} directory
 */
public record CertificateLayout(Path root) {

    /** The subdirectories VOLTTRON uses (§1.4); {@code pending_certs}, {@code rejected} and {@code whitelist} are unused. */
    public static final List<String> SUBDIRECTORIES =
            List.of("certs", "private", "ca_db", "pending_csr", "remote_certs", "federation", "shovel");

    // certs-csr-discovery.md §1.1: directories are created with mode 0755.
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    // private/ is owner-only, as VolttronHome.ensureLayout makes it (VOLTTRON's 0755 lets anyone list key names).
    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");

    public CertificateLayout {
        root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /** The layout under {@code <volttronHome>/certificates}. */
    public static CertificateLayout ofVolttronHome(Path volttronHome) {
        return new CertificateLayout(volttronHome.resolve("certificates"));
    }

    /** {@code certs/<name>.crt}: a local certificate. */
    public Path certificate(String name) {
        return certsDir().resolve(name + ".crt");
    }

    /** {@code private/<name>.pem}: a local private key (PKCS#1). */
    public Path privateKey(String name) {
        return privateDir().resolve(name + ".pem");
    }

    /** {@code remote_certs/<cn>.crt}: a certificate this CA signed for a remote requester. */
    public Path remoteCertificate(String commonName) {
        return remoteCertsDir().resolve(commonName + ".crt");
    }

    /** {@code pending_csr/<cn>.csr}: the request as received, PEM. */
    public Path pendingCsr(String commonName) {
        return pendingCsrDir().resolve(commonName + ".csr");
    }

    /** {@code pending_csr/<cn>.json}: the request's metadata (§2.2). */
    public Path pendingCsrMetadata(String commonName) {
        return pendingCsrDir().resolve(commonName + ".json");
    }

    /** {@code ca_db/<ca>-cadb.json} (§1.3). */
    public Path caDatabase(String caName) {
        return caDbDir().resolve(caName + "-cadb.json");
    }

    /** {@code ca_db/<ca>-serial} (§1.3). */
    public Path caSerial(String caName) {
        return caDbDir().resolve(caName + "-serial");
    }

    public Path certsDir() {
        return root.resolve("certs");
    }

    public Path privateDir() {
        return root.resolve("private");
    }

    public Path caDbDir() {
        return root.resolve("ca_db");
    }

    public Path pendingCsrDir() {
        return root.resolve("pending_csr");
    }

    public Path remoteCertsDir() {
        return root.resolve("remote_certs");
    }

    /**
     * Creates whichever of {@code certificates/} and its {@link #SUBDIRECTORIES} are missing, mode 0755
     * ({@code private/} 0700), and leaves existing ones alone. Unlike VOLTTRON (§1.4 quirk) it does not stop at the
     * first directory that exists.
     *
     * @throws PkiException when a directory cannot be created or a file is in the way
     */
    public void ensureDirectories() throws PkiException {
        try {
            createDirectories(root, DIRECTORY_MODE);
            for (String sub : SUBDIRECTORIES) {
                createDirectories(root.resolve(sub), sub.equals("private") ? PRIVATE_DIRECTORY_MODE : DIRECTORY_MODE);
            }
        } catch (IOException e) {
            throw new PkiException("cannot create the certificate directories under " + root + ": " + e, e);
        }
    }

    private static void createDirectories(Path dir, Set<PosixFilePermission> mode) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "exists and is not a directory");
        }
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent, DIRECTORY_MODE);
        }
        boolean posix = PemFiles.isPosix(dir);
        try {
            if (posix) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(mode));
                Files.setPosixFilePermissions(dir, mode); // exact mode, whatever the umask
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            // made concurrently by another process: fine
        }
    }
}
