package org.vipgate.gateway.services.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.zmq.auth.AuthEntry;
import org.vipgate.gateway.zmq.auth.AuthFile;

/**
 * What {@code platform.auth} answers about users and their capabilities: an immutable snapshot of auth.json's
 * enabled allow entries, with roles and groups expanded as VOLTTRON 9 does (docs/protocol/platform-services.md,
 * "Effective capabilities").
 *
 * <p>A user's capabilities are the entry's own {@code capabilities}, then the capabilities of each role named in
 * the entry's {@code roles} and of each role that {@code groups} gives to the entry's groups. Unknown roles and
 * groups grant nothing. Entries are taken in VOLTTRON's order: those with plain credentials before those with
 * {@code /regex/} credentials, file order otherwise.
 *
 * <p>Choices, documented because they matter for safety:
 * <ul>
 *   <li>Capabilities that come from roles follow VOLTTRON: they are added without parameter restrictions
 *       ({@code name: null}) and <em>replace</em> a restricted capability of the same name that the entry has.
 *       Giving an agent a role that contains {@code edit_config_store} therefore lifts its
 *       {@code identity} restriction. Role capabilities new to the entry are added in name order.</li>
 *   <li>A user that no entry names has no capabilities ({@link #capabilitiesOf} is empty, {@link #knows} is
 *       false), so protected methods refuse them.</li>
 *   <li>An entry without a {@code user_id} contributes no user: VOLTTRON would key it by a fresh uuid4 on every
 *       load, which no caller can present. Its {@code rpc_method_authorizations} still count for its
 *       {@code identity}.</li>
 *   <li>Two entries with the same {@code user_id}: the first one (in the order above) wins, for every method
 *       here; a warning is logged. (VOLTTRON lets the last one win in {@code get_user_to_capabilities} and the
 *       first in {@code get_authorizations}.)</li>
 *   <li>{@link #rolesOf} lists the entry's roles followed by the roles of its groups, without duplicates
 *       (VOLTTRON appends the group roles to the entry's roles the same way, with duplicates).</li>
 * </ul>
 */
public final class AuthModel {

    private static final Logger LOG = LoggerFactory.getLogger(AuthModel.class);
    private static final AuthModel EMPTY = new AuthModel(Map.of(), Map.of());

    /** One user, expanded. */
    private record User(Map<String, Object> capabilities, List<String> groups, List<String> roles) {
    }

    private final Map<String, User> users;
    private final Map<String, Map<String, List<String>>> rpcByIdentity;

    private AuthModel(Map<String, User> users, Map<String, Map<String, List<String>>> rpcByIdentity) {
        this.users = users;
        this.rpcByIdentity = rpcByIdentity;
    }

    /** No users and no identities. */
    public static AuthModel empty() {
        return EMPTY;
    }

    /**
     * The model of the file's current version (re-read if it changed). Entries whose {@code user_id} was made up
     * on load are treated as having none.
     */
    public static AuthModel of(AuthFile file) {
        AuthFile.Contents contents = file.contents();
        List<AuthEntry> allow = contents.allow().stream()
                .map(e -> contents.hasGeneratedUserId(e) ? e.withUserId(null) : e)
                .toList();
        return of(allow, contents.groups(), contents.roles());
    }

    /**
     * The model of the given allow entries.
     *
     * @param allow  allow entries in file order; disabled entries are ignored, entries with a null user id give no
     *               user
     * @param groups group name to role names
     * @param roles  role name to capability names
     */
    public static AuthModel of(List<AuthEntry> allow, Map<String, List<String>> groups,
                               Map<String, List<String>> roles) {
        Objects.requireNonNull(allow, "allow");
        Map<String, List<String>> groupMap = groups == null ? Map.of() : groups;
        Map<String, List<String>> roleMap = roles == null ? Map.of() : roles;
        List<AuthEntry> ordered = new ArrayList<>(allow.size());
        allow.stream().filter(AuthEntry::enabled).filter(e -> !AuthEntry.isRegex(e.credentials()))
                .forEach(ordered::add);
        allow.stream().filter(AuthEntry::enabled).filter(e -> AuthEntry.isRegex(e.credentials()))
                .forEach(ordered::add);

        Map<String, User> users = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> rpc = new LinkedHashMap<>();
        for (AuthEntry entry : ordered) {
            if (entry.identity() != null && !rpc.containsKey(entry.identity())) {
                rpc.put(entry.identity(), entry.rpcMethodAuthorizations());
            }
            if (entry.userId() == null) {
                continue;
            }
            if (users.containsKey(entry.userId())) {
                LOG.warn("auth.json has more than one enabled allow entry with user_id '{}'; the capabilities of"
                        + " the first one ({}) are used: give each entry its own user_id", entry.userId(),
                        entry.credentials());
                continue;
            }
            users.put(entry.userId(), expand(entry, groupMap, roleMap));
        }
        return new AuthModel(Collections.unmodifiableMap(users), Collections.unmodifiableMap(rpc));
    }

    private static User expand(AuthEntry entry, Map<String, List<String>> groups, Map<String, List<String>> roles) {
        Set<String> roleNames = new LinkedHashSet<>(entry.roles());
        for (String group : entry.groups()) {
            roleNames.addAll(groups.getOrDefault(group, List.of()));
        }
        Set<String> fromRoles = new TreeSet<>();
        for (String role : roleNames) {
            for (String capability : roles.getOrDefault(role, List.of())) {
                if (capability != null && !capability.isEmpty()) {
                    fromRoles.add(capability);
                }
            }
        }
        Map<String, Object> capabilities = new LinkedHashMap<>(entry.capabilities());
        for (String capability : fromRoles) {
            capabilities.put(capability, null); // replaces a restricted one: see the class comment
        }
        return new User(Collections.unmodifiableMap(capabilities), entry.groups(), List.copyOf(roleNames));
    }

    /**
     * A copy in which {@code userId} also holds {@code capabilities}: for vipgate's own services, whose identities
     * may have no entry in auth.json but must appear in the capability map (VOLTTRON agents accept configuration
     * pushes only from a {@code config.store} that holds {@code sync_agent_config}). A capability the user already
     * has keeps its value; a user without an entry gets no groups and no roles.
     */
    public AuthModel withCapabilities(String userId, Map<String, Object> capabilities) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(capabilities, "capabilities");
        Map<String, User> copy = new LinkedHashMap<>(users);
        User current = copy.get(userId);
        Map<String, Object> caps = new LinkedHashMap<>(current == null ? Map.of() : current.capabilities());
        capabilities.forEach(caps::putIfAbsent);
        copy.put(userId, new User(Collections.unmodifiableMap(caps), current == null ? List.of() : current.groups(),
                current == null ? List.of() : current.roles()));
        return new AuthModel(Collections.unmodifiableMap(copy), rpcByIdentity);
    }

    /**
     * VOLTTRON 9 {@code get_user_to_capabilities}: every user to their capabilities
     * {@code {cap: null | {param: value}}}. Unmodifiable; values may be null.
     */
    public Map<String, Map<String, Object>> userToCapabilities() {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        users.forEach((user, u) -> result.put(user, u.capabilities()));
        return Collections.unmodifiableMap(result);
    }

    /** The user's capabilities; empty for a user no entry names. */
    public Map<String, Object> capabilitiesOf(String userId) {
        User user = userId == null ? null : users.get(userId);
        return user == null ? Map.of() : user.capabilities();
    }

    /** True when an enabled allow entry has this user id. */
    public boolean knows(String userId) {
        return userId != null && users.containsKey(userId);
    }

    /**
     * VOLTTRON 9 {@code get_authorizations}: {@code [capabilities, groups, roles]}, or null for an unknown user.
     * (VOLTTRON also accepts a ZAP-style user description there; vipgate does not.)
     */
    public Object authorizations(String userId) {
        User user = userId == null ? null : users.get(userId);
        return user == null ? null : List.of(user.capabilities(), user.groups(), user.roles());
    }

    /** The entry's groups; empty for an unknown user. */
    public List<String> groupsOf(String userId) {
        User user = userId == null ? null : users.get(userId);
        return user == null ? List.of() : user.groups();
    }

    /** The entry's roles followed by the roles of its groups; empty for an unknown user. */
    public List<String> rolesOf(String userId) {
        User user = userId == null ? null : users.get(userId);
        return user == null ? List.of() : user.roles();
    }

    /**
     * The {@code rpc_method_authorizations} of the first enabled allow entry with this {@code identity}: method to
     * the capabilities it requires; empty when no entry has it.
     */
    public Map<String, List<String>> rpcMethodAuthorizations(String identity) {
        Map<String, List<String>> rpc = identity == null ? null : rpcByIdentity.get(identity);
        return rpc == null ? Map.of() : rpc;
    }

    /** The identities that have an enabled allow entry. */
    public Set<String> identities() {
        return rpcByIdentity.keySet();
    }

    /**
     * Eclipse VOLTTRON {@code get_protected_rpcs}: the methods of the identity's
     * {@code rpc_method_authorizations} that require something (a non-empty list other than {@code [""]}),
     * sorted by name. An unknown or null identity gets an empty list; this never throws.
     */
    public List<String> protectedRpcs(String identity) {
        Set<String> result = new TreeSet<>();
        rpcMethodAuthorizations(identity).forEach((method, caps) -> {
            if (requiresSomething(caps)) {
                result.add(method);
            }
        });
        return List.copyOf(result);
    }

    /**
     * {@link CapabilityCheck#denial} for a user of this model: an unknown user is shown as having {@code []}.
     *
     * @return empty when allowed, else VOLTTRON's denial text
     */
    public Optional<String> rpcDenial(String user, String method, Set<String> required,
                                      Map<String, Object> boundArgs) {
        return CapabilityCheck.denial(user, method, required, knows(user) ? capabilitiesOf(user) : null, boundArgs);
    }

    /** True unless the list lets everyone call: null, empty, or only {@code ""} (VOLTTRON's {@code {""}}). */
    static boolean requiresSomething(List<String> caps) {
        return caps != null && !caps.isEmpty() && !Set.of("").equals(new LinkedHashSet<>(caps));
    }

    @Override
    public String toString() {
        return "AuthModel[" + users.size() + " users, " + rpcByIdentity.size() + " identities]";
    }
}
