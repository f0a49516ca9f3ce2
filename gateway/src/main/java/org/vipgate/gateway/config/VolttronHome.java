package org.vipgate.gateway.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A VOLTTRON_HOME directory and the names of the files VOLTTRON keeps in it (DESIGN.md "Files a user already
 * has"). The root is always absolute and normalized. Only {@link #ensureLayout()} touches the file system; it
 * creates missing directories and never changes or deletes anything that exists.
 *
 * @param root the VOLTTRON_HOME directory
 */
public record VolttronHome(Path root) {

    /** The environment variable VOLTTRON reads its home from. */
    public static final String ENV_VAR = "VOLTTRON_HOME";
    /** VOLTTRON's default home, relative to the user's home directory. */
    public static final String DEFAULT_DIR = ".volttron";

    /** Subdirectories of {@code certificates/} (vip-rabbitmq.md §7.3). */
    public static final List<String> CERTIFICATE_SUBDIRS =
            List.of("certs", "private", "ca_db", "pending_csr", "remote_certs", "federation", "shovel");

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    public VolttronHome {
        root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /**
     * The home to use: {@code explicitOrNull} when given, else {@code $VOLTTRON_HOME} when set and not blank,
     * else {@code ~/.volttron} (VOLTTRON's {@code get_home()}). A leading {@code ~} is expanded with
     * {@code $HOME} from {@code env}, or the {@code user.home} property when it is unset.
     */
    public static VolttronHome resolve(Path explicitOrNull, Map<String, String> env) {
        String userHome = env.getOrDefault("HOME", System.getProperty("user.home"));
        if (explicitOrNull != null) {
            return new VolttronHome(expandTilde(explicitOrNull.toString(), userHome));
        }
        String fromEnv = env.get(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new VolttronHome(expandTilde(fromEnv.strip(), userHome));
        }
        return new VolttronHome(Path.of(userHome, DEFAULT_DIR));
    }

    private static Path expandTilde(String path, String userHome) {
        if (path.equals("~")) {
            return Path.of(userHome);
        }
        if (path.startsWith("~/")) {
            return Path.of(userHome, path.substring(2));
        }
        return Path.of(path);
    }

    /** {@code config}: the platform config, INI with a {@code [volttron]} section. */
    public Path configFile() {
        return root.resolve("config");
    }

    /** {@code rabbitmq_config.yml}: RabbitMQ settings (vip-rabbitmq.md §7.1). */
    public Path rabbitConfigFile() {
        return root.resolve("rabbitmq_config.yml");
    }

    /** {@code keystore}: the platform's CURVE key pair. */
    public Path keystoreFile() {
        return root.resolve("keystore");
    }

    /** {@code known_hosts}: server keys of known platforms. */
    public Path knownHostsFile() {
        return root.resolve("known_hosts");
    }

    /** {@code auth.json}: the authorization entries. */
    public Path authFile() {
        return root.resolve("auth.json");
    }

    /** {@code external_address.json}. */
    public Path configurationStoreDir() {
        return root.resolve("configuration_store");
    }

    /** eclipse-volttron's clients read the platform's public key here (docs/protocol/platform-services.md). */
    public Path eclipsePlatformCredentialsFile() {
        return root.resolve("credentials_store").resolve("platform.json");
    }

    public Path externalAddressFile() {
        return root.resolve("external_address.json");
    }

    /** {@code external_platform_discovery.json}: addresses of external ZMQ platforms. */
    public Path externalPlatformDiscoveryFile() {
        return root.resolve("external_platform_discovery.json");
    }

    /** {@code rabbitmq_federation_config.yml} (vip-rabbitmq.md §5.1). */
    public Path federationConfigFile() {
        return root.resolve("rabbitmq_federation_config.yml");
    }

    /** {@code rabbitmq_shovel_config.yml} (vip-rabbitmq.md §6.1). */
    public Path shovelConfigFile() {
        return root.resolve("rabbitmq_shovel_config.yml");
    }

    /** {@code certificates/}. */
    public Path certificatesDir() {
        return root.resolve("certificates");
    }

    /**
     * {@code certificates/<sub>}, e.g. {@code certs} or {@code private}.
     *
     * @throws IllegalArgumentException when {@code sub} is not one plain directory name
     */
    public Path certificatesDir(String sub) {
        if (sub.isEmpty() || sub.equals(".") || sub.equals("..") || sub.contains("/") || sub.contains("\\")) {
            throw new IllegalArgumentException("not a plain directory name: '" + sub + "'");
        }
        return certificatesDir().resolve(sub);
    }

    /**
     * Creates what is missing of the root, {@code certificates/} and its subdirectories
     * {@link #CERTIFICATE_SUBDIRS}; {@code private/} gets mode 0700 where the file system has POSIX permissions.
     * Existing directories are left as they are.
     *
     * @return the directories created, parents first (empty when nothing was missing)
     * @throws IOException when a directory cannot be created, or a non-directory is in the way
     */
    public List<Path> ensureLayout() throws IOException {
        List<Path> created = new ArrayList<>();
        Deque<Path> missingAncestors = new ArrayDeque<>();
        for (Path p = root.getParent(); p != null && !Files.exists(p); p = p.getParent()) {
            missingAncestors.push(p);
        }
        for (Path p : missingAncestors) {
            createDirectory(p, false, created);
        }
        createDirectory(root, false, created);
        createDirectory(certificatesDir(), false, created);
        for (String sub : CERTIFICATE_SUBDIRS) {
            createDirectory(certificatesDir(sub), sub.equals("private"), created);
        }
        return List.copyOf(created);
    }

    private static void createDirectory(Path dir, boolean ownerOnly, List<Path> created) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "exists and is not a directory");
        }
        boolean posix = ownerOnly && dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.setPosixFilePermissions(dir, OWNER_ONLY); // exact mode, whatever the umask
            } else {
                Files.createDirectory(dir);
            }
            created.add(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            // created concurrently by someone else: not ours, nothing to report
        }
    }
}
