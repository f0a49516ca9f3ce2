package org.vipgate.gateway.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An INI file read the way Python's {@code configparser.ConfigParser} reads it with its defaults, which is how
 * VOLTTRON writes and reads {@code $VOLTTRON_HOME/config}.
 *
 * <p>Accepted: {@code [section]} headers (names are case-sensitive); {@code key = value} or {@code key: value}
 * split at the first {@code =} or {@code :}; keys lower-cased and trimmed, values trimmed; whole-line comments
 * starting with {@code #} or {@code ;} after optional whitespace; blank lines; lines indented deeper than their
 * key continue its value (joined with {@code "\n"}, blank lines inside kept, trailing ones dropped). There are no
 * inline comments: a {@code #} inside a value is part of it. A leading UTF-8 BOM is ignored.
 *
 * <p>Rejected with a {@link ConfigException} naming the line: an entry before any section header, a section or
 * a key (within one section) given twice, an empty key, and any line that is neither a header nor an entry.
 * A {@code [DEFAULT]} section is kept as an ordinary section; its values are not inherited.
 */
public final class IniFile {

    /** One {@code key = value} entry; {@code line} is the 1-based line of the key. */
    public record Entry(String key, String value, int line) {
    }

    /** One section, its 1-based header line, and its entries in file order. */
    public record Section(String name, int line, Map<String, Entry> entries) {
        public Section {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        /** The entries as key to value, in file order, unmodifiable. */
        public Map<String, String> values() {
            Map<String, String> values = new LinkedHashMap<>();
            entries.forEach((k, e) -> values.put(k, e.value()));
            return Collections.unmodifiableMap(values);
        }
    }

    private final Path file;
    private final Map<String, Section> sections;

    private IniFile(Path file, Map<String, Section> sections) {
        this.file = file;
        this.sections = Collections.unmodifiableMap(sections);
    }

    /**
     * Reads and parses {@code file}.
     *
     * @throws ConfigException when the file is missing or unreadable, or on a syntax error (naming the line)
     */
    public static IniFile parse(Path file) throws ConfigException {
        return parse(file, ConfigFiles.read(file, "an INI file ('key = value' lines under [section] headers)"));
    }

    /**
     * Parses {@code text} as the content of {@code file} (the name is used in messages only).
     *
     * @throws ConfigException on a syntax error, naming the line
     */
    public static IniFile parse(Path file, String text) throws ConfigException {
        return new Parser(file).parse(ConfigFiles.stripBom(text));
    }

    /** The file this was read from. */
    public Path file() {
        return file;
    }

    /** Section names in file order. */
    public Set<String> sectionNames() {
        return sections.keySet();
    }

    /** The section's entries as key to value, in file order, or empty when there is no such section. */
    public Optional<Map<String, String>> section(String name) {
        return Optional.ofNullable(sections.get(name)).map(Section::values);
    }

    /** The value of {@code key} (matched lower-cased, as configparser does) in {@code section}, or empty. */
    public Optional<String> get(String section, String key) {
        return entry(section, key).map(Entry::value);
    }

    /** The 1-based line of {@code key} in {@code section}, or empty when absent. */
    public OptionalInt lineOf(String section, String key) {
        return entry(section, key).map(e -> OptionalInt.of(e.line())).orElse(OptionalInt.empty());
    }

    /** Where a key is, for error messages: {@code [section] key (line n)}, without the line when absent. */
    public String location(String section, String key) {
        OptionalInt line = lineOf(section, key);
        String where = "[" + section + "] " + key;
        return line.isPresent() ? where + " (line " + line.getAsInt() + ")" : where;
    }

    /**
     * configparser's getboolean words (1/yes/true/on, 0/no/false/off), case-insensitive; {@code fallback} when the
     * key is absent.
     *
     * @throws ConfigException for any other value, naming the file, the key and its line
     */
    public boolean getBoolean(String section, String key, boolean fallback) throws ConfigException {
        Optional<String> raw = get(section, key);
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get().strip().toLowerCase(Locale.ROOT)) {
            case "1", "yes", "true", "on" -> true;
            case "0", "no", "false", "off" -> false;
            default -> throw ConfigException.badValue(file, location(section, key), raw.get(),
                    "true or false (also yes/no, on/off, 1/0)");
        };
    }

    /** The 1-based line of the section header, or empty when absent. */
    public OptionalInt lineOfSection(String name) {
        Section s = sections.get(name);
        return s == null ? OptionalInt.empty() : OptionalInt.of(s.line());
    }

    private Optional<Entry> entry(String section, String key) {
        Section s = sections.get(section);
        return s == null ? Optional.empty()
                : Optional.ofNullable(s.entries().get(key.strip().toLowerCase(Locale.ROOT)));
    }

    /** The configparser reading loop (CPython Lib/configparser.py, RawConfigParser._read), with strict=True. */
    private static final class Parser {
        private final Path file;
        private final Map<String, SectionBuilder> sections = new LinkedHashMap<>();
        private SectionBuilder section;
        private EntryBuilder entry;
        private int indentLevel;

        Parser(Path file) {
            this.file = file;
        }

        IniFile parse(String text) throws ConfigException {
            int lineNo = 0;
            for (String raw : (Iterable<String>) text.lines()::iterator) {
                lineNo++;
                line(raw, lineNo);
            }
            Map<String, Section> built = new LinkedHashMap<>();
            sections.forEach((name, b) -> built.put(name, b.build()));
            return new IniFile(file, built);
        }

        private void line(String raw, int lineNo) throws ConfigException {
            String stripped = raw.strip();
            if (stripped.startsWith("#") || stripped.startsWith(";")) {
                return; // a whole-line comment: neither ends nor extends a value
            }
            if (stripped.isEmpty()) {
                if (entry != null) {
                    entry.lines.add(""); // configparser's empty_lines_in_values=True
                }
                return;
            }
            int indent = indentOf(raw);
            if (entry != null && indent > indentLevel) {
                entry.lines.add(stripped);
                return;
            }
            indentLevel = indent;
            int close = stripped.lastIndexOf(']');
            if (stripped.startsWith("[") && close > 1) {
                header(stripped.substring(1, close), lineNo);
                return;
            }
            int sep = separatorIndex(stripped);
            if (section == null) {
                if (sep >= 0) {
                    throw ConfigException.syntax(file, lineNo, "entry outside any [section]",
                            "a [section] header such as [volttron] before the first 'key = value' line");
                }
                throw ConfigException.syntax(file, lineNo,
                        ConfigException.quote(stripped) + " is neither a [section] header nor a 'key = value' entry",
                        "a [section] header such as [volttron] first");
            }
            if (sep < 0) {
                throw ConfigException.syntax(file, lineNo,
                        ConfigException.quote(stripped) + " has no '=' or ':'",
                        "'key = value' inside a [section]");
            }
            option(stripped, sep, lineNo);
        }

        private void header(String name, int lineNo) throws ConfigException {
            SectionBuilder existing = sections.get(name);
            if (existing != null) {
                throw ConfigException.syntax(file, lineNo,
                        "duplicate section [" + name + "] (first at line " + existing.line + ")",
                        "each [section] once");
            }
            section = new SectionBuilder(name, lineNo);
            sections.put(name, section);
            entry = null; // a section cannot start with a continuation line
        }

        private void option(String stripped, int sep, int lineNo) throws ConfigException {
            String key = stripped.substring(0, sep).strip().toLowerCase(Locale.ROOT);
            if (key.isEmpty()) {
                throw ConfigException.syntax(file, lineNo,
                        "no key before '" + stripped.charAt(sep) + "'", "'key = value' inside a [section]");
            }
            EntryBuilder existing = section.entries.get(key);
            if (existing != null) {
                throw ConfigException.syntax(file, lineNo,
                        "duplicate key '" + key + "' in [" + section.name + "] (first at line " + existing.line + ")",
                        "each key once per section");
            }
            entry = new EntryBuilder(lineNo);
            entry.lines.add(stripped.substring(sep + 1).strip());
            section.entries.put(key, entry);
        }

        private static int separatorIndex(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '=' || c == ':') {
                    return i;
                }
            }
            return -1;
        }

        private static int indentOf(String raw) {
            int i = 0;
            while (i < raw.length() && Character.isWhitespace(raw.charAt(i))) {
                i++;
            }
            return i;
        }
    }

    private static final class SectionBuilder {
        final String name;
        final int line;
        final Map<String, EntryBuilder> entries = new LinkedHashMap<>();

        SectionBuilder(String name, int line) {
            this.name = name;
            this.line = line;
        }

        Section build() {
            Map<String, Entry> built = new LinkedHashMap<>();
            entries.forEach((k, e) -> built.put(k, new Entry(k, String.join("\n", e.lines).stripTrailing(), e.line)));
            return new Section(name, line, built);
        }
    }

    private static final class EntryBuilder {
        final int line;
        final List<String> lines = new ArrayList<>();

        EntryBuilder(int line) {
            this.line = line;
        }
    }
}
