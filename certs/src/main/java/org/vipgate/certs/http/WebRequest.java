package org.vipgate.certs.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as a route sees it: already aggregated and bounded by the server (body size, header size).
 *
 * @param method  the HTTP method
 * @param path    the decoded path without query, e.g. {@code /discovery/}
 * @param query   the decoded query parameters
 * @param headers the request headers (names are case-insensitive)
 * @param body    the body bytes, never null (empty when there is none)
 * @param remote  the client's address, as the TCP connection shows it
 */
public record WebRequest(HttpMethod method, String path, Map<String, List<String>> query, HttpHeaders headers,
                         byte[] body, InetSocketAddress remote) {

    public WebRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        Objects.requireNonNull(headers, "headers");
        body = body == null ? new byte[0] : body;
        Objects.requireNonNull(remote, "remote");
    }

    /** Splits {@code uri} into path and query. */
    public static WebRequest of(HttpMethod method, String uri, HttpHeaders headers, byte[] body,
                                InetSocketAddress remote) {
        QueryStringDecoder decoder = new QueryStringDecoder(uri);
        return new WebRequest(method, decoder.path(), decoder.parameters(), headers, body, remote);
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of a header, if present. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** The client's IP address as text, e.g. {@code 127.0.0.1}. */
    public String remoteAddress() {
        return remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
    }
}
