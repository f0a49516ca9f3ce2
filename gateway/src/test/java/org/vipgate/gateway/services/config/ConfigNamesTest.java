package org.vipgate.gateway.services.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigNamesTest {

    @Test
    void normaliseStripsAsciiWhitespaceAndSlashesFromBothEnds() {
        assertThat(ConfigNames.normalise(" /\\ devices/a/b \t\n\r\u000b\u000c/")).isEqualTo("devices/a/b");
        assertThat(ConfigNames.normalise("\u00a0x")).isEqualTo("\u00a0x"); // not ASCII whitespace
        assertThat(ConfigNames.normalise("//")).isEmpty();
    }

    @Test
    void emptyNamesAreRefused() {
        ConfigStoreException e = catchThrowableOfType(ConfigStoreException.class,
                () -> ConfigNames.checkedName(" / "));

        assertThat(e.excType()).isEqualTo("builtins.ValueError");
        assertThat(e.detail()).contains("empty");
    }

    @Test
    void identitiesThatCannotNameAFileAreRefused() {
        for (String bad : new String[] {"", ".", "..", "a/b", "a\\b", "a\0b", null}) {
            ConfigStoreException e = catchThrowableOfType(ConfigStoreException.class,
                    () -> ConfigNames.checkIdentity(bad));
            assertThat(e).as(String.valueOf(bad)).isNotNull();
            assertThat(e.excType()).isEqualTo("builtins.ValueError");
            assertThat(e.detail()).contains("Invalid VIP identity");
        }
        assertThatCode(() -> ConfigNames.checkIdentity("platform.driver")).doesNotThrowAnyException();
        assertThatCode(() -> ConfigNames.checkIdentity("...x")).doesNotThrowAnyException();
    }

    @Test
    void sortsByCodePointAsPython() {
        List<String> names = new ArrayList<>(List.of("b", "B", "a", "\uD83D\uDE00", "\uFFFD", "_"));

        names.sort(ConfigNames.PYTHON_ORDER);

        assertThat(names).containsExactly("B", "_", "a", "b", "\uFFFD", "\uD83D\uDE00");
    }

    @Test
    void keyErrorTextIsPythonsStrOfTheKeyError() {
        ConfigStoreException e = ConfigStoreException.noSuchConfig("x", "agent");

        assertThat(e.excType()).isEqualTo("builtins.KeyError");
        assertThat(e.argument()).isEqualTo("No configuration file \"x\" for VIP IDENTIY agent");
        assertThat(e.detail()).isEqualTo("'No configuration file \"x\" for VIP IDENTIY agent'");
        assertThat(e.getMessage()).isEqualTo(e.detail());
        // Python escapes the quote it wraps with, and control characters.
        assertThat(ConfigStoreException.noSuchConfig("it's", "a").detail())
                .isEqualTo("'No configuration file \"it\\'s\" for VIP IDENTIY a'");
        assertThat(ConfigStoreException.noSuchConfig("a\tb", "a").detail())
                .isEqualTo("'No configuration file \"a\\tb\" for VIP IDENTIY a'");
        assertThat(PythonRepr.of("it's")).isEqualTo("\"it's\"");
        assertThat(PythonRepr.of("\u0001\u00e9\u200b")).isEqualTo("'\\x01\u00e9\\u200b'");
    }
}
