package org.vipgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {

    @TempDir
    Path dir;

    @Test
    void loadsPlatformAndRabbitConfigFromTheHome() throws Exception {
        VolttronHome home = new VolttronHome(dir);
        Files.writeString(home.configFile(), "[volttron]\ninstance-name = site1\nmessage-bus = rmq\n");
        Files.writeString(home.rabbitConfigFile(), "host: rmq.example.com\nssl: 'true'\n");

        GatewayConfig config = GatewayConfig.load(home);

        assertThat(config.home()).isEqualTo(home);
        assertThat(config.platform().instanceName()).isEqualTo("site1");
        assertThat(config.rabbit().orElseThrow().host()).isEqualTo("rmq.example.com");
    }

    @Test
    void defaultRabbitUserComesFromTheInstanceName() throws Exception {
        VolttronHome home = new VolttronHome(dir);
        Files.writeString(home.configFile(), "[volttron]\ninstance-name = site1\n");
        Files.writeString(home.rabbitConfigFile(), "host: rmq.example.com\n");

        assertThat(GatewayConfig.load(home).rabbit().orElseThrow().user()).isEqualTo("site1-admin");
    }

    @Test
    void rejectsAnRmqHomeWithoutRabbitConfig() throws Exception {
        VolttronHome home = new VolttronHome(dir);
        Files.writeString(home.configFile(), "[volttron]\ninstance-name = site1\nmessage-bus = rmq\n");

        assertThatThrownBy(() -> GatewayConfig.load(home))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(home.rabbitConfigFile() + ": missing file; expected ");
    }

    @Test
    void reportsThePlatformConfigFirst() throws Exception {
        VolttronHome home = new VolttronHome(dir);
        Files.writeString(home.configFile(), "[volttron]\nmessage-bus = rmq\n");
        Files.writeString(home.rabbitConfigFile(), "amqp-port: abc\n");

        assertThatThrownBy(() -> GatewayConfig.load(home))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(home.configFile() + ": [volttron] instance-name: missing");
    }

    @Test
    void aZmqHomeWithoutRabbitConfigRunsWithoutABroker() throws Exception {
        VolttronHome home = new VolttronHome(dir);
        Files.writeString(home.configFile(), "[volttron]\ninstance-name = site1\nmessage-bus = zmq\n");

        assertThat(GatewayConfig.load(home).rabbit()).isEmpty();
    }

    @Test
    void anExplicitZmqHomeRunsWithoutABrokerEvenBesideARabbitConfig() throws Exception {
        VolttronHome home = new VolttronHome(dir);
        Files.writeString(home.configFile(), "[volttron]\ninstance-name = site1\nmessage-bus = zmq\n");
        Files.writeString(home.rabbitConfigFile(), "host: rmq.example.com\n");

        assertThat(GatewayConfig.load(home).rabbit()).isEmpty();
    }
}
