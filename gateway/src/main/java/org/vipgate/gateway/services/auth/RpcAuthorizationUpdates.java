package org.vipgate.gateway.services.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.zmq.auth.AuthFile;

/**
 * {@code platform.auth}'s methods that change an entry's {@code rpc_method_authorizations} in auth.json (the map
 * of an agent's own exported methods to the capabilities they require). Each change is applied to the file as it
 * is on disk, under {@link AuthFile}'s lock, and written only when something changed. Who may call them is the
 * caller's business (see {@link PlatformIdentities}).
 */
public final class RpcAuthorizationUpdates {

    private RpcAuthorizationUpdates() {
    }

    /** What {@link #merge} decides. */
    record Merge(Map<String, List<String>> result, Map<String, List<String>> entry, boolean changed) {
    }

    /**
     * VOLTTRON 9 {@code update_id_rpc_authorizations(identity, rpc_methods)}, called by every agent at start-up
     * with its {@code @RPC.allow} methods. For each requested method: if the entry already lists capabilities for
     * it, the entry wins; if the entry lacks the method or lists none, the requested list is stored. auth.json is
     * rewritten only when that changed something.
     *
     * @param identity  the agent's identity (the first allow entry in file order with it, enabled or not)
     * @param requested method to required capabilities, as the agent sends it
     * @return the requested methods with the capabilities now in force, or null when no allow entry has that
     *         identity
     * @throws ConfigException when auth.json cannot be read, parsed or written (then it is unchanged)
     */
    public static Map<String, List<String>> updateIdRpcAuthorizations(AuthFile file, String identity,
                                                                      Map<String, List<String>> requested)
            throws ConfigException {
        Objects.requireNonNull(requested, "requested");
        AtomicReference<Map<String, List<String>>> result = new AtomicReference<>();
        boolean found = file.updateRpcMethodAuthorizations(identity, current -> {
            Merge merge = merge(current, requested);
            result.set(merge.result());
            return merge.changed() ? merge.entry() : null;
        });
        return found ? result.get() : null;
    }

    /** The merge rule of {@link #updateIdRpcAuthorizations}, on its own. A null list counts as empty. */
    static Merge merge(Map<String, List<String>> entry, Map<String, List<String>> requested) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        Map<String, List<String>> updated = new LinkedHashMap<>(entry);
        boolean changed = false;
        for (Map.Entry<String, List<String>> e : requested.entrySet()) {
            String method = e.getKey();
            List<String> asked = e.getValue() == null ? List.of() : List.copyOf(e.getValue());
            List<String> held = entry.get(method);
            if (held != null && !held.isEmpty()) {
                result.put(method, held);
            } else {
                result.put(method, asked);
                if (held == null || !held.equals(asked)) {
                    updated.put(method, asked);
                    changed = true;
                }
            }
        }
        return new Merge(result, updated, changed);
    }

    /**
     * VOLTTRON 9 {@code add_rpc_authorizations(identity, method, authorizations)}: the method gets the given
     * capabilities if it has none, else those of them it lacks are appended.
     *
     * @return empty when auth.json now holds the change, else why nothing was done (VOLTTRON logs these and
     *         returns None: a platform identity, or no allow entry with that identity)
     * @throws ConfigException when auth.json cannot be read, parsed or written (then it is unchanged)
     */
    public static Optional<String> addRpcAuthorizations(AuthFile file, String identity, String method,
                                                        List<String> authorizations) throws ConfigException {
        Objects.requireNonNull(method, "method");
        List<String> adding = authorizations == null ? List.of() : List.copyOf(authorizations);
        if (PlatformIdentities.isPlatformIdentity(identity)) {
            return Optional.of(identity + " is a platform identity; its rpc authorizations cannot be changed");
        }
        boolean found = file.updateRpcMethodAuthorizations(identity, current -> {
            List<String> held = current.get(method);
            List<String> next = new ArrayList<>(held == null ? List.of() : held);
            if (next.isEmpty()) {
                next.addAll(adding);
            } else {
                adding.stream().filter(c -> !next.contains(c)).distinct().forEach(next::add);
            }
            if (next.equals(held)) {
                return null;
            }
            current.put(method, List.copyOf(next));
            return current;
        });
        return found ? Optional.empty() : Optional.of("no allow entry in auth.json has identity " + identity);
    }

    /**
     * VOLTTRON 9 {@code delete_rpc_authorizations(identity, method, denied_authorizations)}: removes the named
     * capabilities from the method; a method left with none gets {@code [""]} (everyone may call).
     *
     * @return empty when auth.json now holds the change, else why nothing was done (a platform identity, no entry
     *         with that identity, no such method, a method without capabilities, or none of the names listed)
     * @throws ConfigException when auth.json cannot be read, parsed or written (then it is unchanged)
     */
    public static Optional<String> deleteRpcAuthorizations(AuthFile file, String identity, String method,
                                                           List<String> denied) throws ConfigException {
        Objects.requireNonNull(method, "method");
        List<String> removing = denied == null ? List.of() : List.copyOf(denied);
        if (PlatformIdentities.isPlatformIdentity(identity)) {
            return Optional.of(identity + " is a platform identity; its rpc authorizations cannot be changed");
        }
        AtomicReference<String> problem = new AtomicReference<>();
        boolean found = file.updateRpcMethodAuthorizations(identity, current -> {
            List<String> held = current.get(method);
            if (held == null) {
                problem.set(identity + " does not have a method called " + method);
                return null;
            }
            if (held.isEmpty()) {
                problem.set(identity + "." + method + " does not have any authorized capabilities");
                return null;
            }
            if (removing.stream().noneMatch(held::contains)) {
                problem.set("none of " + removing + " is an authorized capability of " + identity + "." + method);
                return null;
            }
            List<String> next = held.stream().filter(c -> !removing.contains(c)).toList();
            current.put(method, next.isEmpty() ? List.of("") : next);
            return current;
        });
        if (!found) {
            return Optional.of("no allow entry in auth.json has identity " + identity);
        }
        return Optional.ofNullable(problem.get());
    }

    /**
     * Reads a {@code {method: [capability, ...]}} argument as it arrives in a JSON-RPC call (a single string
     * counts as a one-element list, null as an empty list).
     *
     * @throws IllegalArgumentException when it is not an object of lists of strings
     */
    public static Map<String, List<String>> parseRpcMethods(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("rpc_methods must be an object {method: [capability, ...]}, not "
                    + describe(value));
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String method = String.valueOf(e.getKey());
            result.put(method, parseCapabilities(e.getValue(), "method '" + method + "'"));
        }
        return result;
    }

    /**
     * Reads a list of capability names (a single string counts as a one-element list, null as empty).
     *
     * @param what how to name the value in the error message
     * @throws IllegalArgumentException when it is not a list of strings
     */
    public static List<String> parseCapabilities(Object value, String what) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(what + " must map to a list of capability names, not "
                    + describe(value));
        }
        List<String> result = new ArrayList<>(list.size());
        for (Object element : list) {
            if (!(element instanceof String s)) {
                throw new IllegalArgumentException(what + " must map to a list of capability names, but it holds "
                        + describe(element));
            }
            result.add(s);
        }
        return List.copyOf(result);
    }

    private static String describe(Object value) {
        return value == null ? "null" : PythonText.repr(value);
    }
}
