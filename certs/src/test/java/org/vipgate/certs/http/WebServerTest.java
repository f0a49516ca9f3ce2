package org.vipgate.certs.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vipgate.certs.http.WebTestClient.csrPem;
import static org.vipgate.certs.http.WebTestClient.curl;
import static org.vipgate.certs.http.WebTestClient.get;
import static org.vipgate.certs.http.WebTestClient.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.certs.TestServerPem;
import org.vipgate.certs.csr.FakeCsrService;

/** The HTTPS server with the discovery and CSR routes, over real sockets on 127.0.0.1. */
class WebServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVERKEY = "Pfo2pUYbuIdBe2LO6gyWPXWNuQ06BRCD2zQV1GDAE0Q";
    private static final DiscoveryInfo FULL = new DiscoveryInfo(SERVERKEY, "tcp://10.0.0.1:22916", "v1",
            "amqps://v1.example:5671/volttron", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

    @TempDir
    static Path dir;
    private static final AtomicReference<DiscoveryInfo> discovery = new AtomicReference<>(FULL);
    private static FakeCsrService csrs;
    private static WebServer server;
    private static String base;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        TestServerPem.Files pem = TestServerPem.write(dir, true); // PKCS#1, as VOLTTRON writes keys
        csrs = new FakeCsrService(Clock.systemUTC());
        WebRoute failing = new WebRoute() {
            public boolean matches(WebRequest r) {
                return r.path().equals("/boom");
            }

            public WebResponse handle(WebRequest r) {
                throw new IllegalStateException("route failure on purpose");
            }
        };
        server = new WebServer(WebServerConfig.plain(new InetSocketAddress("127.0.0.1", 0))
                .withTls(pem.certificate(), pem.privateKey()),
                List.of(new DiscoveryRoute(discovery::get), new CsrRoute(csrs), failing));
        base = "https://127.0.0.1:" + server.start().getPort();
        client = WebTestClient.httpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void discoveryReturnsExactlyTheFiveKeys() throws Exception {
        discovery.set(FULL);
        HttpResponse<String> r = get(client, base + "/discovery/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.fieldNames()).toIterable()
                .containsExactly("serverkey", "vip-address", "instance-name", "rmq-address", "rmq-ca-cert");
        assertThat(body.get("serverkey").asText()).isEqualTo(SERVERKEY);
        assertThat(body.get("rmq-ca-cert").asText()).contains("\n");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    @Test
    void discoveryLeavesOutAbsentPartsAndFollowsChanges() throws Exception {
        discovery.set(new DiscoveryInfo(null, null, "zmq-only", null, null));
        try {
            JsonNode body = JSON.readTree(get(client, base + "/discovery/").body());
            assertThat(body.fieldNames()).toIterable().containsExactly("instance-name");
            assertThat(body.get("instance-name").asText()).isEqualTo("zmq-only");
        } finally {
            discovery.set(FULL);
        }
    }

    @Test
    void discoveryNeedsTheTrailingSlashAndGet() throws Exception {
        assertThat(get(client, base + "/discovery").statusCode()).isEqualTo(404);
        HttpResponse<String> r = post(client, base + "/discovery/", "application/json", "{}");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void discoveryAllowIsRefused() throws Exception {
        HttpResponse<String> r = post(client, base + "/discovery/allow", "application/json",
                "{\"jsonrpc\":\"2.0\",\"method\":\"allowvc\",\"params\":[\"" + SERVERKEY + "\"]}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("not supported");
    }

    @Test
    void csrAsPlainJsonObjectReachesTheService() throws Exception {
        String csr = csrPem("v1.v2.plain");
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("csr", csr).put("identity", "x")
                .put("hostname", "h"));
        HttpResponse<String> r = post(client, base + "/csr/request_new", "application/json", body);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode reply = JSON.readTree(r.body());
        assertThat(reply.get("status").asText()).isEqualTo("PENDING");
        assertThat(reply.get("message").asText()).isEqualTo("The request is pending admininstrator approval.");
        assertThat(csrs.received()).contains(new FakeCsrService.Received(csr, "127.0.0.1"));
    }

    @Test
    void csrDoubleEncodedAsVolttronSendsItReachesTheService() throws Exception {
        String csr = csrPem("v1.v2.double");
        String inner = JSON.writeValueAsString(JSON.createObjectNode().put("csr", csr).put("identity", "x"));
        HttpResponse<String> r = post(client, base + "/csr/request_new", "application/json",
                JSON.writeValueAsString(inner));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("status").asText()).isEqualTo("PENDING");
        assertThat(csrs.received()).extracting(FakeCsrService.Received::csrPem).contains(csr);
    }

    @Test
    void csrFromCurlGetsTheVolttronAnswer() throws Exception {
        csrs.add("v1.v2.denied", "10.0.0.9", org.vipgate.certs.csr.CsrStatus.DENIED);
        String body = JSON.writeValueAsString(JSON.writeValueAsString(JSON.createObjectNode()
                .put("csr", csrPem("v1.v2.denied"))));
        WebTestClient.CurlResult r = curl(body, "-X", "POST", "-H", "Content-Type: application/json",
                "--data-binary", "@-", base + "/csr/request_new");
        assertThat(r.status()).isEqualTo(200);
        JsonNode reply = JSON.readTree(r.body());
        assertThat(reply.get("status").asText()).isEqualTo("DENIED");
        assertThat(reply.get("message").asText()).isEqualTo("The request has been denied by the administrator.");
        assertThat(reply.has("cert")).isFalse();
    }

    @Test
    void malformedJsonIs400WithReasonAndTheServerStillAnswers() throws Exception {
        HttpResponse<String> r = post(client, base + "/csr/request_new", "application/json", "{\"csr\": ");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("body is not valid JSON");
        assertDiscoveryAnswers();
    }

    @Test
    void missingCsrIs400() throws Exception {
        HttpResponse<String> r = post(client, base + "/csr/request_new", "application/json", "{\"identity\":\"x\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("missing \"csr\" string");
        r = post(client, base + "/csr/request_new", "application/json", "[1,2]");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("JSON object");
        assertDiscoveryAnswers();
    }

    @Test
    void nonPemCsrIs400() throws Exception {
        WebTestClient.CurlResult r = curl("{\"csr\": \"hello\"}", "-X", "POST", "-H",
                "Content-Type: application/json", "--data-binary", "@-", base + "/csr/request_new");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("csr is not a PEM certificate request");
        assertDiscoveryAnswers();
    }

    @Test
    void oversizedBodyIs413WithReasonAndTheServerStillAnswers() throws Exception {
        long before = server.stats().get("oversized_requests");
        String huge = "{\"csr\": \"" + "A".repeat(1024 * 1024) + "\"}";
        HttpResponse<String> r = post(client, base + "/csr/request_new", "application/json", huge);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("larger than 65536 bytes");
        assertThat(server.stats().get("oversized_requests")).isEqualTo(before + 1);
        assertDiscoveryAnswers();
    }

    @Test
    void csrNeedsPost() throws Exception {
        HttpResponse<String> r = get(client, base + "/csr/request_new");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void unknownPathIs404() throws Exception {
        HttpResponse<String> r = get(client, base + "/nothing/here");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("/nothing/here");
    }

    @Test
    void failingRouteIs500AndCounted() throws Exception {
        long before = server.stats().get("route_failures");
        assertThat(get(client, base + "/boom").statusCode()).isEqualTo(500);
        assertThat(server.stats().get("route_failures")).isEqualTo(before + 1);
        assertDiscoveryAnswers();
    }

    @Test
    void plainHttpToTheHttpsPortIsAHandshakeFailure() throws Exception {
        long before = server.stats().get("tls_handshake_failures");
        URI uri = URI.create(base);
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /discovery/ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (java.net.SocketException e) {
            // reset by the server: fine
        }
        awaitStat("tls_handshake_failures", before + 1);
        assertDiscoveryAnswers();
    }

    @Test
    void statsCountRequestsByStatusClass() throws Exception {
        assertDiscoveryAnswers();
        assertThat(server.stats()).containsKeys("requests", "responses_2xx", "responses_4xx", "responses_5xx",
                "rejected_connections", "tls_handshake_failures");
        assertThat(server.stats().get("responses_2xx")).isPositive();
    }

    private static void assertDiscoveryAnswers() throws Exception {
        HttpResponse<String> r = get(client, base + "/discovery/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("instance-name").asText()).isNotEmpty();
    }

    private static void awaitStat(String name, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.stats().get(name) < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.stats().get(name)).isGreaterThanOrEqualTo(atLeast);
    }
}
