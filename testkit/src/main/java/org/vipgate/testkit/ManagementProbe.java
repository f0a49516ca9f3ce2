package org.vipgate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A minimal client of the RabbitMQ management HTTP API for tests: independent of vipgate's own client,
 * so that what vipgate declares is read back by something else.
 */
public final class ManagementProbe {

    /** Per-request limit, so that a test never hangs on a broker that stopped answering. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final URI base;
    private final String authorization;

    public ManagementProbe(URI base, String user, String password) {
        this.base = base;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Encodes one path segment, such as a vhost or exchange name ({@code /} becomes {@code %2F}). */
    public static String segment(String raw) {
        return URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GET {@code /api/<path>}; returns the JSON body, or null on 404. Other failures throw. */
    public JsonNode get(String path) {
        HttpResponse<String> response = send("GET", path, null);
        if (response.statusCode() == 404) {
            return null;
        }
        expectSuccess("GET", path, response);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET /api/" + path + ": body is not JSON", e);
        }
    }

    /** PUT {@code /api/<path>} with a JSON body; throws unless the broker answers 2xx. */
    public void put(String path, String jsonBody) {
        expectSuccess("PUT", path, send("PUT", path, jsonBody));
    }

    /** DELETE {@code /api/<path>}; a 404 counts as done. */
    public void delete(String path) {
        HttpResponse<String> response = send("DELETE", path, null);
        if (response.statusCode() != 404) {
            expectSuccess("DELETE", path, response);
        }
    }

    /** True when the API answers {@code /api/overview} with 200 right now. */
    public boolean answers() {
        try {
            return send("GET", "overview", null).statusCode() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/" + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + base + "/api/" + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " /api/" + path, e);
        }
    }

    private static void expectSuccess(String method, String path, HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " /api/" + path + " answered " + response.statusCode()
                    + ": " + response.body());
        }
    }
}
