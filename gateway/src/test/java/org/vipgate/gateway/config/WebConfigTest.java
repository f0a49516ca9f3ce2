package org.vipgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** certs-csr-discovery.md §6: bind-web-address, web-ssl-cert and web-ssl-key. */
class WebConfigTest {

    @TempDir
    Path dir;

    private Optional<WebConfig> load(String text) throws Exception {
        Path file = Files.writeString(dir.resolve("config"), text);
        return WebConfig.from(PlatformConfig.load(file), file, Map.of("CERTS", dir.toString())::get);
    }

    @Test
    void noBindWebAddressMeansNoWebService() throws Exception {
        assertThat(load("[volttron]\ninstance-name = v1\n")).isEmpty();
    }

    @Test
    void httpsWithBothFilesExpandsEnvironmentVariables() throws Exception {
        Files.writeString(dir.resolve("web.crt"), "x");
        Files.writeString(dir.resolve("web.key"), "x");
        WebConfig web = load("[volttron]\ninstance-name = v1\nbind-web-address = https://v1.example.com:8443\n"
                + "web-ssl-cert = $CERTS/web.crt\nweb-ssl-key = ${CERTS}/web.key\n").orElseThrow();
        assertThat(web.tls()).isTrue();
        assertThat(web.port()).isEqualTo(8443);
        assertThat(web.sslCert()).hasValue(dir.resolve("web.crt"));
        assertThat(web.sslKey()).hasValue(dir.resolve("web.key"));
    }

    @Test
    void httpsOnRabbitMqWithoutFilesIsLeftToTheGateway() throws Exception {
        WebConfig web = load("[volttron]\ninstance-name = v1\nmessage-bus = rmq\n"
                + "bind-web-address = https://v1.example.com\n").orElseThrow();
        assertThat(web.sslCert()).isEmpty();
        assertThat(web.port()).isEqualTo(443);
    }

    @Test
    void oneFileWithoutTheOtherIsAnError() {
        assertThatThrownBy(() -> load("[volttron]\ninstance-name = v1\nbind-web-address = https://h:8443\n"
                + "web-ssl-cert = /nowhere/web.crt\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("only web-ssl-cert is set");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> load("[volttron]\ninstance-name = v1\nbind-web-address = https://h:8443\n"
                + "web-ssl-cert = /nowhere/web.crt\nweb-ssl-key = /nowhere/web.key\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("/nowhere/web.crt does not exist");
    }

    @Test
    void httpsOnZeroMqNeedsTheFiles() {
        assertThatThrownBy(() -> load("[volttron]\ninstance-name = v1\nbind-web-address = https://h:8443\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ZeroMQ platform");
    }
}
