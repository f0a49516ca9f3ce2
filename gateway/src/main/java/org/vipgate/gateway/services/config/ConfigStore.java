package org.vipgate.gateway.services.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.AtomicFiles;

/**
 * The configuration store of a VOLTTRON platform, on VOLTTRON's own files: one {@code <identity>.store} file per
 * agent identity in {@code $VOLTTRON_HOME/configuration_store} (docs/protocol/platform-services.md, configuration
 * store). This class is the data side only: it parses, checks, keeps and persists configs; the RPC service calls
 * it and pushes changes to agents.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Config names are normalised ({@link ConfigNames#normalise}) and compared without case. Storing a config
 *       again with other case renames it, in memory and on disk (one key per lower-cased name; VOLTTRON leaves the
 *       old key in the file).</li>
 *   <li>{@link #set} parses the text by type ({@link ConfigContents}), refuses a text over
 *       {@link #MAX_CONFIG_BYTES} bytes and a config whose {@code config://} references would close a cycle
 *       ({@link ConfigReferences}); references are never resolved here.</li>
 *   <li>Every change is written before it is made in memory: the whole file is replaced atomically and durably
 *       ({@link AtomicFiles}); when that fails the call fails with {@code builtins.OSError} and nothing
 *       changes. A store left empty has its file deleted.</li>
 *   <li>Loading is tolerant: what cannot be used is left out, reported in {@link #problems()} and logged, and
 *       left on disk as it was (a file that cannot be read at all is renamed to
 *       {@code <identity>.store.unreadable} before the first write for that identity).</li>
 * </ul>
 * All methods are synchronised; parsed values handed out are copies.
 */
public final class ConfigStore {

    /** The largest config text {@link #set} accepts, in UTF-8 bytes (configs already on disk may be larger). */
    public static final int MAX_CONFIG_BYTES = 1 << 20;

    /** File name suffix of a store file. */
    public static final String STORE_SUFFIX = ".store";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigStore.class);
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final DateTimeFormatter MODIFIED = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'+00:00'").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final Clock clock;
    /** Identity to its store; a store may hold only entries kept as found. */
    private final Map<String, AgentStore> stores = new TreeMap<>(ConfigNames.PYTHON_ORDER);
    /** Identities whose file could not be read; it is moved aside before the first write. */
    private final Set<String> unreadableFiles = new HashSet<>();
    private final List<String> problems = new ArrayList<>();

    /**
     * One identity's configs, keyed by lower-cased normalised name, and the file entries kept as found. Never
     * changed in place: a change builds a new one, which replaces this only once the file is written.
     */
    private record AgentStore(LinkedHashMap<String, StoredConfig> configs, LinkedHashMap<String, JsonNode> keptAsIs) {
        boolean isEmpty() {
            return configs.isEmpty() && keptAsIs.isEmpty();
        }
    }

    private ConfigStore(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /**
     * Loads every {@code *.store} file in {@code storeDir} ({@code $VOLTTRON_HOME/configuration_store}), which
     * need not exist yet: it is created, mode 0755, by the first write. Never fails; what cannot be loaded is in
     * {@link #problems()}.
     */
    public static ConfigStore open(Path storeDir) {
        return open(storeDir, Clock.systemUTC());
    }

    /** {@link #open(Path)} with the clock that stamps {@code modified}. */
    public static ConfigStore open(Path storeDir, Clock clock) {
        ConfigStore store = new ConfigStore(storeDir, clock);
        store.load();
        return store;
    }

    /**
     * The configs that {@code parsed} references with {@code config://} (normalised, lower-cased), as agents
     * resolve them; see {@link ConfigReferences#references}.
     */
    public static Set<String> references(JsonNode parsed) {
        return ConfigReferences.references(parsed);
    }

    /** The folder of the store files. */
    public Path directory() {
        return dir;
    }

    /** Identities that have at least one config, sorted as Python sorts ({@code list_stores}). */
    public synchronized List<String> listStores() {
        List<String> result = new ArrayList<>();
        stores.forEach((identity, store) -> {
            if (!store.configs().isEmpty()) {
                result.add(identity);
            }
        });
        return result;
    }

    /** The stored names (in their stored case) of an identity's configs, sorted; empty when unknown. */
    public synchronized List<String> listConfigs(String identity) {
        AgentStore store = stores.get(identity);
        if (store == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        store.configs().values().forEach(c -> names.add(c.name()));
        names.sort(ConfigNames.PYTHON_ORDER);
        return names;
    }

    /**
     * The raw text of a config ({@code get_config} with {@code raw=True}).
     *
     * @throws ConfigStoreException KeyError {@code 'No configuration file "<name>" for VIP IDENTIY <identity>'}
     */
    public synchronized String getRaw(String identity, String name) throws ConfigStoreException {
        return find(identity, name).data();
    }

    /**
     * The parsed contents of a config, references not resolved ({@code get_config} with {@code raw=False}).
     *
     * @throws ConfigStoreException KeyError as {@link #getRaw}
     */
    public synchronized JsonNode getParsed(String identity, String name) throws ConfigStoreException {
        return find(identity, name).parsed().deepCopy();
    }

    /**
     * Everything about a config ({@code get_metadata}: {@code type}, {@code modified}, {@code data}).
     *
     * @throws ConfigStoreException KeyError as {@link #getRaw}
     */
    public synchronized StoredConfig getMetadata(String identity, String name) throws ConfigStoreException {
        StoredConfig config = find(identity, name);
        return new StoredConfig(config.name(), config.type(), config.modified(), config.data(),
                config.parsed().deepCopy());
    }

    /**
     * All of an identity's configs, stored name to parsed contents (references not resolved), in the order they
     * were first stored (a case rename moves a config to the end); empty when unknown. For
     * {@code config.initial_update}.
     */
    public synchronized Map<String, JsonNode> parsedConfigs(String identity) {
        AgentStore store = stores.get(identity);
        if (store == null) {
            return Map.of();
        }
        LinkedHashMap<String, JsonNode> result = new LinkedHashMap<>();
        store.configs().values().forEach(c -> result.put(c.name(), c.parsed().deepCopy()));
        return Collections.unmodifiableMap(result);
    }

    /**
     * Stores a config ({@code set_config}): checks the identity and name, the size, parses the text, checks for
     * reference cycles, writes the identity's file, and only then changes memory.
     *
     * @param identity    the agent's VIP identity; it names the file, so it must be a plain file name
     * @param name        the config name, normalised before use
     * @param rawContents the text to store
     * @param type        how to read it
     * @return the stored name, {@code NEW} or {@code UPDATE}, and the parsed contents for the push
     * @throws ConfigStoreException ValueError for a bad identity or name, a text over {@link #MAX_CONFIG_BYTES},
     *                              a scalar JSON value or a reference cycle; JSONDecodeError or {@code _csv.Error}
     *                              for text that does not parse; OSError when the file cannot be written
     */
    public synchronized Changed set(String identity, String name, String rawContents, ConfigType type)
            throws ConfigStoreException {
        ConfigNames.checkIdentity(identity);
        String storedName = ConfigNames.checkedName(name);
        if (type == null) {
            throw ConfigStoreException.valueError("Unsupported configuration type.");
        }
        if (rawContents == null) {
            throw ConfigStoreException.valueError("Configuration contents must be a string, not None.");
        }
        long size = utf8Length(rawContents);
        if (size > MAX_CONFIG_BYTES) {
            throw ConfigStoreException.valueError("Configuration " + PythonRepr.of(storedName) + " is " + size
                    + " bytes, more than the limit of " + MAX_CONFIG_BYTES + " bytes.");
        }
        JsonNode parsed = ConfigContents.parse(type, rawContents);
        String key = ConfigNames.key(storedName);
        AgentStore old = stores.get(identity);
        Map<String, JsonNode> others = new LinkedHashMap<>();
        if (old != null) {
            old.configs().forEach((k, c) -> others.put(k, c.parsed()));
        }
        if (ConfigReferences.closesCycle(key, parsed, others)) {
            throw ConfigStoreException.valueError("Recursive configuration references detected.");
        }

        LinkedHashMap<String, StoredConfig> configs = old == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(old.configs());
        StoredConfig previous = configs.get(key);
        StoredConfig config = new StoredConfig(storedName, type, MODIFIED.format(clock.instant()
                .truncatedTo(ChronoUnit.MICROS)), rawContents, parsed);
        if (previous != null && !previous.name().equals(storedName)) {
            configs.remove(key); // renamed: moves to the end, as in VOLTTRON
        }
        configs.put(key, config);
        AgentStore updated = new AgentStore(configs, old == null ? new LinkedHashMap<>() : old.keptAsIs());
        persist(identity, updated);
        stores.put(identity, updated);

        String action = previous == null ? Changed.NEW : Changed.UPDATE;
        if (previous != null && !previous.name().equals(storedName)) {
            LOG.info("Config {} of {} renamed to {} and updated ({} bytes of {})", PythonRepr.of(previous.name()),
                    identity, PythonRepr.of(storedName), size, type.wireName());
        } else {
            LOG.info("Config {} of {} stored ({}, {} bytes of {})", PythonRepr.of(storedName), identity, action,
                    size, type.wireName());
        }
        return new Changed(storedName, action, parsed.deepCopy());
    }

    /**
     * Deletes a config ({@code delete_config}); the file is rewritten, or deleted when nothing is left.
     *
     * @return the name the config was stored under
     * @throws ConfigStoreException ValueError for an identity that cannot name a store file; KeyError when the
     *                              identity or config is unknown; OSError when the file cannot be written
     */
    public synchronized String delete(String identity, String name) throws ConfigStoreException {
        ConfigNames.checkIdentity(identity);
        StoredConfig config = find(identity, name);
        AgentStore old = stores.get(identity);
        LinkedHashMap<String, StoredConfig> configs = new LinkedHashMap<>(old.configs());
        configs.remove(ConfigNames.key(ConfigNames.normalise(config.name())));
        AgentStore updated = new AgentStore(configs, old.keptAsIs());
        persist(identity, updated);
        if (updated.isEmpty()) {
            stores.remove(identity);
        } else {
            stores.put(identity, updated);
        }
        LOG.info("Config {} of {} deleted", PythonRepr.of(config.name()), identity);
        return config.name();
    }

    /**
     * Deletes all of an identity's configs and its file ({@code delete_store}), entries kept as found included.
     *
     * @return false, changing nothing, when the identity has no store
     * @throws ConfigStoreException ValueError for an identity that cannot name a store file; OSError when the
     *                              file cannot be deleted
     */
    public synchronized boolean deleteStore(String identity) throws ConfigStoreException {
        ConfigNames.checkIdentity(identity);
        AgentStore old = stores.get(identity);
        if (old == null) {
            return false;
        }
        Path file = fileOf(identity);
        try {
            AtomicFiles.delete(file);
        } catch (IOException e) {
            throw ConfigStoreException.writeFailed(file, e);
        }
        stores.remove(identity);
        LOG.info("Store of {} deleted ({} configs, file {})", identity, old.configs().size(), file);
        return true;
    }

    /** What was left out at load: one line per file or entry, saying what and how to fix it. */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** The config a lookup finds, or the KeyError VOLTTRON raises. */
    private StoredConfig find(String identity, String name) throws ConfigStoreException {
        AgentStore store = identity == null ? null : stores.get(identity);
        if (store == null || store.configs().isEmpty()) {
            throw ConfigStoreException.noSuchConfig(String.valueOf(name), String.valueOf(identity));
        }
        String normalised = name == null ? "None" : ConfigNames.normalise(name);
        StoredConfig config = store.configs().get(ConfigNames.key(normalised));
        if (config == null) {
            throw ConfigStoreException.noSuchConfig(normalised, identity);
        }
        return config;
    }

    private Path fileOf(String identity) {
        return dir.resolve(identity + STORE_SUFFIX);
    }

    /** Makes the identity's file hold {@code store}, or removes it when the store is empty. */
    private void persist(String identity, AgentStore store) throws ConfigStoreException {
        Path file = fileOf(identity);
        try {
            if (store.isEmpty()) {
                AtomicFiles.delete(file);
                return;
            }
            createDirectory();
            if (unreadableFiles.contains(identity)) {
                moveAside(file);
                unreadableFiles.remove(identity);
            }
            // a store keeps its mode; a new one is the owner's only (configs often hold credentials)
            AtomicFiles.write(file, StoreFileCodec.encode(store.configs(), store.keptAsIs()),
                    Files.exists(file) ? null : AtomicFiles.OWNER_RW);
        } catch (IOException e) {
            LOG.error("Could not write the configuration store file {} for {}: {}; the change was refused. "
                    + "Check that the folder exists and is writable and that the disk is not full", file, identity,
                    e.toString());
            throw ConfigStoreException.writeFailed(file, e);
        }
    }

    private void createDirectory() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(dir, DIR_MODE);
        }
        AtomicFiles.syncDirectory(dir.toAbsolutePath().getParent());
        LOG.info("Created the configuration store folder {}", dir);
    }

    /** Renames a file that could not be read to {@code <name>.unreadable[.N]}, so that a write loses nothing. */
    private void moveAside(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        for (int n = 0; n < 1000; n++) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable" + (n == 0 ? "" : "." + n));
            if (Files.exists(aside)) {
                continue;
            }
            try {
                AtomicFiles.rename(file, aside);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            LOG.warn("Moved the unreadable configuration store file {} to {} before writing a new one; "
                    + "recover configs from it by hand if they are needed", file, aside);
            return;
        }
        throw new IOException("no free name to move the unreadable " + file + " aside");
    }

    private void load() {
        if (!Files.exists(dir)) {
            LOG.info("No configuration store folder {} yet; it is created by the first stored config", dir);
            return;
        }
        if (!Files.isDirectory(dir)) {
            problem(dir + ": is not a folder, so no configs were loaded and none can be stored; "
                    + "move it away and restart");
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir, "*" + STORE_SUFFIX)) {
            listing.forEach(files::add);
        } catch (IOException e) {
            problem(dir + ": cannot be listed (" + e + "), so no configs were loaded; check its permissions");
            return;
        }
        files.sort(null); // by file name, so that problems come in a stable order
        for (Path file : files) {
            loadFile(file);
        }
        int configs = stores.values().stream().mapToInt(s -> s.configs().size()).sum();
        LOG.info("Configuration store {}: {} configs of {} identities loaded, {} problems", dir, configs,
                listStores().size(), problems.size());
    }

    private void loadFile(Path file) {
        String fileName = file.getFileName().toString();
        String identity = fileName.substring(0, fileName.length() - STORE_SUFFIX.length());
        if (!Files.isRegularFile(file)) {
            problem(file + ": is not a regular file; ignored");
            return;
        }
        String invalid = ConfigNames.identityProblem(identity);
        if (invalid != null) {
            problem(file + ": ignored, its name gives the identity " + PythonRepr.of(identity) + " and " + invalid
                    + "; rename or remove it");
            return;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return; // removed while listing
        } catch (IOException e) {
            unreadableFiles.add(identity);
            problem(file + ": cannot be read (" + e + "); the configs of " + identity + " are not loaded. "
                    + "Fix its permissions and restart; a new config for " + identity + " moves it aside first");
            return;
        }
        StoreFileCodec.Decoded decoded;
        try {
            decoded = StoreFileCodec.decode(bytes, file.toString());
        } catch (StoreFileCodec.UnreadableFile e) {
            unreadableFiles.add(identity);
            problem(file + ": ignored, " + e.getMessage() + "; the configs of " + identity + " are not loaded. "
                    + "Convert it to JSON (or store them again) while vipgate is stopped; a new config for "
                    + identity + " moves it aside first");
            return;
        }
        decoded.problems().forEach(this::problem);
        AgentStore store = new AgentStore(decoded.configs(), decoded.keptAsIs());
        if (!store.isEmpty()) {
            stores.put(identity, store);
        }
    }

    private void problem(String text) {
        problems.add(text);
        LOG.warn("Configuration store: {}", text);
    }

    private static long utf8Length(String text) {
        if (text.length() > MAX_CONFIG_BYTES) {
            return text.getBytes(StandardCharsets.UTF_8).length;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
