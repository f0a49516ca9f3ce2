package org.vipgate.testkit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Stops every broker the fixture started and a test did not close, when the JVM exits
 * (normally, on SIGTERM or on Ctrl-C). A JVM killed with SIGKILL cannot run this: {@code make test}
 * then reaps left-over nodes by their name prefix.
 */
final class NodeReaper {

    private static final Set<RabbitBroker> LIVE = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private NodeReaper() {
    }

    static synchronized void register(RabbitBroker broker) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(NodeReaper::closeAll, "vipgate-testkit-reaper"));
            hookInstalled = true;
        }
        LIVE.add(broker);
    }

    static synchronized void unregister(RabbitBroker broker) {
        LIVE.remove(broker);
    }

    private static void closeAll() {
        List<RabbitBroker> brokers;
        synchronized (NodeReaper.class) {
            brokers = new ArrayList<>(LIVE);
            LIVE.clear();
        }
        brokers.parallelStream().forEach(RabbitBroker::close);
    }
}
