package org.vipgate.gateway.services.auth;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check a VOLTTRON 9 agent runs before an RPC method marked with {@code @RPC.allow(...)} (the callee side), for
 * vipgate's own services that export protected methods (the configuration store's writes, for instance).
 *
 * <p>Rules, as VOLTTRON applies them:
 * <ul>
 *   <li>A required set of exactly {@code {""}}, or an empty one, lets everyone call.</li>
 *   <li>Otherwise every required name must be a capability name of the user; if not, the call is refused with
 *       {@code method '<method>' requires capabilities <set>, but capability <caps> was provided for user <user>}.
 *       A user that is not in the capability map is shown as {@code []} (VOLTTRON's default), a known user as
 *       the repr of their capability dict.</li>
 *   <li>Then, for each of the user's capabilities (in the user's order) that is required and carries a non-empty
 *       parameter map, every {@code param: value} must hold for the bound arguments: a {@code /regex/} value must
 *       match the whole argument, anything else must equal it (Python equality: {@code 1 == 1.0}). The texts are
 *       {@code User <user> can call method <method> only with <p>=<value> but called with <p>=<arg>}, the
 *       {@code ... only with <p> matching pattern /re/ but called with <p>=<arg>} variant, and
 *       {@code User <user> capability is not defined properly. method <method> does not have a parameter <p>}.
 *       Values and arguments are printed with Python's {@code str()}.</li>
 * </ul>
 *
 * <p>Differences, on purpose: Python prints the required set in hash order, which changes from run to run; here its
 * names are sorted ({@code {'a', 'b'}}). A {@code /regex/} that Java cannot compile, or an argument that is not a
 * string where a regex is required (Python raises a TypeError there), refuses the call with the pattern text.
 */
public final class CapabilityCheck {

    private static final Logger LOG = LoggerFactory.getLogger(CapabilityCheck.class);

    private CapabilityCheck() {
    }

    /**
     * Decides one call.
     *
     * @param user      the caller's user id (the USER frame)
     * @param method    the method's own name as VOLTTRON prints it (e.g. {@code set_config})
     * @param required  the capability names the method requires
     * @param userCaps  the caller's capabilities {@code {name: null | {param: value}}}, or null when the caller is
     *                  not in the capability map at all (printed {@code []})
     * @param boundArgs the call's arguments by parameter name, defaults included
     * @return empty when the call is allowed, else the exact denial text (the message of VOLTTRON's -32001 error)
     */
    public static Optional<String> denial(String user, String method, Set<String> required,
                                          Map<String, Object> userCaps, Map<String, Object> boundArgs) {
        Objects.requireNonNull(required, "required");
        if (required.isEmpty() || required.equals(Set.of(""))) {
            return Optional.empty();
        }
        Map<String, Object> caps = userCaps == null ? Map.of() : userCaps;
        if (!caps.keySet().containsAll(required)) {
            return Optional.of("method '" + method + "' requires capabilities " + PythonText.reprSortedSet(required)
                    + ", but capability " + (userCaps == null ? "[]" : PythonText.repr(userCaps))
                    + " was provided for user " + user);
        }
        return restrictionDenial(user, method, required, caps, boundArgs);
    }

    /**
     * Only the parameter restrictions of {@link #denial} (the required names are known to be held).
     *
     * @param method the method as it should appear in the texts
     */
    static Optional<String> restrictionDenial(String user, String method, Set<String> required,
                                              Map<String, Object> userCaps, Map<String, Object> boundArgs) {
        Map<String, Object> args = boundArgs == null ? Map.of() : boundArgs;
        for (Map.Entry<String, Object> cap : userCaps.entrySet()) {
            if (!required.contains(cap.getKey()) || !(cap.getValue() instanceof Map<?, ?> params)
                    || params.isEmpty()) {
                continue;
            }
            for (Map.Entry<?, ?> restriction : params.entrySet()) {
                String name = String.valueOf(restriction.getKey());
                Object value = restriction.getValue();
                if (!args.containsKey(name)) {
                    return Optional.of("User " + user + " capability is not defined properly. method " + method
                            + " does not have a parameter " + name);
                }
                Object arg = args.get(name);
                if (isRegex(value)) {
                    if (!fullMatch((String) value, arg, user, method)) {
                        return Optional.of("User " + user + " can call method " + method + " only with " + name
                                + " matching pattern " + value + " but called with " + name + "="
                                + PythonText.str(arg));
                    }
                } else if (!PythonText.pyEquals(arg, value)) {
                    return Optional.of("User " + user + " can call method " + method + " only with " + name + "="
                            + PythonText.str(value) + " but called with " + name + "=" + PythonText.str(arg));
                }
            }
        }
        return Optional.empty();
    }

    /** VOLTTRON's {@code /regex/} form: a string longer than one character that starts and ends with '/'. */
    static boolean isRegex(Object value) {
        return value instanceof String s && s.length() > 1 && s.startsWith("/") && s.endsWith("/");
    }

    private static boolean fullMatch(String regex, Object arg, String user, String method) {
        if (!(arg instanceof String text)) {
            return false;
        }
        try {
            return Pattern.compile(regex.substring(1, regex.length() - 1)).matcher(text).matches();
        } catch (PatternSyntaxException e) {
            LOG.warn("capability restriction {} of user {} for method {} is not a valid regular expression ({});"
                    + " the call is refused: fix the pattern in auth.json", regex, user, method, e.getDescription());
            return false;
        }
    }
}
