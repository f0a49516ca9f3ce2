package org.vipgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformConfigTest {

    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("config"), text);
    }

    private ConfigException loadError(String text) throws Exception {
        Path file = write(text);
        try {
            PlatformConfig.load(file);
        } catch (ConfigException e) {
            assertThat(e.file()).isEqualTo(file);
            assertThat(e.getMessage()).startsWith(file + ": ");
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + text);
    }

    @Test
    void loadsAConfigWrittenByVcfg() throws Exception {
        Path file = write("""
                [volttron]
                message-bus = rmq
                vip-address = tcp://127.0.0.1:22916
                instance-name = volttron1
                bind-web-address = https://v1.example.com:8443
                volttron-central-address = https://vc.example.com:8443
                """);

        PlatformConfig config = PlatformConfig.load(file);

        assertThat(config.instanceName()).isEqualTo("volttron1");
        assertThat(config.vipAddresses()).containsExactly("tcp://127.0.0.1:22916");
        assertThat(config.bindWebAddress()).hasValue(URI.create("https://v1.example.com:8443"));
        assertThat(config.messageBus()).isEqualTo(MessageBus.RMQ);
        assertThat(config.settings()).containsKeys("message-bus", "vip-address", "instance-name",
                "bind-web-address", "volttron-central-address");
        assertThat(config.settings().get("volttron-central-address")).isEqualTo("https://vc.example.com:8443");
    }

    @Test
    void appliesDefaultsForOptionalKeys() throws Exception {
        PlatformConfig config = PlatformConfig.load(write("[volttron]\ninstance-name = v1\n"));

        assertThat(config.vipAddresses()).containsExactly(PlatformConfig.DEFAULT_VIP_ADDRESS);
        assertThat(config.vipAddresses()).containsExactly("tcp://127.0.0.1:22916");
        assertThat(config.bindWebAddress()).isEmpty();
        assertThat(config.messageBus()).isEqualTo(MessageBus.ZMQ);
    }

    @Test
    void settingsAreUnmodifiable() throws Exception {
        PlatformConfig config = PlatformConfig.load(write("[volttron]\ninstance-name = v1\n"));

        assertThatThrownBy(() -> config.settings().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void stripsDoubleQuotesAroundInstanceNameAsVolttronDoes() throws Exception {
        PlatformConfig config = PlatformConfig.load(write("[volttron]\ninstance-name = \"v1\"\n"));

        assertThat(config.instanceName()).isEqualTo("v1");
    }

    @Test
    void rejectsMissingInstanceName() throws Exception {
        ConfigException e = loadError("[volttron]\nmessage-bus = rmq\n");

        assertThat(e.location()).isEqualTo("[volttron] instance-name");
        assertThat(e.getMessage()).contains(": [volttron] instance-name: missing; expected ");
    }

    @Test
    void rejectsBlankInstanceName() throws Exception {
        ConfigException e = loadError("[volttron]\ninstance-name =\n");

        assertThat(e.getMessage()).contains(": [volttron] instance-name (line 2): got ''; expected a non-blank");
    }

    @Test
    void rejectsInstanceNameWithWhitespace() throws Exception {
        ConfigException e = loadError("[volttron]\ninstance-name = my platform\n");

        assertThat(e.getMessage()).contains("[volttron] instance-name (line 2): got 'my platform'")
                .contains("without whitespace");
    }

    @Test
    void rejectsInstanceNameWithRoutingKeyCharactersSayingWhy() throws Exception {
        ConfigException e = loadError("[volttron]\ninstance-name = site.one\n");

        assertThat(e.getMessage()).contains("[volttron] instance-name (line 2): got 'site.one'")
                .contains("AMQP routing keys");
    }

    @Test
    void rejectsUnknownMessageBusNamingKeyAndLine() throws Exception {
        ConfigException e = loadError("[volttron]\ninstance-name = v1\nmessage-bus = kafka\n");

        assertThat(e.getMessage()).isEqualTo(dir.resolve("config")
                + ": [volttron] message-bus (line 3): got 'kafka'; expected 'zmq' or 'rmq'");
    }

    @Test
    void acceptsMessageBusInAnyCase() throws Exception {
        PlatformConfig config = PlatformConfig.load(write("[volttron]\ninstance-name = v1\nmessage-bus = RMQ\n"));

        assertThat(config.messageBus()).isEqualTo(MessageBus.RMQ);
    }

    @Test
    void acceptsSeveralVipAddresses() throws Exception {
        PlatformConfig config = PlatformConfig.load(write("[volttron]\ninstance-name = v1\n"
                + "vip-address = tcp://127.0.0.1:22916, tcp://*:22917 tcp://[::1]:22918,ipc://@/home/v/run/vip.socket\n"
                + "  tcp://host.example.com:22919\n"));

        assertThat(config.vipAddresses()).containsExactly("tcp://127.0.0.1:22916", "tcp://*:22917",
                "tcp://[::1]:22918", "ipc://@/home/v/run/vip.socket", "tcp://host.example.com:22919");
    }

    @Test
    void rejectsVipAddressWithBadPortNamingKeyAndValue() throws Exception {
        ConfigException e = loadError("[volttron]\ninstance-name = v1\nvip-address = tcp://127.0.0.1:99999\n");

        assertThat(e.getMessage()).contains("[volttron] vip-address (line 3): got 'tcp://127.0.0.1:99999'")
                .contains("expected tcp://host:port");
    }

    @Test
    void rejectsVipAddressWithoutPort() throws Exception {
        ConfigException e = loadError("[volttron]\ninstance-name = v1\nvip-address = tcp://127.0.0.1\n");

        assertThat(e.getMessage()).contains("[volttron] vip-address (line 3): got 'tcp://127.0.0.1' (no ':port')");
    }

    @Test
    void rejectsVipAddressWithOtherScheme() throws Exception {
        ConfigException e = loadError("[volttron]\ninstance-name = v1\nvip-address = http://h:1\n");

        assertThat(e.getMessage()).contains("[volttron] vip-address (line 3): got 'http://h:1'");
    }

    @Test
    void rejectsUnbracketedIpv6VipAddress() throws Exception {
        ConfigException e = loadError("[volttron]\ninstance-name = v1\nvip-address = tcp://::1:22916\n");

        assertThat(e.getMessage()).contains("[volttron] vip-address (line 3)").contains("brackets");
    }

    @Test
    void rejectsEmptyVipAddress() throws Exception {
        ConfigException e = loadError("[volttron]\ninstance-name = v1\nvip-address =\n");

        assertThat(e.getMessage()).contains("[volttron] vip-address (line 3): got ''");
    }

    @Test
    void rejectsBindWebAddressThatIsNotHttp() throws Exception {
        ConfigException e = loadError("[volttron]\ninstance-name = v1\nbind-web-address = ftp://h:8443\n");

        assertThat(e.getMessage()).contains("[volttron] bind-web-address (line 3): got 'ftp://h:8443'")
                .contains("expected an absolute http:// or https://");
    }

    @Test
    void rejectsBindWebAddressWithoutHost() throws Exception {
        ConfigException e = loadError("[volttron]\ninstance-name = v1\nbind-web-address = myhost:8443\n");

        assertThat(e.getMessage()).contains("[volttron] bind-web-address (line 3): got 'myhost:8443'");
    }

    @Test
    void rejectsBindWebAddressThatIsNotAUri() throws Exception {
        ConfigException e = loadError("[volttron]\ninstance-name = v1\nbind-web-address = https://h:8443/a b\n");

        assertThat(e.getMessage()).contains("[volttron] bind-web-address (line 3): got 'https://h:8443/a b'");
    }

    @Test
    void rejectsFileWithoutVolttronSection() throws Exception {
        ConfigException e = loadError("[other]\ninstance-name = v1\n");

        assertThat(e.getMessage()).contains(": [volttron]: section missing (found [other])");
    }

    @Test
    void reportsIniSyntaxErrorsWithLine() throws Exception {
        ConfigException e = loadError("[volttron]\ninstance-name = v1\njunk\n");

        assertThat(e.getMessage()).contains(": line 3: 'junk' has no '=' or ':'");
    }

    @Test
    void rejectsMissingFileSayingWhatToDo() {
        Path file = dir.resolve("config");

        assertThatThrownBy(() -> PlatformConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": missing file; expected a VOLTTRON platform config (INI with a [volttron]"
                        + " section). Create it or point --home at a VOLTTRON_HOME");
    }

    @Test
    void authIsOnUnlessTheFileSwitchesItOff() throws Exception {
        assertThat(PlatformConfig.from(IniFile.parse(dir.resolve("config"),
                "[volttron]\ninstance-name = v1\n")).authEnabled()).isTrue();
        assertThat(PlatformConfig.from(IniFile.parse(dir.resolve("config"),
                "[volttron]\ninstance-name = v1\nallow-auth = False\n")).authEnabled()).isFalse();
    }

    @Test
    void rejectsAnAllowAuthThatIsNotABoolean() throws Exception {
        ConfigException e = loadError("[volttron]\ninstance-name = v1\nallow-auth = maybe\n");

        assertThat(e.getMessage()).contains("[volttron] allow-auth (line 3): got 'maybe'").contains("true or false");
    }
}
