package org.vipgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigExceptionTest {

    private static final Path FILE = Path.of("/home/x/.volttron/rabbitmq_config.yml");

    @Test
    void rendersFileLocationProblemAndExpectation() {
        ConfigException e = ConfigException.badValue(FILE, "key 'amqp-port'", "abc",
                "an integer port from 1 to 65535");

        assertThat(e.getMessage()).isEqualTo("/home/x/.volttron/rabbitmq_config.yml: key 'amqp-port': got 'abc';"
                + " expected an integer port from 1 to 65535");
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.location()).isEqualTo("key 'amqp-port'");
        assertThat(e.problem()).isEqualTo("got 'abc'");
        assertThat(e.expected()).isEqualTo("an integer port from 1 to 65535");
    }

    @Test
    void omitsAbsentLocationAndExpectation() {
        ConfigException e = ConfigException.invalid(FILE, null, "broken", null);

        assertThat(e.getMessage()).isEqualTo("/home/x/.volttron/rabbitmq_config.yml: broken");
    }

    @Test
    void keepsQuotedValuesOnOneLine() {
        ConfigException e = ConfigException.badValue(FILE, "line 3", "a\nb", null);

        assertThat(e.getMessage()).isEqualTo("/home/x/.volttron/rabbitmq_config.yml: line 3: got 'a\\nb'");
    }
}
