package org.vipgate.testkit;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where tests get a real RabbitMQ (DESIGN.md, "The test broker"), in this order:
 * <ol>
 *   <li>a broker named in the environment ({@code VIPGATE_TEST_BROKER=amqp://user:pass@host:port},
 *       optionally {@code VIPGATE_TEST_BROKER_MANAGEMENT=http://host:15672});</li>
 *   <li>Testcontainers' RabbitMQ module when a Docker engine answers ({@code VIPGATE_TEST_DOCKER=false}
 *       turns this off);</li>
 *   <li>otherwise private nodes from the installed {@code rabbitmq-server} ({@link PrivateNode}).</li>
 * </ol>
 * {@link #shared()} is one broker for the whole test JVM; {@link #startNode} and {@link #startNodes} give a test
 * brokers of its own (a second node for federation, TLS, restarts), which it closes.
 */
public final class RabbitBrokers {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitBrokers.class);
    private static RabbitBroker shared;

    private RabbitBrokers() {
    }

    /** The broker shared by all tests of this JVM; started on first use, stopped when the JVM exits. */
    public static synchronized RabbitBroker shared() {
        if (shared == null) {
            ExternalBroker external = ExternalBroker.fromEnvironment(System.getenv());
            shared = external != null ? external : startOwned(NodeOptions.defaults());
            LOG.info("shared test broker: {}", shared.describe());
        }
        return shared;
    }

    /** A broker of the test's own, never one from the environment; the caller closes it. */
    public static RabbitBroker startNode(NodeOptions options) {
        return startOwned(options);
    }

    /**
     * Several private nodes (or containers) at once, started in parallel; the caller closes each.
     * If one fails to start, those already started are stopped and the failure is thrown.
     */
    public static List<RabbitBroker> startNodes(int count, NodeOptions options) {
        if (ContainerBroker.dockerAvailable()) {
            List<RabbitBroker> brokers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                brokers.add(ContainerBroker.start(options));
            }
            return brokers;
        }
        List<PrivateNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                nodes.add(PrivateNode.launch(options));
            }
            nodes.forEach(PrivateNode::awaitReady);
            return List.copyOf(nodes);
        } catch (RuntimeException e) {
            nodes.forEach(PrivateNode::close);
            throw e;
        }
    }

    private static RabbitBroker startOwned(NodeOptions options) {
        if (ContainerBroker.dockerAvailable()) {
            return ContainerBroker.start(options);
        }
        return PrivateNode.start(options);
    }
}
