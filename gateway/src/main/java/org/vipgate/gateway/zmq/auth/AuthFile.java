package org.vipgate.gateway.zmq.auth;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.AtomicFiles;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.JsonConfigFile;

/**
 * {@code $VOLTTRON_HOME/auth.json}: who may connect over CURVE, NULL or PLAIN (vip-zmq.md §5.4).
 *
 * <p>{@link #decide} refuses when an enabled {@code deny} entry matches; otherwise it allows with the first
 * enabled {@code allow} entry that matches (entries with plain credentials before those with {@code /regex/}
 * credentials, file order otherwise). An entry matches when its domain is null or matches, its address is null
 * or matches the peer IP, its mechanism is equal, and its credentials match (not checked for NULL).
 *
 * <p>The file is re-read on use when its modification time, size or inode changed, at most once per check
 * interval. A missing file means no entries (everything refused); a file that turns malformed keeps the last good
 * version. Each of these is logged once per change of the file, not on every check. Entries that are invalid on
 * their own (bad mechanism, bad key length, bad regex) are skipped with a warning, as VOLTTRON does. A missing
 * {@code user_id} gets a uuid4 that stays the same across reloads while the entry is unchanged; it is not
 * written back ({@link Contents#generatedUserIds()} tells which ones were made up).
 *
 * <p>{@code groups} ({@code {group: [role, ...]}}) and {@code roles} ({@code {role: [capability, ...]}}) are read
 * as they are in the file, not expanded into the entries (see {@link #contents()}). A {@code groups} or
 * {@code roles} value of the wrong type, or a group or role whose value is not a list of names, is left out with a
 * warning: a missing role grants nothing, so a mistake there removes capabilities rather than adding them.
 *
 * <p>Writes ({@link #addAllow}, {@link #updateRpcMethodAuthorizations}) go to a temporary file in the same
 * directory that is flushed to disk and then renamed over the file, so readers (VOLTTRON's own tools too) never see
 * a partial file. They keep every key and entry of the file, including keys vipgate does not know; comments are
 * lost. Thread-safe.
 */
public final class AuthFile {

    /** How often {@link #decide} looks at the file's modification time and size. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMillis(500);
    /** Larger files are refused rather than read into memory. */
    static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(AuthFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("    ", "\n"))
            .withArrayIndenter(new DefaultIndenter("    ", "\n"));
    private static final String EXPECTED_FILE = "a JSON object {\"allow\": [entries], \"deny\": [entries], ...}";

    private final Path file;
    private final long checkIntervalNanos;
    private final Object lock = new Object();
    private volatile Snapshot snapshot;
    private volatile long lastCheckNanos;
    private Stamp lastStamp; // guarded by lock

    private AuthFile(Path file, Duration checkInterval) {
        this.file = file.toAbsolutePath().normalize();
        this.checkIntervalNanos = checkInterval.toNanos();
    }

    /** As {@link #load(Path, Duration)} with {@link #DEFAULT_CHECK_INTERVAL}. */
    public static AuthFile load(Path file) throws ConfigException {
        return load(file, DEFAULT_CHECK_INTERVAL);
    }

    /**
     * Reads the file now. A missing file is not an error: it reads as no entries (logged once).
     *
     * @param checkInterval the least time between two looks at the file's modification time and size
     * @throws ConfigException when the file exists but is unreadable, not JSON, too large, or {@code allow} or
     *                         {@code deny} is not a list (later reloads keep the last good version instead)
     */
    public static AuthFile load(Path file, Duration checkInterval) throws ConfigException {
        Objects.requireNonNull(file, "file");
        if (checkInterval.isNegative()) {
            throw new IllegalArgumentException("checkInterval must not be negative: " + checkInterval);
        }
        AuthFile authFile = new AuthFile(file, checkInterval);
        synchronized (authFile.lock) {
            Stamp stamp = stamp(authFile.file);
            authFile.lastStamp = stamp;
            authFile.lastCheckNanos = System.nanoTime();
            if (stamp == null) {
                authFile.snapshot = Snapshot.EMPTY;
                authFile.logMissing();
            } else {
                authFile.snapshot = authFile.parse(Map.of());
                authFile.logLoaded();
            }
        }
        return authFile;
    }

    /** The file, absolute. */
    public Path file() {
        return file;
    }

    /**
     * Matches one ZAP request (vip-zmq.md §5.4), after re-reading the file if it changed.
     *
     * @param domain      the ZAP domain, e.g. {@code vip}
     * @param address     the peer IP address
     * @param mechanism   {@code CURVE}, {@code NULL} or {@code PLAIN}
     * @param credentials the 43-character public key for CURVE, the user name for PLAIN, ignored for NULL
     * @return {@link AuthDecision.Allowed} with the entry and its user id, or {@link AuthDecision.Denied}
     */
    public AuthDecision decide(String domain, String address, String mechanism, String credentials) {
        Snapshot current = current();
        for (Compiled deny : current.deny()) {
            if (deny.entry().enabled() && deny.matches(domain, address, mechanism, credentials)) {
                return new AuthDecision.Denied("refused by a deny entry of " + file
                        + (deny.entry().comments() == null ? "" : " (" + deny.entry().comments() + ")"),
                        deny.entry());
            }
        }
        for (Compiled allow : current.allowSorted()) {
            if (allow.entry().enabled() && allow.matches(domain, address, mechanism, credentials)) {
                return new AuthDecision.Allowed(allow.entry(), allow.entry().userId());
            }
        }
        return new AuthDecision.Denied(current.missing()
                ? file + " does not exist"
                : "no enabled allow entry of " + file + " matches");
    }

    /** The allow entries in file order (after re-reading the file if it changed). */
    public List<AuthEntry> allowEntries() {
        return current().allowInFileOrder();
    }

    /** The deny entries in file order (after re-reading the file if it changed). */
    public List<AuthEntry> denyEntries() {
        return current().deny().stream().map(Compiled::entry).toList();
    }

    /** The {@code groups} map, group name to role names (after re-reading the file if it changed). */
    public Map<String, List<String>> groups() {
        return current().groups();
    }

    /** The {@code roles} map, role name to capability names (after re-reading the file if it changed). */
    public Map<String, List<String>> roles() {
        return current().roles();
    }

    /** Allow and deny entries, groups and roles of one version of the file (after re-reading it if it changed). */
    public Contents contents() {
        Snapshot s = current();
        return new Contents(s.allowInFileOrder(), s.deny().stream().map(Compiled::entry).toList(), s.groups(),
                s.roles(), Set.copyOf(s.generatedIds().values()));
    }

    /**
     * One version of the file, as read.
     *
     * @param allow            the valid allow entries in file order
     * @param deny             the valid deny entries in file order
     * @param groups           group name to role names, in file order
     * @param roles            role name to capability names, in file order
     * @param generatedUserIds the user ids vipgate made up for entries without a {@code user_id}
     */
    public record Contents(List<AuthEntry> allow, List<AuthEntry> deny, Map<String, List<String>> groups,
                           Map<String, List<String>> roles, Set<String> generatedUserIds) {

        public Contents {
            allow = List.copyOf(allow);
            deny = List.copyOf(deny);
            groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
            roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
            generatedUserIds = Set.copyOf(generatedUserIds);
        }

        /** True when the entry's user id is not in the file but was made up on load. */
        public boolean hasGeneratedUserId(AuthEntry entry) {
            return entry.userId() != null && generatedUserIds.contains(entry.userId());
        }
    }

    /**
     * Changes the {@code rpc_method_authorizations} of the first valid allow entry (in file order, enabled or not)
     * whose {@code identity} is {@code identity}, as the file holds it now, and rewrites the file when
     * {@code edit} asks for a change. Every other key and entry of the file stays as it is.
     *
     * @param identity the entry's VIP identity
     * @param edit     called with the entry's current map (method to capabilities, file order); returns the new
     *                 map, or null to leave the file as it is
     * @return false when no valid allow entry has that identity (nothing is written), true otherwise
     * @throws ConfigException when the file cannot be read or parsed (it is then left unchanged) or cannot be
     *                         written
     */
    public boolean updateRpcMethodAuthorizations(String identity,
                                                 UnaryOperator<Map<String, List<String>>> edit)
            throws ConfigException {
        Objects.requireNonNull(identity, "identity");
        Map<String, List<String>> before;
        Map<String, List<String>> after;
        synchronized (lock) {
            if (!Files.exists(file)) {
                return false;
            }
            ObjectNode root = readTree();
            JsonNode allow = root.get("allow");
            ObjectNode target = null;
            AuthEntry entry = null;
            if (allow != null && allow.isArray()) {
                for (JsonNode node : allow) {
                    AuthEntry parsed = validEntry(node);
                    if (parsed != null && identity.equals(parsed.identity())) {
                        target = (ObjectNode) node;
                        entry = parsed;
                        break;
                    }
                }
            }
            if (target == null) {
                return false;
            }
            before = new LinkedHashMap<>();
            JsonNode held = target.get("rpc_method_authorizations");
            if (held != null && held.isObject()) {
                // file order (the entry's own map does not keep it)
                for (Iterator<String> it = held.fieldNames(); it.hasNext(); ) {
                    String method = it.next();
                    before.put(method, entry.rpcMethodAuthorizations().get(method));
                }
            }
            after = edit.apply(new LinkedHashMap<>(before));
            if (after == null) {
                return true;
            }
            target.set("rpc_method_authorizations", JSON.valueToTree(after));
            writeTree(root, "rpc_method_authorizations");
            checkLocked();
        }
        LOG.info("auth file {}: rpc_method_authorizations of identity {} changed from {} to {}", file, identity,
                before, after);
        return true;
    }

    /**
     * Looks at the file now, whatever the check interval, and re-reads it if it changed.
     *
     * @return true when a new version (or the absence of the file) took effect
     */
    public boolean reloadIfChanged() {
        synchronized (lock) {
            return checkLocked();
        }
    }

    /**
     * Appends an allow entry and rewrites the file atomically, keeping every key and entry already in it
     * (including keys vipgate does not know). Creates the file, VOLTTRON-shaped, when it does not exist. The new
     * entry takes effect at once.
     *
     * @param entry the entry; a null user id is replaced with a new uuid4
     * @return the entry as written
     * @throws ConfigException when the existing file cannot be read or parsed (it is then left unchanged, since
     *                         rewriting it would lose its content) or the new file cannot be written
     */
    public AuthEntry addAllow(AuthEntry entry) throws ConfigException {
        AuthEntry stored = entry.userId() == null ? entry.withUserId(UUID.randomUUID().toString()) : entry;
        synchronized (lock) {
            ObjectNode root;
            if (Files.exists(file)) {
                root = readTree();
            } else {
                root = JSON.createObjectNode();
                root.putArray("allow");
                root.putArray("deny");
                root.putObject("groups");
                root.putObject("roles");
                ObjectNode version = root.putObject("version");
                version.put("major", 1);
                version.put("minor", 4);
            }
            JsonNode allow = root.get("allow");
            if (allow == null || allow.isNull()) {
                allow = root.putArray("allow");
            }
            ((ArrayNode) allow).add(stored.toJson());
            writeTree(root, "allow");
            checkLocked();
        }
        LOG.info("auth file {}: added allow entry mechanism={} credentials={} user_id={} ({})", file,
                stored.mechanism(), stored.credentials(), stored.userId(), stored.comments());
        return stored;
    }

    /** The entry a node holds, or null when VOLTTRON (and {@link #entries}) would skip it as invalid. */
    private static AuthEntry validEntry(JsonNode node) {
        try {
            AuthEntry entry = AuthEntry.fromJson(node, () -> null);
            Compiled.of(entry); // a bad /regex/ makes the entry invalid, as on load
            return entry;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Replaces the file with {@code root}, pretty-printed as VOLTTRON does. */
    private void writeTree(ObjectNode root, String location) throws ConfigException {
        try {
            AtomicFiles.write(file, JSON.writer(PRINTER).writeValueAsString(root) + "\n", null); // keeps its mode
        } catch (IOException e) {
            throw new ConfigException(file, location, "cannot rewrite the file ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", "a writable file", e);
        }
    }

    private Snapshot current() {
        if (System.nanoTime() - lastCheckNanos >= checkIntervalNanos) {
            synchronized (lock) {
                if (System.nanoTime() - lastCheckNanos >= checkIntervalNanos) {
                    checkLocked();
                }
            }
        }
        return snapshot;
    }

    private boolean checkLocked() {
        lastCheckNanos = System.nanoTime();
        Stamp stamp = stamp(file);
        if (Objects.equals(stamp, lastStamp)) {
            return false;
        }
        lastStamp = stamp;
        if (stamp == null) {
            snapshot = Snapshot.EMPTY;
            logMissing();
            return true;
        }
        try {
            snapshot = parse(snapshot.generatedIds());
        } catch (ConfigException e) {
            LOG.warn("auth file {} changed but cannot be used, keeping the last good version ({} allow entries): {}",
                    file, snapshot.allowInFileOrder().size(), e.getMessage());
            return false;
        }
        logLoaded();
        return true;
    }

    private void logMissing() {
        LOG.warn("auth file {} does not exist: every client is refused until it does (add entries, or run"
                + " with --setup-mode)", file);
    }

    private void logLoaded() {
        LOG.info("auth file {} loaded: {} allow entries, {} deny entries", file,
                snapshot.allowInFileOrder().size(), snapshot.deny().size());
    }

    private ObjectNode readTree() throws ConfigException {
        ObjectNode root = JsonConfigFile.readObject(file, EXPECTED_FILE, MAX_FILE_BYTES, true);
        for (String list : List.of("allow", "deny")) {
            JsonNode node = root.get(list);
            if (node != null && !node.isNull() && !node.isArray()) {
                throw ConfigException.invalid(file, "key '" + list + "'", "not a list (" + node.getNodeType() + ")",
                        "a list of entries");
            }
        }
        return root;
    }

    private Snapshot parse(Map<String, String> previousIds) throws ConfigException {
        ObjectNode root = readTree();
        Map<String, String> ids = new HashMap<>();
        List<Compiled> allow = entries(root, "allow", previousIds, ids);
        List<Compiled> deny = entries(root, "deny", previousIds, ids);
        List<Compiled> sorted = new ArrayList<>(allow.size());
        // vip-zmq.md §5.4: entries with non-regex credentials are tried before regex ones (stable otherwise).
        allow.stream().filter(c -> !AuthEntry.isRegex(c.entry().credentials())).forEach(sorted::add);
        allow.stream().filter(c -> AuthEntry.isRegex(c.entry().credentials())).forEach(sorted::add);
        return new Snapshot(List.copyOf(sorted), allow.stream().map(Compiled::entry).toList(), List.copyOf(deny),
                Map.copyOf(ids), names(root, "groups", "role"), names(root, "roles", "capability"), false);
    }

    /** {@code groups} or {@code roles}: name to a list of names; bad parts are left out with a warning. */
    private Map<String, List<String>> names(ObjectNode root, String key, String what) {
        JsonNode node = root.get(key);
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return Collections.unmodifiableMap(result);
        }
        if (!node.isObject()) {
            LOG.warn("auth file {}: '{}' ignored: it must be an object {{name: [{} names]}}, not {}", file, key,
                    what, node.getNodeType());
            return Collections.unmodifiableMap(result);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode list = field.getValue();
            List<String> values = new ArrayList<>();
            boolean valid = list != null && list.isArray();
            if (valid) {
                for (JsonNode element : list) {
                    if (!element.isTextual()) {
                        valid = false;
                        break;
                    }
                    values.add(element.asText());
                }
            }
            if (valid) {
                result.put(field.getKey(), List.copyOf(values));
            } else {
                LOG.warn("auth file {}: {}['{}'] ignored: it must be a list of {} names", file, key, field.getKey(),
                        what);
            }
        }
        return Collections.unmodifiableMap(result);
    }

    private List<Compiled> entries(ObjectNode root, String list, Map<String, String> previousIds,
                                   Map<String, String> ids) {
        JsonNode array = root.get(list);
        List<Compiled> result = new ArrayList<>();
        if (array == null || array.isNull()) {
            return result;
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode node = array.get(i);
            String key = list + ":" + node;
            try {
                AuthEntry entry = AuthEntry.fromJson(node, () -> ids.computeIfAbsent(key,
                        k -> previousIds.getOrDefault(k, UUID.randomUUID().toString())));
                result.add(Compiled.of(entry));
            } catch (IllegalArgumentException e) {
                LOG.warn("auth file {}: {}[{}] skipped: {}", file, list, i, e.getMessage());
            }
        }
        return result;
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attrs.lastModifiedTime(), attrs.size(), attrs.fileKey());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // Unreadable attributes: report a distinct stamp so that the read itself reports the problem once.
            return new Stamp(FileTime.fromMillis(0), -1, e.getClass().getName());
        }
    }

    /** What identifies a version of the file without reading it. */
    private record Stamp(FileTime modified, long size, Object fileKey) {
    }

    /** One version of the file. */
    private record Snapshot(List<Compiled> allowSorted, List<AuthEntry> allowInFileOrder, List<Compiled> deny,
                            Map<String, String> generatedIds, Map<String, List<String>> groups,
                            Map<String, List<String>> roles, boolean missing) {
        static final Snapshot EMPTY = new Snapshot(List.of(), List.of(), List.of(), Map.of(), Map.of(), Map.of(),
                true);
    }

    /** An entry with its {@code /regex/} values compiled; a null predicate matches anything. */
    private record Compiled(AuthEntry entry, Predicate<String> domain, Predicate<String> address,
                            Predicate<String> credentials) {

        static Compiled of(AuthEntry entry) {
            return new Compiled(entry, predicate("domain", entry.domain()), predicate("address", entry.address()),
                    predicate("credentials", entry.credentials()));
        }

        boolean matches(String domain, String address, String mechanism, String credentials) {
            return test(this.domain, domain)
                    && test(this.address, address)
                    && entry.mechanism().equals(mechanism)
                    // vip-zmq.md §5.4: credentials are not checked for NULL
                    && (mechanism.equals("NULL") || (this.credentials != null && test(this.credentials, credentials)));
        }

        private static boolean test(Predicate<String> predicate, String value) {
            return predicate == null || (value != null && predicate.test(value));
        }

        /** VOLTTRON compiles {@code "^" + inner + "$"}: the regex must match the whole value. */
        private static Predicate<String> predicate(String key, String value) {
            if (value == null) {
                return null;
            }
            if (!AuthEntry.isRegex(value)) {
                return value::equals;
            }
            try {
                Pattern pattern = Pattern.compile(value.substring(1, value.length() - 1));
                return v -> pattern.matcher(v).matches();
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + key + "' is not a valid regex: "
                        + e.getDescription(), e);
            }
        }
    }
}
