package org.vipgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IniFileTest {

    @TempDir
    Path dir;

    private IniFile parse(String text) throws ConfigException {
        return IniFile.parse(dir.resolve("config"), text);
    }

    private ConfigException parseError(String text) {
        try {
            parse(text);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + text);
    }

    @Test
    void readsSectionsAndEntriesInFileOrder() throws Exception {
        IniFile ini = parse("[volttron]\nmessage-bus = rmq\ninstance-name = v1\n\n[other]\na = 1\n");

        assertThat(ini.sectionNames()).containsExactly("volttron", "other");
        assertThat(ini.section("volttron")).hasValueSatisfying(s ->
                assertThat(s).containsExactly(Map.entry("message-bus", "rmq"), Map.entry("instance-name", "v1")));
        assertThat(ini.get("other", "a")).hasValue("1");
        assertThat(ini.section("missing")).isEmpty();
        assertThat(ini.get("volttron", "missing")).isEmpty();
    }

    @Test
    void acceptsColonAsSeparator() throws Exception {
        IniFile ini = parse("[s]\nkey: value\n");

        assertThat(ini.get("s", "key")).hasValue("value");
    }

    @Test
    void splitsAtTheFirstSeparator() throws Exception {
        IniFile ini = parse("[s]\nbind-web-address = https://h:8443\nratio: a=b\n");

        assertThat(ini.get("s", "bind-web-address")).hasValue("https://h:8443");
        assertThat(ini.get("s", "ratio")).hasValue("a=b");
    }

    @Test
    void skipsWholeLineCommentsWithHashOrSemicolon() throws Exception {
        IniFile ini = parse("# top\n[s]\n; a comment\n   # indented comment\na = 1\n");

        assertThat(ini.section("s")).hasValue(Map.of("a", "1"));
    }

    @Test
    void keepsHashInsideValueAsConfigparserDoes() throws Exception {
        IniFile ini = parse("[s]\na = x # not a comment\nb = y ; nor this\n");

        assertThat(ini.get("s", "a")).hasValue("x # not a comment");
        assertThat(ini.get("s", "b")).hasValue("y ; nor this");
    }

    @Test
    void lowerCasesAndTrimsKeysAndTrimsValues() throws Exception {
        IniFile ini = parse("[s]\n  Instance-NAME   =   v1   \n");

        assertThat(ini.section("s")).hasValue(Map.of("instance-name", "v1"));
        assertThat(ini.get("s", "INSTANCE-name")).hasValue("v1");
    }

    @Test
    void keepsSectionNamesCaseSensitive() throws Exception {
        IniFile ini = parse("[Volttron]\na = 1\n");

        assertThat(ini.section("volttron")).isEmpty();
        assertThat(ini.section("Volttron")).isPresent();
    }

    @Test
    void joinsIndentedContinuationLinesWithNewline() throws Exception {
        IniFile ini = parse("[s]\naddresses = tcp://a:1\n    tcp://b:2\n\ttcp://c:3\nnext = n\n");

        assertThat(ini.get("s", "addresses")).hasValue("tcp://a:1\ntcp://b:2\ntcp://c:3");
        assertThat(ini.get("s", "next")).hasValue("n");
    }

    @Test
    void keepsBlankLinesInsideAContinuedValueButNotTrailingOnes() throws Exception {
        IniFile ini = parse("[s]\na = one\n\n  two\n\n\nb = 2\n");

        assertThat(ini.get("s", "a")).hasValue("one\n\ntwo");
    }

    @Test
    void allowsEmptyValue() throws Exception {
        IniFile ini = parse("[s]\na =\n");

        assertThat(ini.get("s", "a")).hasValue("");
    }

    @Test
    void stripsUtf8ByteOrderMark() throws Exception {
        IniFile ini = parse("\uFEFF[volttron]\na = 1\n");

        assertThat(ini.get("volttron", "a")).hasValue("1");
    }

    @Test
    void readsCrLfLineEndings() throws Exception {
        IniFile ini = parse("[s]\r\na = 1\r\nb = 2\r\n");

        assertThat(ini.section("s")).hasValue(Map.of("a", "1", "b", "2"));
        assertThat(ini.lineOf("s", "b")).hasValue(3);
    }

    @Test
    void reportsLineNumbersOfKeysAndSections() throws Exception {
        IniFile ini = parse("# c\n\n[s]\na = 1\n  more\nb = 2\n");

        assertThat(ini.lineOfSection("s")).hasValue(3);
        assertThat(ini.lineOf("s", "a")).hasValue(4);
        assertThat(ini.lineOf("s", "B")).hasValue(6);
        assertThat(ini.lineOf("s", "c")).isEmpty();
    }

    @Test
    void rejectsEntryOutsideAnySection() {
        ConfigException e = parseError("# c\ninstance-name = v1\n[volttron]\n");

        assertThat(e.getMessage()).startsWith(dir.resolve("config") + ": line 2: entry outside any [section]");
        assertThat(e.location()).isEqualTo("line 2");
    }

    @Test
    void rejectsDuplicateKeyNamingBothLines() {
        ConfigException e = parseError("[s]\na = 1\nb = 2\nA = 3\n");

        assertThat(e.getMessage())
                .startsWith(dir.resolve("config") + ": line 4: duplicate key 'a' in [s] (first at line 2)");
    }

    @Test
    void rejectsDuplicateSection() {
        ConfigException e = parseError("[s]\na = 1\n[s]\n");

        assertThat(e.getMessage())
                .startsWith(dir.resolve("config") + ": line 3: duplicate section [s] (first at line 1)");
    }

    @Test
    void rejectsLineWithoutSeparator() {
        ConfigException e = parseError("[volttron]\nmessage-bus = rmq\ninstance-name\n");

        assertThat(e.getMessage()).isEqualTo(dir.resolve("config")
                + ": line 3: 'instance-name' has no '=' or ':'; expected 'key = value' inside a [section]");
    }

    @Test
    void rejectsJunkBeforeAnySection() {
        ConfigException e = parseError("hello\n[s]\n");

        assertThat(e.getMessage()).startsWith(dir.resolve("config") + ": line 1: 'hello' is neither");
    }

    @Test
    void rejectsEmptyKey() {
        ConfigException e = parseError("[s]\n= 1\n");

        assertThat(e.getMessage()).startsWith(dir.resolve("config") + ": line 2: no key before '='");
    }

    @Test
    void rejectsMissingFile() {
        Path file = dir.resolve("nope.ini");

        assertThatThrownBy(() -> IniFile.parse(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": missing file; expected ");
    }

    @Test
    void rejectsUnreadableFile() throws Exception {
        Path file = Files.createDirectory(dir.resolve("adir"));

        assertThatThrownBy(() -> IniFile.parse(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": cannot read the file");
    }

    @Test
    void rejectsInvalidUtf8() throws Exception {
        Path file = Files.write(dir.resolve("config"), new byte[] {'[', 's', ']', '\n', 'a', '=', (byte) 0xff});

        assertThatThrownBy(() -> IniFile.parse(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": cannot read the file (not valid UTF-8 text)");
    }

    @Test
    void readsFileFromDisk() throws Exception {
        Path file = Files.writeString(dir.resolve("config"), "[volttron]\ninstance-name = v1\n");

        assertThat(IniFile.parse(file).get("volttron", "instance-name")).hasValue("v1");
    }
}
