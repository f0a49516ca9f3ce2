package org.vipgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free TCP ports on the loopback interface, for listeners a test is about to start. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * A port that was free on 127.0.0.1 a moment ago (another process may still take it first), and not handed out
     * by this class before in this JVM: the kernel may give the same ephemeral port to two binds in a row, and two
     * listeners of one test (e.g. a node's AMQP and management ports) must not get the same one.
     */
    public static int next() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on the loopback interface", e);
            }
            synchronized (GIVEN) {
                if (GIVEN.add(port)) {
                    return port;
                }
            }
        }
        throw new IllegalStateException("no port that was not handed out already after 100 tries");
    }

    /** Every port handed out in this JVM (a few hundred per test run). */
    private static final Set<Integer> GIVEN = new HashSet<>();

    /** True when something accepts connections on 127.0.0.1:port. */
    public static boolean isListening(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
