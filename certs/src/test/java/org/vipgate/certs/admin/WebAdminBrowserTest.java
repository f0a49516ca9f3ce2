package org.vipgate.certs.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.vipgate.certs.TestServerPem;
import org.vipgate.certs.csr.CsrStatus;
import org.vipgate.certs.csr.FakeCsrService;
import org.vipgate.certs.http.WebServer;
import org.vipgate.certs.http.WebServerConfig;
import org.vipgate.certs.http.WebTestClient;
import org.vipgate.testkit.browser.AdminPage;
import org.vipgate.testkit.browser.HeadlessChromium;

/**
 * The admin UI in a real headless Chromium over HTTPS: first run, wrong and right login, approving a pending CSR.
 * Needs Debian's {@code chromium} and {@code chromium-driver} ({@code make setup}); fails, does not skip, without.
 */
class WebAdminBrowserTest {

    private static final String CN = "v1.v2.platform.agent";

    @TempDir
    static Path dir;
    private static WebServer server;
    private static String base;
    private static FakeCsrService csrs;
    private static WebDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        Path home = Files.createDirectory(dir.resolve("volttron-home"));
        TestServerPem.Files pem = TestServerPem.write(dir, true);
        csrs = new FakeCsrService(Clock.systemUTC());
        csrs.add(CN, "192.0.2.7", CsrStatus.PENDING);
        csrs.add("v1.<b>markup</b>", "192.0.2.8", CsrStatus.DENIED);
        server = new WebServer(WebServerConfig.plain(new InetSocketAddress("127.0.0.1", 0))
                .withTls(pem.certificate(), pem.privateKey()),
                List.of(new AdminRoutes(home, csrs, Clock.systemUTC(), true)));
        base = "https://127.0.0.1:" + server.start().getPort();

        browser = HeadlessChromium.start(dir);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void firstRunLoginAndApprove() throws Exception {
        // First run: any /admin page is the form that creates the administrator.
        AdminPage.createAdministrator(browser, wait, base, "admin", "correct horse");

        // Wrong password: the login page again, with the error.
        AdminPage.submitLogin(browser, "admin", "wrong password");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error"))).getText())
                .isEqualTo("Invalid username/password specified");

        // Right password: the CSR page, the request under Pending.
        AdminPage.logIn(browser, wait, base, "admin", "correct horse");
        By pendingRow = By.cssSelector("#pending tr[data-cn=\"" + CN + "\"]");
        wait.until(ExpectedConditions.presenceOfElementLocated(pendingRow));
        assertThat(browser.findElement(pendingRow).findElement(By.cssSelector("td.remote")).getText())
                .isEqualTo("192.0.2.7");
        // A CN with markup is shown as text, not interpreted.
        By denied = By.cssSelector("#denied tr td.cn");
        assertThat(browser.findElement(denied).getText()).isEqualTo("v1.<b>markup</b>");
        assertThat(browser.findElements(By.cssSelector("#denied b"))).isEmpty();

        browser.findElement(pendingRow).findElement(By.cssSelector("button.approve")).click();
        By approvedRow = By.cssSelector("#approved tr[data-cn=\"" + CN + "\"]");
        wait.until(ExpectedConditions.presenceOfElementLocated(approvedRow));
        assertThat(browser.findElements(pendingRow)).isEmpty();
        assertThat(browser.findElement(By.id("message")).getText()).isEqualTo("APPROVED for " + CN);
        assertThat(csrs.list()).filteredOn(r -> r.commonName().equals(CN)).singleElement()
                .extracting(r -> r.status()).isEqualTo(CsrStatus.APPROVED);

        // Without the session cookie the API answers 401.
        var noCookie = WebTestClient.get(WebTestClient.httpClient(), base + "/admin/api/csrs");
        assertThat(noCookie.statusCode()).isEqualTo(401);
        assertThat(noCookie.body()).contains("\"error\"");

        // Logout ends the session.
        browser.findElement(By.id("logout-button")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/admin/login.html"));
        browser.get(base + "/admin/pending_auth_reqs.html");
        wait.until(ExpectedConditions.urlToBe(base + "/admin/login.html"));
    }
}
