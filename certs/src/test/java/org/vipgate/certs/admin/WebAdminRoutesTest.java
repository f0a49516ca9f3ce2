package org.vipgate.certs.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.certs.TestServerPem;
import org.vipgate.certs.csr.CsrStatus;
import org.vipgate.certs.csr.FakeCsrService;
import org.vipgate.certs.http.WebServer;
import org.vipgate.certs.http.WebServerConfig;
import org.vipgate.certs.http.WebTestClient;

/** The admin routes over HTTPS with the JDK client: first run, login, cookie, API, CSRF guard, throttle. */
class WebAdminRoutesTest {

    @TempDir
    Path dir;
    private WebServer server;
    private String base;
    private HttpClient client;
    private FakeCsrService csrs;

    @BeforeEach
    void start() throws Exception {
        TestServerPem.Files pem = TestServerPem.write(dir, true);
        csrs = new FakeCsrService(Clock.systemUTC());
        csrs.add("v1.v2.a", "192.0.2.1", CsrStatus.PENDING);
        WebUsers users = new WebUsers(dir, new Argon2Passwords(new Argon2Passwords.Params(1024, 1, 1)));
        AdminRoutes admin = new AdminRoutes(users, new Sessions(Clock.systemUTC()), csrs, Clock.systemUTC(), true);
        server = new WebServer(WebServerConfig.plain(new InetSocketAddress("127.0.0.1", 0))
                .withTls(pem.certificate(), pem.privateKey()), List.of(admin));
        base = "https://127.0.0.1:" + server.start().getPort();
        client = WebTestClient.httpClient();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> form(String path, String body) throws Exception {
        return WebTestClient.post(client, base + path, "application/x-www-form-urlencoded", body);
    }

    private HttpResponse<String> send(String method, String path, String cookie, boolean csrfHeader)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (csrfHeader) {
            b.header("X-Requested-With", "vipgate");
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String createAndLogIn() throws Exception {
        assertThat(form("/admin/setpassword", "username=admin&password1=long+enough&password2=long+enough")
                .statusCode()).isEqualTo(303);
        HttpResponse<String> login = form("/admin/login", "username=admin&password=long+enough");
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/admin/pending_auth_reqs.html");
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).matches("vipgate_session=[A-Za-z0-9_-]{43}; Path=/admin; HttpOnly; SameSite=Strict;"
                + " Secure");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void firstRunShowsTheCreateForm() throws Exception {
        HttpResponse<String> page = WebTestClient.get(client, base + "/admin/pending_auth_reqs.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("action=\"/admin/setpassword\"", "name=\"password1\"", "name=\"password2\"");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
        assertThat(send("GET", "/admin/api/csrs", null, false).statusCode()).isEqualTo(401);
    }

    @Test
    void passwordsMustMatchAndBeLongEnough() throws Exception {
        HttpResponse<String> r = form("/admin/setpassword", "username=admin&password1=long+enough&password2=other+one");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("the two passwords differ");
        r = form("/admin/setpassword", "username=admin&password1=short&password2=short");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("at least 8");
    }

    @Test
    void secondAdministratorCannotBeCreatedThroughTheForm() throws Exception {
        createAndLogIn();
        assertThat(form("/admin/setpassword", "username=evil&password1=long+enough&password2=long+enough")
                .statusCode()).isEqualTo(403);
    }

    @Test
    void apiNeedsTheSessionAndPostWithTheCsrfHeader() throws Exception {
        String cookie = createAndLogIn();
        assertThat(send("GET", "/admin/api/csrs", null, false).statusCode()).isEqualTo(401);
        HttpResponse<String> list = send("GET", "/admin/api/csrs", cookie, false);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"common_name\":\"v1.v2.a\"", "\"remote_address\":\"192.0.2.1\"",
                "\"status\":\"PENDING\"", "\"requested_at\"");
        assertThat(send("GET", "/admin/api/approve_csr/v1.v2.a", cookie, true).statusCode()).isEqualTo(405);
        assertThat(send("POST", "/admin/api/approve_csr/v1.v2.a", cookie, false).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/admin/api/approve_csr/nobody", cookie, true).statusCode()).isEqualTo(404);
        HttpResponse<String> approved = send("POST", "/admin/api/approve_csr/v1.v2.a", cookie, true);
        assertThat(approved.statusCode()).isEqualTo(200);
        assertThat(approved.body()).contains("\"status\":\"APPROVED\"", "\"cert\":\"-----BEGIN CERTIFICATE-----");
        assertThat(send("POST", "/admin/api/deny_csr/v1.v2.a", cookie, true).body()).contains("\"status\":\"DENIED\"");
        assertThat(send("POST", "/admin/api/delete_csr/v1.v2.a", cookie, true).body())
                .contains("\"status\":\"DELETED\"");
        assertThat(csrs.list()).isEmpty();
        assertThat(send("POST", "/admin/logout", cookie, false).statusCode()).isEqualTo(303);
        assertThat(send("GET", "/admin/api/csrs", cookie, false).statusCode()).isEqualTo(401);
    }

    @Test
    void volttronAuthenticatePathAnswers401Or200() throws Exception {
        createAndLogIn();
        HttpResponse<String> bad = WebTestClient.post(client, base + "/authenticate", "application/json",
                "{\"username\":\"admin\",\"password\":\"nope nope\"}");
        assertThat(bad.statusCode()).isEqualTo(401);
        HttpResponse<String> good = WebTestClient.post(client, base + "/authenticate", "application/json",
                "{\"username\":\"admin\",\"password\":\"long enough\"}");
        assertThat(good.statusCode()).isEqualTo(200);
        String token = good.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> viaBearer = client.send(HttpRequest.newBuilder(URI.create(base + "/admin/api/csrs"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(viaBearer.statusCode()).isEqualTo(200);
    }

    @Test
    void tenFailedLoginsAMinuteAreThrottled() throws Exception {
        createAndLogIn();
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            HttpResponse<String> r = form("/admin/login", "username=admin&password=wrong" + i);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("Invalid username/password specified");
        }
        HttpResponse<String> r = form("/admin/login", "username=admin&password=long+enough");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("60");
    }
}
