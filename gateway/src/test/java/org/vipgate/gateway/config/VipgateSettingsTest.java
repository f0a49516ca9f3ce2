package org.vipgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The [vipgate] section of $VOLTTRON_HOME/config. */
class VipgateSettingsTest {

    @TempDir
    Path dir;

    private VipgateSettings load(String text) throws Exception {
        return VipgateSettings.load(Files.writeString(dir.resolve("config"), text));
    }

    @Test
    void withoutTheSectionEverythingIsDefault() throws Exception {
        assertThat(load("[volttron]\ninstance-name = v1\n")).isEqualTo(VipgateSettings.defaults());
        assertThat(VipgateSettings.load(dir.resolve("missing"))).isEqualTo(VipgateSettings.defaults());
    }

    @Test
    void readsAutoAllowAndLifetimes() throws Exception {
        VipgateSettings s = load("[volttron]\ninstance-name = v1\n[vipgate]\ncsr-auto-allow = yes\n"
                + "certificate-days = 90\nca-certificate-days = 1825\n");
        assertThat(s.csrAutoAllow()).isTrue();
        assertThat(s.lifetimes().leafDays()).isEqualTo(90);
        assertThat(s.lifetimes().caDays()).isEqualTo(1825);
    }

    @Test
    void aBadValueNamesTheKeyAndLine() {
        assertThatThrownBy(() -> load("[vipgate]\ncertificate-days = forever\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[vipgate] certificate-days (line 2)")
                .hasMessageContaining("a whole number of days");
        assertThatThrownBy(() -> load("[vipgate]\ncsr-auto-allow = maybe\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("true or false");
    }
}
