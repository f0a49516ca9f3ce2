package org.vipgate.federation.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The agent permissions are VOLTTRON's (vip-rabbitmq.md §4.5, §7.4), anchored, with the user quoted. */
class PermissionsTest {

    private static boolean matches(String regex, String name) {
        return Pattern.compile(regex).matcher(name).find(); // RabbitMQ searches the name, as find() does
    }

    @Test
    void anAgentMayUseItsOwnQueuesAndTheVolttronExchange() {
        Permissions p = Permissions.agentDefault("v1.hist");
        assertThat(matches(p.configure(), "v1.hist")).isTrue();
        assertThat(matches(p.configure(), "v1.hist.pubsub.3f2a")).isTrue();
        assertThat(matches(p.configure(), "v1.hist.zmq.outbound")).isTrue();
        assertThat(matches(p.configure(), "amq.gen-abc")).isTrue();
        assertThat(matches(p.write(), "volttron")).isTrue();
        assertThat(matches(p.read(), "v1.hist.pubsub.x")).isTrue();
    }

    @Test
    void anAgentMayNotTouchNamesThatMerelyContainItsOwn() {
        Permissions p = Permissions.agentDefault("v1.hist");
        assertThat(matches(p.configure(), "v1.historian")).as("another agent's queue").isFalse();
        assertThat(matches(p.configure(), "x.v1.hist")).isFalse();
        assertThat(matches(p.configure(), "v1xhist")).as("the dot is literal").isFalse();
        assertThat(matches(p.write(), "volttron2")).isFalse();
        assertThat(matches(p.configure(), "volttron")).as("configure does not include the exchange").isFalse();
    }

    @Test
    void theHelloDefaultHasNoAmqNames() {
        Permissions p = Permissions.helloDefault("v1.a+b");
        assertThat(matches(p.configure(), "v1.a+b.pubsub.1")).isTrue();
        assertThat(matches(p.configure(), "v1.aab")).as("+ is quoted").isFalse();
        assertThat(matches(p.configure(), "amq.gen-1")).isFalse();
        assertThat(p.read()).isEqualTo(p.write());
    }
}
