package org.vipgate.gateway.services.config;

import java.util.Comparator;
import java.util.Locale;

/**
 * Names of configs and identities (docs/protocol/platform-services.md, configuration store names).
 *
 * <p>A config name is normalised by stripping ASCII whitespace ({@code " \t\n\r\x0b\x0c"}), {@code /} and
 * {@code \} from both ends, as VOLTTRON does; lookups then compare the lower-cased form. An identity is used as it
 * is, but since it names the file {@code <identity>.store} it must be a plain file name.
 */
public final class ConfigNames {

    /** Sorts as Python's {@code sorted()} sorts strings: by Unicode code point. */
    public static final Comparator<String> PYTHON_ORDER = ConfigNames::compareCodePoints;

    private static final String STRIPPED = " \t\n\r\u000b\u000c/\\";

    private ConfigNames() {
    }

    /** {@code name} without leading and trailing ASCII whitespace, slashes and backslashes. */
    public static String normalise(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && STRIPPED.indexOf(name.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && STRIPPED.indexOf(name.charAt(end - 1)) >= 0) {
            end--;
        }
        return name.substring(start, end);
    }

    /** The key a normalised name is looked up by. */
    public static String key(String normalisedName) {
        return normalisedName.toLowerCase(Locale.ROOT);
    }

    /**
     * Checks that {@code identity} can name a store file.
     *
     * @throws ConfigStoreException ValueError when it is null or empty, {@code .} or {@code ..}, or holds
     *                              {@code /}, {@code \} or NUL
     */
    public static void checkIdentity(String identity) throws ConfigStoreException {
        String why = identityProblem(identity);
        if (why != null) {
            throw ConfigStoreException.valueError("Invalid VIP identity " + (identity == null ? "None"
                    : PythonRepr.of(identity)) + " for the configuration store: " + why + ".");
        }
    }

    /** Why {@code identity} cannot name a store file, or null when it can. */
    static String identityProblem(String identity) {
        if (identity == null || identity.isEmpty()) {
            return "it is empty";
        }
        if (identity.equals(".") || identity.equals("..")) {
            return "'.' and '..' are not file names";
        }
        if (identity.indexOf('/') >= 0 || identity.indexOf('\\') >= 0 || identity.indexOf('\0') >= 0) {
            return "it names the store file and may not contain '/', '\\' or NUL";
        }
        return null;
    }

    /**
     * The normalised form of a config name that is about to be stored.
     *
     * @throws ConfigStoreException ValueError when nothing is left after normalising
     */
    public static String checkedName(String name) throws ConfigStoreException {
        String normalised = name == null ? "" : normalise(name);
        if (normalised.isEmpty()) {
            throw ConfigStoreException.valueError("Invalid configuration name " + (name == null ? "None"
                    : PythonRepr.of(name)) + ": it is empty once surrounding whitespace and slashes are removed.");
        }
        return normalised;
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
