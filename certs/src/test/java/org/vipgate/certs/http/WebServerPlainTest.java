package org.vipgate.certs.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.certs.PemException;
import org.vipgate.certs.TestServerPem;

/** Plain HTTP, a PKCS#8 key, and the connection-level bounds: idle time, connection count, bad HTTP. */
class WebServerPlainTest {

    private static final DiscoveryInfo INFO = new DiscoveryInfo(null, "tcp://127.0.0.1:22916", "v1", null, null);

    private static WebServer plain(WebServerConfig config) {
        return new WebServer(config, List.of(new DiscoveryRoute(() -> INFO)));
    }

    private static WebServerConfig local() {
        return WebServerConfig.plain(new InetSocketAddress("127.0.0.1", 0));
    }

    @Test
    void idleConnectionIsClosedAfterTheTimeout() throws Exception {
        try (WebServer server = plain(local().withIdleTimeout(Duration.ofSeconds(1)))) {
            InetSocketAddress address = server.start();
            try (Socket s = new Socket(address.getAddress(), address.getPort())) {
                s.setSoTimeout(10_000);
                long started = System.nanoTime();
                assertThat(s.getInputStream().read()).isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(800),
                        Duration.ofSeconds(5));
            }
            assertThat(server.stats().get("idle_connections_closed")).isEqualTo(1);
        }
    }

    @Test
    void keepAliveConnectionServesSeveralRequestsInOrder() throws Exception {
        try (WebServer server = plain(local())) {
            InetSocketAddress address = server.start();
            try (Socket s = new Socket(address.getAddress(), address.getPort())) {
                s.setSoTimeout(5_000);
                String request = "GET /discovery/ HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /discovery/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                String all = WebTestClient.readAll(s.getInputStream());
                assertThat(all.split("HTTP/1.1 ", -1)).hasSize(4);
                assertThat(all.indexOf("200 OK")).isLessThan(all.indexOf("404 Not Found"));
                assertThat(all.lastIndexOf("200 OK")).isGreaterThan(all.indexOf("404 Not Found"));
            }
        }
    }

    @Test
    void badHttpIs400WithReason() throws Exception {
        try (WebServer server = plain(local())) {
            InetSocketAddress address = server.start();
            String answer = rawExchange(address, "GET /discovery/ HTTP/1.1\r\nHost: x\r\nX-Big: "
                    + "a".repeat(9000) + "\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 400").contains("bad HTTP request");
            assertThat(server.stats().get("malformed_requests")).isEqualTo(1);
            assertThat(WebTestClient.get(HttpClient.newHttpClient(), "http://127.0.0.1:" + address.getPort()
                    + "/discovery/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void connectionsBeyondTheBoundAreClosedAndCounted() throws Exception {
        try (WebServer server = plain(local().withMaxConnections(1))) {
            InetSocketAddress address = server.start();
            try (Socket first = new Socket(address.getAddress(), address.getPort())) {
                // the server counts a connection on one of its event loops: let it count the first before the
                // second arrives, or the second (counted first on another loop) is the one that stays open
                for (int i = 0; i < 1_000 && server.stats().get("accepted_connections") < 1; i++) {
                    Thread.sleep(10);
                }
                Socket second = new Socket(address.getAddress(), address.getPort());
                second.setSoTimeout(5_000);
                assertThat(readOrReset(second.getInputStream())).isEqualTo(-1);
                assertThat(server.stats().get("rejected_connections")).isEqualTo(1);
                first.getOutputStream().write("GET /discovery/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                first.setSoTimeout(5_000);
                assertThat(WebTestClient.readAll(first.getInputStream())).startsWith("HTTP/1.1 200 OK");
                second.close();
            }
        }
    }

    @Test
    void pkcs8KeyWorksToo() throws Exception {
        TestServerPem.Files pem = TestServerPem.write(tmp, false);
        try (WebServer server = plain(local().withTls(pem.certificate(), pem.privateKey()))) {
            int port = server.start().getPort();
            assertThat(WebTestClient.get(WebTestClient.httpClient(), "https://127.0.0.1:" + port + "/discovery/")
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void missingKeyFileFailsStartWithTheFileName() {
        WebServer server = plain(local().withTls(tmp.resolve("none.crt"), tmp.resolve("none.key")));
        assertThatThrownBy(server::start).isInstanceOf(PemException.class).hasMessageContaining("none.key");
        server.close();
    }

    @TempDir
    Path tmp;

    private static String rawExchange(InetSocketAddress address, String request) throws IOException {
        try (Socket s = new Socket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return WebTestClient.readAll(s.getInputStream());
        }
    }

    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (java.net.SocketException e) {
            return -1;
        }
    }
}
