package org.vipgate.certs.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a route answers. The server adds {@code Content-Length}, {@code Connection} and the security headers.
 *
 * @param status      the HTTP status
 * @param contentType e.g. {@code application/json}
 * @param body        the body bytes
 * @param headers     extra headers (e.g. {@code Location}, {@code Set-Cookie}), in order
 */
public record WebResponse(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {

    public WebResponse {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(contentType, "contentType");
        body = body == null ? new byte[0] : body;
        headers = Map.copyOf(headers);
    }

    /** A JSON body, already serialized. */
    public static WebResponse json(HttpResponseStatus status, String json) {
        return new WebResponse(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A plain-text body, e.g. the reason for a 4xx. */
    public static WebResponse text(HttpResponseStatus status, String text) {
        return new WebResponse(status, "text/plain; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** An HTML page. */
    public static WebResponse html(HttpResponseStatus status, String html) {
        return new WebResponse(status, "text/html; charset=UTF-8", html.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** 303 See Other to {@code location}. */
    public static WebResponse redirect(String location) {
        return new WebResponse(HttpResponseStatus.SEE_OTHER, "text/plain; charset=UTF-8", new byte[0],
                Map.of("Location", location));
    }

    /** A copy with one more header. */
    public WebResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new WebResponse(status, contentType, body, h);
    }
}
