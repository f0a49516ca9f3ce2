package org.vipgate.certs.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.csr.CsrService;
import org.vipgate.certs.http.WebRequest;
import org.vipgate.certs.http.WebResponse;
import org.vipgate.certs.http.WebRoute;

/**
 * The admin web UI under {@code /admin} (certs-csr-discovery.md §5) plus VOLTTRON's {@code /authenticate}: first
 * run, login and logout with server-side sessions, the CSR page and its JSON API ({@link AdminApi}).
 *
 * <ul>
 *   <li>No user in {@code web-users.json}: every {@code /admin} page is the "create the administrator" form,
 *       posting to {@code /admin/setpassword}; the API answers 401.</li>
 *   <li>{@code POST /admin/login} (form or JSON {@code username}, {@code password}): 303 to the CSR page with the
 *       session cookie, or the login page again with 401. {@code POST /authenticate} does the same in JSON
 *       (200 with {@code access_token}, or 401). Ten failures a minute from one address give 429.</li>
 *   <li>The session is the cookie {@value #COOKIE} or an {@code Authorization: Bearer} header.</li>
 * </ul>
 */
public final class AdminRoutes implements WebRoute {

    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String COOKIE = "vipgate_session";
    public static final String HOME = "/admin/" + AdminPages.PENDING_PAGE;
    static final String LOGIN_PAGE = "/admin/login.html";
    static final String AUTHENTICATE = "/authenticate";
    /** VOLTTRON's text for a failed login (§5). */
    static final String LOGIN_FAILED = "Invalid username/password specified";
    private static final int MAX_FORM_FIELDS = 16;

    private final WebUsers users;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final AdminApi api;
    private final boolean tls;

    /**
     * @param volttronHome where {@code web-users.json} is (created on first run)
     * @param csrs         the certificate requests the page lists and acts on
     * @param clock        for session expiry and the login rate limit
     * @param tls          true when the server runs HTTPS: the cookie is then {@code Secure}
     */
    public AdminRoutes(Path volttronHome, CsrService csrs, Clock clock, boolean tls) {
        this(new WebUsers(volttronHome, new Argon2Passwords(Argon2Passwords.Params.DEFAULT)), new Sessions(clock),
                csrs, clock, tls);
    }

    AdminRoutes(WebUsers users, Sessions sessions, CsrService csrs, Clock clock, boolean tls) {
        this.users = Objects.requireNonNull(users, "users");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.api = new AdminApi(Objects.requireNonNull(csrs, "csrs"));
        this.throttle = new LoginThrottle(clock);
        this.tls = tls;
    }

    @Override
    public boolean matches(WebRequest request) {
        String p = request.path();
        return p.equals("/admin") || p.startsWith("/admin/") || p.equals(AUTHENTICATE);
    }

    @Override
    public WebResponse handle(WebRequest request) throws IOException {
        String path = request.path();
        if (path.startsWith(AdminPages.STATIC_PREFIX)) {
            return AdminPages.staticFile(path).orElseGet(() -> notFound(path));
        }
        if (path.equals(AUTHENTICATE)) {
            return post(request) ? login(request, true) : methodNotAllowed("POST");
        }
        if (path.equals("/admin/setpassword")) {
            return post(request) ? setPassword(request) : methodNotAllowed("POST");
        }
        if (users.isEmpty()) {
            // §5: first run, any /admin page is the form that creates the administrator.
            if (path.startsWith(AdminApi.PREFIX)) {
                return AdminApi.error(HttpResponseStatus.UNAUTHORIZED, "no administrator yet: open /admin/ to"
                        + " create one");
            }
            return AdminPages.firstRun(HttpResponseStatus.OK, null);
        }
        switch (path) {
            case LOGIN_PAGE:
                return AdminPages.login(HttpResponseStatus.OK, null);
            case "/admin/login":
                return post(request) ? login(request, false) : methodNotAllowed("POST");
            case "/admin/logout":
                return post(request) ? logout(request) : methodNotAllowed("POST");
            default:
                break;
        }
        Optional<Sessions.Session> session = sessions.use(token(request));
        if (path.startsWith(AdminApi.PREFIX)) {
            if (session.isEmpty()) {
                return AdminApi.error(HttpResponseStatus.UNAUTHORIZED, "not logged in, or the session expired: log"
                        + " in at " + LOGIN_PAGE);
            }
            return api.handle(request, session.get().user());
        }
        if (path.equals("/admin") || path.equals("/admin/") || path.equals("/admin/index.html")) {
            return WebResponse.redirect(session.isPresent() ? HOME : LOGIN_PAGE);
        }
        if (path.equals(HOME)) {
            return session.isPresent() ? AdminPages.pendingPage() : WebResponse.redirect(LOGIN_PAGE);
        }
        return notFound(path);
    }

    private WebResponse setPassword(WebRequest request) throws IOException {
        if (!users.isEmpty()) {
            log.warn("Refused /admin/setpassword from {}: an administrator exists already", request.remoteAddress());
            return WebResponse.text(HttpResponseStatus.FORBIDDEN, "an administrator exists already; log in at "
                    + LOGIN_PAGE + "\n");
        }
        Map<String, String> form = fields(request);
        String user = form.getOrDefault("username", "").trim();
        String p1 = form.getOrDefault("password1", "");
        String p2 = form.getOrDefault("password2", "");
        if (!p1.equals(p2)) {
            return AdminPages.firstRun(HttpResponseStatus.BAD_REQUEST, "the two passwords differ");
        }
        try {
            users.createAdministrator(user, p1.toCharArray());
        } catch (IllegalArgumentException e) {
            return AdminPages.firstRun(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (IllegalStateException e) {
            return WebResponse.text(HttpResponseStatus.FORBIDDEN, e.getMessage() + "\n");
        }
        log.info("Created the web administrator '{}' in {} (request from {})", user, users.file(),
                request.remoteAddress());
        return WebResponse.redirect(LOGIN_PAGE);
    }

    private WebResponse login(WebRequest request, boolean jsonApi) throws IOException {
        boolean json = jsonApi || isJson(request);
        String address = request.remoteAddress();
        if (!throttle.allowed(address)) {
            log.warn("Refused admin login from {}: more than {} failures in {}", address, LoginThrottle.MAX_FAILURES,
                    LoginThrottle.WINDOW);
            String reason = "too many failed logins from " + address + "; wait a minute";
            WebResponse r = json ? AdminApi.error(HttpResponseStatus.TOO_MANY_REQUESTS, reason)
                    : AdminPages.login(HttpResponseStatus.TOO_MANY_REQUESTS, reason);
            return r.withHeader("Retry-After", String.valueOf(LoginThrottle.WINDOW.toSeconds()));
        }
        Map<String, String> form = fields(request);
        String user = form.get("username");
        String password = form.get("password");
        Optional<WebUsers.User> who = user == null || password == null ? Optional.empty()
                : users.authenticate(user, password.toCharArray());
        if (who.isEmpty() || !who.get().isAdmin()) {
            throttle.failed(address);
            log.warn("Failed admin login from {} as '{}'{}", address, printable(user),
                    who.isPresent() ? " (not in group admin)" : "");
            return json ? AdminApi.error(HttpResponseStatus.UNAUTHORIZED, LOGIN_FAILED)
                    : AdminPages.login(HttpResponseStatus.UNAUTHORIZED, LOGIN_FAILED);
        }
        throttle.succeeded(address);
        String token = sessions.create(user);
        log.info("Admin '{}' logged in from {}", user, address);
        String cookie = COOKIE + "=" + token + "; Path=/admin; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "");
        if (jsonApi) {
            return WebResponse.json(HttpResponseStatus.OK, JSON.writeValueAsString(JSON.createObjectNode()
                    .put("access_token", token))).withHeader("Set-Cookie", cookie);
        }
        return WebResponse.redirect(HOME).withHeader("Set-Cookie", cookie);
    }

    private WebResponse logout(WebRequest request) {
        String token = token(request);
        sessions.use(token).ifPresent(s -> log.info("Admin '{}' logged out from {}", s.user(),
                request.remoteAddress()));
        sessions.end(token);
        return WebResponse.redirect(LOGIN_PAGE).withHeader("Set-Cookie", COOKIE
                + "=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : ""));
    }

    /** The session token: the cookie, else {@code Authorization: Bearer} (as VOLTTRON's get_bearer, §5). */
    private static String token(WebRequest request) {
        Optional<String> auth = request.header("Authorization");
        if (auth.isPresent() && auth.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.get().substring(7).trim();
        }
        Optional<String> header = request.header("Cookie");
        if (header.isEmpty()) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.STRICT.decode(header.get())) {
            if (c.name().equals(COOKIE)) {
                return c.value();
            }
        }
        return null;
    }

    /** The fields of a form ({@code application/x-www-form-urlencoded}) or JSON object body; strings only. */
    private static Map<String, String> fields(WebRequest request) {
        Map<String, String> out = new HashMap<>();
        if (isJson(request)) {
            try {
                JsonNode node = JSON.readTree(request.bodyText());
                if (node != null && node.isObject()) {
                    node.fields().forEachRemaining(e -> {
                        if (e.getValue().isTextual()) {
                            out.put(e.getKey(), e.getValue().textValue());
                        }
                    });
                }
            } catch (JsonProcessingException e) {
                log.info("Unreadable JSON body on {} from {}: {}", request.path(), request.remoteAddress(),
                        e.getOriginalMessage());
            }
            return out;
        }
        QueryStringDecoder form = new QueryStringDecoder(request.bodyText(), StandardCharsets.UTF_8, false,
                MAX_FORM_FIELDS);
        for (Map.Entry<String, List<String>> e : form.parameters().entrySet()) {
            out.put(e.getKey(), e.getValue().get(0));
        }
        return out;
    }

    private static boolean isJson(WebRequest request) {
        return request.header("Content-Type").map(t -> t.toLowerCase(Locale.ROOT).contains("application/json"))
                .orElse(false);
    }

    private static boolean post(WebRequest request) {
        return request.method().equals(HttpMethod.POST);
    }

    private static WebResponse methodNotAllowed(String allow) {
        return WebResponse.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + allow + "\n")
                .withHeader("Allow", allow);
    }

    private static WebResponse notFound(String path) {
        return WebResponse.text(HttpResponseStatus.NOT_FOUND, "no such admin page: " + path + "\n");
    }

    /** A user name as typed, made safe for one log line. */
    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
