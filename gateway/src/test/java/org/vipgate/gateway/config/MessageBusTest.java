package org.vipgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessageBusTest {

    @Test
    void parsesIgnoringCaseAndSpace() {
        assertThat(MessageBus.parse("zmq")).isEqualTo(MessageBus.ZMQ);
        assertThat(MessageBus.parse(" RMQ ")).isEqualTo(MessageBus.RMQ);
    }

    @Test
    void rejectsUnknownValue() {
        assertThatThrownBy(() -> MessageBus.parse("kafka"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'kafka'")
                .hasMessageContaining("'zmq' or 'rmq'");
    }

    @Test
    void exposesTheConfigName() {
        assertThat(MessageBus.RMQ.configName()).isEqualTo("rmq");
    }
}
