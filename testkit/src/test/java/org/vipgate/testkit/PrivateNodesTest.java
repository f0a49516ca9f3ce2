package org.vipgate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Private nodes: two at once, each with the plugins VOLTTRON uses, and nothing left running after close. */
class PrivateNodesTest {

    @Test
    void twoNodesRunAtOnceAndAreGoneAfterClose() {
        List<PrivateNode> nodes = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        try {
            nodes.add(PrivateNode.launch(NodeOptions.defaults()));
            nodes.add(PrivateNode.launch(NodeOptions.defaults()));
            nodes.forEach(PrivateNode::awaitReady);

            for (PrivateNode node : nodes) {
                JsonNode overview = node.management().get("overview");
                assertThat(overview.path("node").asText()).isEqualTo(node.nodeName());
                // The federation and shovel plugins answer their management endpoints.
                assertThat(node.management().get("federation-links")).isNotNull();
                assertThat(node.management().get("shovels")).isNotNull();
                pids.addAll(node.pids());
            }
            assertThat(nodes.get(0).amqpPort()).isNotEqualTo(nodes.get(1).amqpPort());
            assertThat(nodes.get(0).directory()).isNotEqualTo(nodes.get(1).directory());
            assertThat(pids).hasSizeGreaterThanOrEqualTo(4); // a shell and a beam.smp each
        } finally {
            nodes.parallelStream().forEach(PrivateNode::close);
        }

        for (PrivateNode node : nodes) {
            assertThat(node.isRunning()).isFalse();
            assertThat(FreePorts.isListening(node.amqpPort())).as("AMQP port of %s", node.nodeName()).isFalse();
            assertThat(FreePorts.isListening(node.managementPort())).isFalse();
        }
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("process %d of a stopped node", pid).isFalse();
        }
    }

    @Test
    void aStoppedNodeStartsAgainOnTheSamePortsWithItsData() {
        try (PrivateNode node = PrivateNode.start(NodeOptions.defaults())) {
            node.management().put("vhosts/kept", "{}");
            int port = node.amqpPort();

            node.stop();
            assertThat(node.management().answers()).isFalse();
            node.start();

            assertThat(node.amqpPort()).isEqualTo(port);
            assertThat(node.management().get("vhosts/kept")).isNotNull();
        }
    }
}
