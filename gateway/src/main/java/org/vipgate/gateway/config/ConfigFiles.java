package org.vipgate.gateway.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a configuration file as UTF-8 text; a missing or unreadable file becomes a {@link ConfigException}. */
final class ConfigFiles {

    private static final char BOM = '\uFEFF';

    private ConfigFiles() {
    }

    /**
     * Returns the file's text without a leading UTF-8 byte order mark.
     *
     * @param expectedIfMissing what the file should hold, for the message when it does not exist
     * @throws ConfigException when the file does not exist, or cannot be read as UTF-8
     */
    static String read(Path file, String expectedIfMissing) throws ConfigException {
        try {
            return stripBom(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw ConfigException.missingFile(file, expectedIfMissing, e);
        } catch (IOException e) {
            throw ConfigException.unreadable(file, e);
        }
    }

    static String stripBom(String text) {
        return !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
    }
}
