package org.vipgate.certs.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.vipgate.certs.AtomicFiles;

/**
 * The web administrators: {@code $VOLTTRON_HOME/web-users.json} in VOLTTRON's format (certs-csr-discovery.md
 * §5), {@code {"<user>": {"hashed_password": "<argon2id PHC>", "groups": ["admin", "vui"]}}}, so that VOLTTRON
 * and vipgate can share the file. The file is read on every call (VOLTTRON reloads it on change too) and written
 * atomically with mode 0600.
 */
public final class WebUsers {

    public static final String FILE_NAME = "web-users.json";
    public static final int MIN_PASSWORD_LENGTH = 8;
    /** Letters, digits and {@code ._@-}, 1 to 64 characters: safe in logs and in the HTML. */
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    /** §5: the groups VOLTTRON gives the first administrator. */
    private static final List<String> ADMIN_GROUPS = List.of("admin", "vui");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A user who logged in, and their groups. */
    public record User(String name, List<String> groups) {
        public boolean isAdmin() {
            return groups.contains("admin");
        }
    }

    private final Path file;
    private final Argon2Passwords passwords;
    /**
     * Verified against when the user is unknown, so that the answer takes as long as for a known user. Made at the
     * first such login, not at start: a hash borrows tens of MiB of heap and a gateway need not pay for it unused.
     */
    private volatile String decoyHash;

    public WebUsers(Path volttronHome, Argon2Passwords passwords) {
        this.file = volttronHome.resolve(FILE_NAME);
        this.passwords = Objects.requireNonNull(passwords, "passwords");
    }

    private String decoyHash() {
        String d = decoyHash;
        if (d == null) {
            d = passwords.hash("decoy password".toCharArray());
            decoyHash = d;
        }
        return d;
    }

    public Path file() {
        return file;
    }

    /** True when the file is missing or holds no user: the first-run page is shown (§5). */
    public boolean isEmpty() throws IOException {
        return read().isEmpty();
    }

    /**
     * Creates the first administrator (§5, {@code /admin/setpassword}).
     *
     * @throws IllegalStateException    when a user exists already
     * @throws IllegalArgumentException when the name or password is not acceptable; the message says why
     * @throws IOException              when the file cannot be read or written
     */
    public synchronized void createAdministrator(String user, char[] password) throws IOException {
        if (user == null || !USER_NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("the user name must be 1 to 64 letters, digits or . _ @ -");
        }
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("the password must be at least " + MIN_PASSWORD_LENGTH
                    + " characters");
        }
        ObjectNode users = read();
        if (!users.isEmpty()) {
            throw new IllegalStateException("an administrator exists already");
        }
        ObjectNode entry = users.putObject(user);
        entry.put("hashed_password", passwords.hash(password));
        ADMIN_GROUPS.forEach(entry.putArray("groups")::add);
        write(users);
    }

    /** The user, when the password is right; empty otherwise (unknown user, wrong password, unreadable hash). */
    public Optional<User> authenticate(String user, char[] password) throws IOException {
        JsonNode entry = user == null ? null : read().get(user);
        JsonNode hash = entry == null ? null : entry.get("hashed_password");
        if (hash == null || !hash.isTextual()) {
            passwords.verify(password, decoyHash());
            return Optional.empty();
        }
        if (!passwords.verify(password, hash.textValue())) {
            return Optional.empty();
        }
        List<String> groups = new ArrayList<>();
        JsonNode g = entry.get("groups");
        if (g != null && g.isArray()) {
            g.forEach(n -> groups.add(n.asText()));
        }
        return Optional.of(new User(user, List.copyOf(groups)));
    }

    private ObjectNode read() throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return JSON.createObjectNode();
        }
        if (text.isBlank()) {
            return JSON.createObjectNode();
        }
        JsonNode node = JSON.readTree(text);
        if (!(node instanceof ObjectNode users)) {
            throw new IOException(file + ": expected a JSON object of users, as VOLTTRON writes it");
        }
        return users;
    }

    private void write(ObjectNode users) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(users),
                AtomicFiles.OWNER_RW);
    }
}
