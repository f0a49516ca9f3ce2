package org.vipgate.federation.link;

import java.nio.file.Path;

/**
 * A federation or shovel YAML file is missing, unreadable or holds a value vipgate cannot use. The message is one
 * line naming the file, the key (as a path such as {@code federation-upstream.v2.port}), what was found and what is
 * expected; it is meant to be shown as it is.
 */
public final class LinkConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String key;

    public LinkConfigException(Path file, String key, String problem, String expected, Throwable cause) {
        super(file + ": " + (key == null ? "" : "key '" + key + "': ") + problem
                + (expected == null ? "" : "; expected " + expected), cause);
        this.file = file;
        this.key = key;
    }

    public LinkConfigException(Path file, String key, String problem, String expected) {
        this(file, key, problem, expected, null);
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** The key at fault, dotted, or null when the whole file is. */
    public String key() {
        return key;
    }
}
