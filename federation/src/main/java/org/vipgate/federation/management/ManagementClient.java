package org.vipgate.federation.management;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.vipgate.federation.Causes;

/**
 * A client of the RabbitMQ management HTTP API, for the calls vipgate makes.
 *
 * <p>Every call either succeeds, or throws a {@link ManagementException} that says whether the API was
 * unreachable (worth retrying), refused the credentials, or answered with an error. Reads return
 * {@link Optional#empty()} for a 404. Thread-safe.
 */
public final class ManagementClient {

    /** Connect limit; the management API is local or on a site link, never slow to accept. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Per-request limit, so that no caller waits forever on a stuck broker. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManagementEndpoint endpoint;
    private final HttpClient http;
    private final String authorization;

    public ManagementClient(ManagementEndpoint endpoint) {
        this.endpoint = endpoint;
        // HTTP/1.1: the JDK client would otherwise try an h2c upgrade, which the broker's web server drops on PUT.
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT);
        endpoint.tls().ifPresent(builder::sslContext);
        this.http = builder.build();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (endpoint.user() + ":" + endpoint.password()).getBytes(StandardCharsets.UTF_8));
    }

    public ManagementEndpoint endpoint() {
        return endpoint;
    }

    /** GET /api/overview: the broker's node name, versions, listeners. */
    public JsonNode overview() throws ManagementException {
        return get("overview").orElseThrow(() -> failed("GET", "overview", 404, ""));
    }

    /** True when the vhost exists. */
    public boolean vhostExists(String vhost) throws ManagementException {
        return get("vhosts/" + segment(vhost)).isPresent();
    }

    /** Creates the vhost; succeeds when it exists already (vip-rabbitmq.md §1.1: PUT with body {}). */
    public void createVhost(String vhost) throws ManagementException {
        put("vhosts/" + segment(vhost), "{}");
    }

    /** The user's permissions on the vhost, if any. */
    public Optional<Permissions> permissions(String vhost, String user) throws ManagementException {
        return get("permissions/" + segment(vhost) + "/" + segment(user))
                .map(n -> new Permissions(n.path("configure").asText(), n.path("write").asText(),
                        n.path("read").asText()));
    }

    /** Sets the user's permissions on the vhost, replacing what was there. */
    public void setPermissions(String vhost, String user, Permissions permissions) throws ManagementException {
        put("permissions/" + segment(vhost) + "/" + segment(user), toJson(Map.of(
                "configure", permissions.configure(), "write", permissions.write(), "read", permissions.read())));
    }

    /** The exchange, if it exists. */
    public Optional<ExchangeInfo> exchange(String vhost, String name) throws ManagementException {
        return get("exchanges/" + segment(vhost) + "/" + segment(name)).map(n -> new ExchangeInfo(
                n.path("vhost").asText(), n.path("name").asText(), n.path("type").asText(),
                n.path("durable").asBoolean(), n.path("auto_delete").asBoolean(), n.path("internal").asBoolean(),
                JSON.convertValue(n.path("arguments"), new TypeReference<Map<String, Object>>() { })));
    }

    /** Deletes the vhost and everything in it; succeeds when it does not exist. */
    public void deleteVhost(String vhost) throws ManagementException {
        delete("vhosts/" + segment(vhost));
    }

    /** Encodes one path segment: vhost {@code /} becomes {@code %2F}. */
    static String segment(String raw) {
        return URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Optional<JsonNode> get(String path) throws ManagementException {
        HttpResponse<String> response = send("GET", path, null);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        check("GET", path, response);
        try {
            return Optional.of(JSON.readTree(response.body()));
        } catch (JsonProcessingException e) {
            throw failed("GET", path, response.statusCode(), "answer is not JSON: " + e.getOriginalMessage());
        }
    }

    private void put(String path, String body) throws ManagementException {
        check("PUT", path, send("PUT", path, body));
    }

    private void delete(String path) throws ManagementException {
        HttpResponse<String> response = send("DELETE", path, null);
        if (response.statusCode() != 404) {
            check("DELETE", path, response);
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws ManagementException {
        URI uri = URI.create(endpoint.baseUri() + "/api/" + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ManagementException.Unreachable("RabbitMQ management API at " + endpoint.baseUri()
                    + " unreachable (" + method + " /api/" + path + "): " + Causes.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManagementException.Unreachable("interrupted during " + method + " " + uri, e);
        }
    }

    private void check(String method, String path, HttpResponse<String> response) throws ManagementException {
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        if (status == 401 || status == 403) {
            throw new ManagementException.Unauthorized("RabbitMQ management API at " + endpoint.baseUri()
                    + " refused user '" + endpoint.user() + "' (" + status + " on " + method + " /api/" + path
                    + "): check the user and password, and that the user has the management tag", status);
        }
        throw failed(method, path, status, response.body());
    }

    private ManagementException.Failed failed(String method, String path, int status, String body) {
        return new ManagementException.Failed("RabbitMQ management API at " + endpoint.baseUri() + ": "
                + method + " /api/" + path + " answered " + status + (body.isBlank() ? "" : ": " + body),
                status, body);
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
        }
    }
}
