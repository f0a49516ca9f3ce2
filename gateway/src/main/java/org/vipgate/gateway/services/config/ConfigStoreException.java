package org.vipgate.gateway.services.config;

import java.nio.file.Path;

/**
 * A configuration store method failed the way VOLTTRON's store fails, so that the RPC layer can answer with the
 * same error shape (docs/protocol/platform-services.md, configuration store errors).
 *
 * <p>{@link #excType()} is the Python exception type as VOLTTRON's RPC layer names it ({@code builtins.KeyError},
 * {@code builtins.ValueError}, {@code json.decoder.JSONDecodeError}, {@code _csv.Error}, {@code builtins.OSError}).
 * {@link #argument()} is the single argument the Python exception would be built with (its {@code exc_args}), and
 * {@link #detail()} is what Python's {@code str(exc)} gives: the argument itself, except for a {@code KeyError},
 * whose {@code str} is the {@code repr} of the argument, so usually the message in single quotes. The detail is also
 * this exception's {@link #getMessage()}.
 */
public final class ConfigStoreException extends Exception {

    /** Python's name for {@code KeyError}. */
    public static final String KEY_ERROR = "builtins.KeyError";
    /** Python's name for {@code ValueError}. */
    public static final String VALUE_ERROR = "builtins.ValueError";
    /** Python's name for the error of {@code json.loads}. */
    public static final String JSON_DECODE_ERROR = "json.decoder.JSONDecodeError";
    /** Python's name for the error of the {@code csv} module. */
    public static final String CSV_ERROR = "_csv.Error";
    /** Python's name for {@code OSError}: a store file could not be written. */
    public static final String OS_ERROR = "builtins.OSError";

    private static final long serialVersionUID = 1L;

    private final String excType;
    private final String argument;

    private ConfigStoreException(String excType, String argument, String detail, Throwable cause) {
        super(detail, cause);
        this.excType = excType;
        this.argument = argument;
    }

    /**
     * The config (or the whole store of {@code identity}) does not exist. The text is VOLTTRON 9's, typo included
     * ({@code IDENTIY}), because {@code vctl config edit} looks for the phrase {@code No configuration file}.
     */
    public static ConfigStoreException noSuchConfig(String name, String identity) {
        String message = "No configuration file \"" + name + "\" for VIP IDENTIY " + identity;
        return new ConfigStoreException(KEY_ERROR, message, PythonRepr.of(message), null);
    }

    /** A {@code ValueError} with this message. */
    public static ConfigStoreException valueError(String message) {
        return new ConfigStoreException(VALUE_ERROR, message, message, null);
    }

    /** The JSON text does not parse; the message says where. */
    public static ConfigStoreException jsonError(String message) {
        return new ConfigStoreException(JSON_DECODE_ERROR, message, message, null);
    }

    /** The CSV text cannot be read the way Python's {@code csv} module reads it. */
    public static ConfigStoreException csvError(String message) {
        return new ConfigStoreException(CSV_ERROR, message, message, null);
    }

    /** Writing or removing {@code file} failed; memory is unchanged. */
    public static ConfigStoreException writeFailed(Path file, Exception cause) {
        String message = "could not write the configuration store file " + file + ": " + cause
                + "; the change was not made";
        return new ConfigStoreException(OS_ERROR, message, message, cause);
    }

    /** The Python exception type, e.g. {@code builtins.KeyError}. */
    public String excType() {
        return excType;
    }

    /** What Python's {@code str(exc)} gives (for a KeyError: the quoted message). */
    public String detail() {
        return getMessage();
    }

    /** The exception's single argument as Python would hold it in {@code exc.args[0]}. */
    public String argument() {
        return argument;
    }
}
