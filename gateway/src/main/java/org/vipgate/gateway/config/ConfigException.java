package org.vipgate.gateway.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;

/**
 * A configuration file is missing, unreadable or holds a value vipgate cannot use.
 *
 * <p>The message is one line that names the file, where in it the problem is (a key, a line, a section; may be
 * absent), what was found and what is expected, e.g.
 * {@code /home/x/.volttron/rabbitmq_config.yml: key 'amqp-port': got 'abc'; expected an integer port from 1 to
 * 65535}. It is meant to be shown to the user as it is, without a stack trace.
 */
public class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Longest value quoted in a message; longer values are cut with "...". */
    private static final int MAX_QUOTED = 120;

    private final transient Path file;
    private final String location;
    private final String problem;
    private final String expected;

    /**
     * @param file     the file at fault (not null)
     * @param location where in the file, e.g. {@code key 'amqp-port'}, {@code line 7}, {@code [volttron]
     *                 message-bus}; null when the whole file is at fault
     * @param problem  what is wrong, e.g. {@code got 'abc'} (not null)
     * @param expected what would be right, or null
     * @param cause    the underlying exception, or null
     */
    public ConfigException(Path file, String location, String problem, String expected, Throwable cause) {
        super(render(file, location, problem, expected), cause);
        this.file = file;
        this.location = location;
        this.problem = problem;
        this.expected = expected;
    }

    public ConfigException(Path file, String location, String problem, String expected) {
        this(file, location, problem, expected, null);
    }

    /** The file does not exist; {@code expected} says what it should hold and how to get one. */
    public static ConfigException missingFile(Path file, String expected) {
        return missingFile(file, expected, null);
    }

    /** As {@link #missingFile(Path, String)}, keeping the I/O exception that showed it (may be null). */
    public static ConfigException missingFile(Path file, String expected, IOException cause) {
        return new ConfigException(file, null, "missing file", expected, cause);
    }

    /** The file exists but cannot be read as UTF-8 text. */
    public static ConfigException unreadable(Path file, IOException cause) {
        String why;
        if (cause instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (cause instanceof CharacterCodingException) {
            why = "not valid UTF-8 text";
        } else {
            why = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
        return new ConfigException(file, null, "cannot read the file (" + why + ")",
                "a readable UTF-8 text file", cause);
    }

    /** A syntax error at a line of the file. */
    public static ConfigException syntax(Path file, int line, String problem, String expected) {
        return new ConfigException(file, "line " + line, problem, expected);
    }

    /** A syntax error at a line and column of the file, reported by a parser. */
    public static ConfigException syntax(Path file, int line, int column, String problem, String expected,
                                         Throwable cause) {
        return new ConfigException(file, "line " + line + ", column " + column, problem, expected, cause);
    }

    /** A value of the wrong form: renders {@code got '<value>'}. */
    public static ConfigException badValue(Path file, String location, String got, String expected) {
        return new ConfigException(file, location, "got " + quote(got), expected);
    }

    /** Any other problem at a location. */
    public static ConfigException invalid(Path file, String location, String problem, String expected) {
        return new ConfigException(file, location, problem, expected);
    }

    /** Quotes a found value for a message, on one line and cut when long. */
    public static String quote(String value) {
        String v = value.replace("\r", "\\r").replace("\n", "\\n");
        if (v.length() > MAX_QUOTED) {
            v = v.substring(0, MAX_QUOTED) + "...";
        }
        return "'" + v + "'";
    }

    private static String render(Path file, String location, String problem, String expected) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<no file>" : file.toString()).append(": ");
        if (location != null) {
            sb.append(location).append(": ");
        }
        sb.append(problem);
        if (expected != null) {
            sb.append("; expected ").append(expected);
        }
        return sb.toString();
    }

    /** The file at fault (null only after deserialization). */
    public Path file() {
        return file;
    }

    /** Where in the file, or null when the whole file is at fault. */
    public String location() {
        return location;
    }

    /** What is wrong. */
    public String problem() {
        return problem;
    }

    /** What would be right, or null. */
    public String expected() {
        return expected;
    }
}
