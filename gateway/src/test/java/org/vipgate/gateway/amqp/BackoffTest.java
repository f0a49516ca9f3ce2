package org.vipgate.gateway.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromOneSecondUpToTheReconnectDelay() {
        Backoff backoff = Backoff.upTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(1_000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aReconnectDelayUnderOneSecondIsUsedAsIs() {
        assertThat(Backoff.upTo(Duration.ofMillis(200)).delay(1)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void refusesAMaximumBelowTheInitialDelay() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
