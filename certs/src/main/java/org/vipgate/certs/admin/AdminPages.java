package org.vipgate.certs.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import org.vipgate.certs.http.WebResponse;

/**
 * The admin HTML: the first-run and login forms (made here, with every inserted text escaped) and the static
 * files of the CSR page (classpath resources under {@code org/vipgate/certs/admin/}). No inline script or style,
 * so the server's strict Content-Security-Policy holds.
 */
final class AdminPages {

    static final String STATIC_PREFIX = "/admin/static/";
    /** The static files and their types; nothing else is served from the classpath. */
    private static final Map<String, String> STATIC_FILES = Map.of(
            "admin.js", "text/javascript; charset=UTF-8",
            "admin.css", "text/css; charset=UTF-8");
    static final String PENDING_PAGE = "pending_auth_reqs.html";

    private AdminPages() {
    }

    /** §5 first.html: create the administrator; posts username, password1, password2 to /admin/setpassword. */
    static WebResponse firstRun(HttpResponseStatus status, String error) {
        return WebResponse.html(status, page("Create the administrator", """
                <h1>vipgate: create the administrator</h1>
                <p>No administrator exists yet. Choose a user name and a password (at least %d characters).</p>
                %s
                <form id="setpassword" method="post" action="/admin/setpassword">
                  <label>User name <input id="username" name="username" autocomplete="username" required></label>
                  <label>Password <input id="password1" name="password1" type="password" autocomplete="new-password" required></label>
                  <label>Password again <input id="password2" name="password2" type="password" autocomplete="new-password" required></label>
                  <button id="create" type="submit">Create</button>
                </form>
                """.formatted(WebUsers.MIN_PASSWORD_LENGTH, errorLine(error))));
    }

    /** The login form; posts username and password to /admin/login. */
    static WebResponse login(HttpResponseStatus status, String error) {
        return WebResponse.html(status, page("Log in", """
                <h1>vipgate administration: log in</h1>
                %s
                <form id="login" method="post" action="/admin/login">
                  <label>User name <input id="username" name="username" autocomplete="username" required></label>
                  <label>Password <input id="password" name="password" type="password" autocomplete="current-password" required></label>
                  <button id="submit" type="submit">Log in</button>
                </form>
                """.formatted(errorLine(error))));
    }

    /** The CSR page. */
    static WebResponse pendingPage() {
        return WebResponse.html(HttpResponseStatus.OK, resource(PENDING_PAGE));
    }

    /** A static file, if it is one of ours. */
    static Optional<WebResponse> staticFile(String path) {
        String name = path.substring(STATIC_PREFIX.length());
        String type = STATIC_FILES.get(name);
        if (type == null) {
            return Optional.empty();
        }
        return Optional.of(new WebResponse(HttpResponseStatus.OK, type,
                resource(name).getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of()));
    }

    private static String errorLine(String error) {
        return error == null ? "" : "<p id=\"error\" class=\"error\">" + escape(error) + "</p>";
    }

    private static String page(String title, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head><meta charset="utf-8"><title>%s</title>
                <link rel="stylesheet" href="/admin/static/admin.css"></head>
                <body>
                %s</body>
                </html>
                """.formatted(escape(title), body);
    }

    /** HTML text and attribute escaping. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String resource(String name) {
        try (InputStream in = AdminPages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource org/vipgate/certs/admin/" + name + " is missing from the"
                        + " jar; the build is broken");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }
}
