package org.vipgate.gateway.services.auth;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.vipgate.gateway.zmq.pubsub.PythonJson;

/**
 * Python's {@code repr()}, {@code str()} and {@code ==} for the JSON-shaped Java values an RPC carries (null,
 * Boolean, Number, String, List, Map), so that denial texts read as VOLTTRON's {@code str.format} prints them and
 * parameter restrictions compare as Python compares.
 */
final class PythonText {

    private PythonText() {
    }

    /** {@code repr(value)}: {@code None}, {@code True}, {@code 'text'}, {@code [1, 'a']}, {@code {'k': None}}. */
    static String repr(Object value) {
        StringBuilder sb = new StringBuilder();
        repr(value, sb);
        return sb.toString();
    }

    /** {@code str(value)}: a string as it is, anything else as {@link #repr}. */
    static String str(Object value) {
        return value instanceof String s ? s : repr(value);
    }

    /**
     * {@code repr(set_of_str)} with the names sorted: {@code {'a', 'b'}}, or {@code set()} when empty. Python's own
     * order depends on string hashing and changes from run to run; sorting makes the text reproducible.
     */
    static String reprSortedSet(Collection<String> names) {
        if (names.isEmpty()) {
            return "set()";
        }
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (String name : new TreeSet<>(names)) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            reprString(name, sb);
        }
        return sb.append('}').toString();
    }

    /**
     * Python's {@code a == b} for JSON values: numbers compare by value ({@code 1 == 1.0}, and {@code True == 1}
     * since a Python bool is an int), lists element by element, dicts by keys and values; NaN equals nothing.
     */
    static boolean pyEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (isNumeric(a) && isNumeric(b)) {
            return numericEquals(a, b);
        }
        if (a instanceof String || b instanceof String) {
            return a.equals(b);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!pyEquals(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (!ma.keySet().equals(mb.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!pyEquals(e.getValue(), mb.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    private static boolean isNumeric(Object value) {
        return value instanceof Number || value instanceof Boolean;
    }

    private static boolean numericEquals(Object a, Object b) {
        BigDecimal x = decimal(a);
        BigDecimal y = decimal(b);
        return x != null && y != null && x.compareTo(y) == 0;
    }

    /** The exact value, or null for NaN and infinities (which never equal an int; inf == inf is not needed here). */
    private static BigDecimal decimal(Object value) {
        if (value instanceof Boolean bool) {
            return bool ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (value instanceof BigDecimal bd) {
            return bd;
        }
        if (value instanceof BigInteger bi) {
            return new BigDecimal(bi);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(d) : null;
        }
        return BigDecimal.valueOf(((Number) value).longValue());
    }

    private static void repr(Object value, StringBuilder sb) {
        if (value == null) {
            sb.append("None");
        } else if (value instanceof Boolean bool) {
            sb.append(bool ? "True" : "False");
        } else if (value instanceof String s) {
            reprString(s, sb);
        } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            sb.append(pyFloat(((Number) value).doubleValue()));
        } else if (value instanceof Number n) {
            sb.append(n);
        } else if (value instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                repr(list.get(i), sb);
            }
            sb.append(']');
        } else if (value instanceof Set<?> set) {
            if (set.isEmpty()) {
                sb.append("set()");
            } else {
                sb.append('{');
                boolean first = true;
                for (Object element : set) {
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    repr(element, sb);
                }
                sb.append('}');
            }
        } else if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                repr(e.getKey(), sb);
                sb.append(": ");
                repr(e.getValue(), sb);
            }
            sb.append('}');
        } else {
            reprString(value.toString(), sb);
        }
    }

    /** Python's float repr: {@code 1.0}, {@code 0.0001}, {@code 1e-05}, {@code 1e+16}, {@code inf}, {@code nan}. */
    static String pyFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal value = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = value.unscaledValue().toString();
        int exponent = digits.length() - 1 - value.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = value.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    /** Python 3 {@code repr(str)}, as the pubsub service writes it. */
    static void reprString(String s, StringBuilder sb) {
        PythonJson.reprString(s, sb);
    }
}
