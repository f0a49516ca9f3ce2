package org.vipgate.federation;

import java.net.ConnectException;

/** Short, operator-readable descriptions of network failures for log lines. */
public final class Causes {

    private Causes() {
    }

    /**
     * The most telling line of an exception chain, e.g. {@code ConnectException: Connection refused}: the first
     * exception in the chain that has a message, or, for the JDK HTTP client's bare {@link ConnectException},
     * "connection refused".
     */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            if (t instanceof ConnectException) {
                return "ConnectException: connection refused";
            }
        }
        return e.getClass().getSimpleName();
    }

    /** The first exception of the given type in the chain, or null. */
    public static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
