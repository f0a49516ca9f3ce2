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
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
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
    private static final JsonNode EMPTY = JSON.createArrayNode();

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

    /** True when the user exists. */
    public boolean userExists(String user) throws ManagementException {
        return get("users/" + segment(user)).isPresent();
    }

    /**
     * Creates a user that can only log in with a client certificate (SASL EXTERNAL): no password at all, and only the
     * given tags (none for agents; VOLTTRON gives every user the administrator tag, certs-csr-discovery.md §2.3 and
     * vip-rabbitmq.md §7.4, vipgate never does). An existing user keeps its password and gets these tags.
     */
    public void createCertificateUser(String user, String tags) throws ManagementException {
        put("users/" + segment(user), toJson(Map.of("password_hash", "", "tags", tags)));
    }

    /** Deletes the user; succeeds when it does not exist. */
    public void deleteUser(String user) throws ManagementException {
        delete("users/" + segment(user));
    }

    /** The user's tags, if the user exists. */
    public Optional<String> userTags(String user) throws ManagementException {
        return get("users/" + segment(user)).map(n -> n.path("tags").isArray()
                ? String.join(",", JSON.convertValue(n.path("tags"), new TypeReference<List<String>>() { }))
                : n.path("tags").asText());
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

    /** GET /api/parameters/<component>/<vhost>/<name>: the parameter, if it exists. */
    public Optional<RuntimeParameter> parameter(String component, String vhost, String name)
            throws ManagementException {
        return get(parameterPath(component, vhost, name)).map(n -> toParameter(component, vhost, n));
    }

    /** GET /api/parameters/<component>/<vhost>: every parameter of the component; empty when none. */
    public List<RuntimeParameter> parameters(String component, String vhost) throws ManagementException {
        List<RuntimeParameter> out = new ArrayList<>();
        for (JsonNode n : get("parameters/" + segment(component) + "/" + segment(vhost)).orElse(EMPTY)) {
            out.add(toParameter(component, vhost, n));
        }
        return out;
    }

    /**
     * PUT /api/parameters/<component>/<vhost>/<name> with the body of vip-rabbitmq.md §5.4 step 2 and §6.2:
     * {@code {"vhost", "component", "name", "value"}}. Creates or replaces it.
     */
    public void putParameter(String component, String vhost, String name, JsonNode value) throws ManagementException {
        put(parameterPath(component, vhost, name), toJson(parameterBody(component, vhost, name, value)));
    }

    /** The request body of {@link #putParameter}, in the key order VOLTTRON sends. */
    public static Map<String, Object> parameterBody(String component, String vhost, String name, JsonNode value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("vhost", vhost);
        body.put("component", component);
        body.put("name", name);
        body.put("value", value);
        return body;
    }

    /** DELETE /api/parameters/<component>/<vhost>/<name>; succeeds when it does not exist. */
    public void deleteParameter(String component, String vhost, String name) throws ManagementException {
        delete(parameterPath(component, vhost, name));
    }

    /** GET /api/policies/<vhost>/<name>: the policy, if it exists. */
    public Optional<Policy> policy(String vhost, String name) throws ManagementException {
        return get("policies/" + segment(vhost) + "/" + segment(name)).map(n -> new Policy(n.path("name").asText(name),
                n.path("pattern").asText(), n.path("definition"), n.path("priority").asInt(),
                n.path("apply-to").asText()));
    }

    /** PUT /api/policies/<vhost>/<name> with {@link #policyBody}; creates or replaces it. */
    public void putPolicy(String vhost, Policy policy) throws ManagementException {
        put("policies/" + segment(vhost) + "/" + segment(policy.name()), toJson(policyBody(policy)));
    }

    /** The body of a policy PUT, in vip-rabbitmq.md §5.4 step 3's key order: pattern, definition, priority, apply-to. */
    public static Map<String, Object> policyBody(Policy policy) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pattern", policy.pattern());
        body.put("definition", policy.definition());
        body.put("priority", policy.priority());
        body.put("apply-to", policy.applyTo());
        return body;
    }

    /** DELETE /api/policies/<vhost>/<name>; succeeds when it does not exist. */
    public void deletePolicy(String vhost, String name) throws ManagementException {
        delete("policies/" + segment(vhost) + "/" + segment(name));
    }

    /** GET /api/federation-links/<vhost>: every federation link of the vhost with its status (§5.4 step 4). */
    public List<FederationLinkInfo> federationLinks(String vhost) throws ManagementException {
        List<FederationLinkInfo> out = new ArrayList<>();
        for (JsonNode n : get("federation-links/" + segment(vhost)).orElse(EMPTY)) {
            out.add(new FederationLinkInfo(n.path("upstream").asText(), n.path("vhost").asText(vhost),
                    n.path("exchange").asText(n.path("queue").asText()), n.path("status").asText("unknown"),
                    peer(n.path("uri").asText()), text(n, "error"), text(n, "timestamp")));
        }
        return out;
    }

    /** GET /api/shovels/<vhost>: every shovel of the vhost with its state (vip-rabbitmq.md §6.2). */
    public List<ShovelInfo> shovels(String vhost) throws ManagementException {
        List<ShovelInfo> out = new ArrayList<>();
        for (JsonNode n : get("shovels/" + segment(vhost)).orElse(EMPTY)) {
            out.add(new ShovelInfo(n.path("name").asText(), n.path("vhost").asText(vhost),
                    n.path("state").asText("unknown"), peer(n.path("dest_uri").asText()), text(n, "reason"),
                    text(n, "timestamp")));
        }
        return out;
    }

    /** The queue, if it exists. */
    public Optional<QueueInfo> queue(String vhost, String name) throws ManagementException {
        return get("queues/" + segment(vhost) + "/" + segment(name)).map(n -> new QueueInfo(vhost, name,
                n.path("durable").asBoolean(), n.path("auto_delete").asBoolean(), n.path("messages").asLong()));
    }

    /** Declares a durable, not auto-deleted classic queue; succeeds when it exists with the same properties. */
    public void declareDurableQueue(String vhost, String name) throws ManagementException {
        put("queues/" + segment(vhost) + "/" + segment(name),
                toJson(Map.of("durable", true, "auto_delete", false, "arguments", Map.of())));
    }

    /**
     * Deletes the queue only when it holds no message; succeeds when it does not exist.
     *
     * @return false when it was kept because messages wait in it
     */
    public boolean deleteQueueIfEmpty(String vhost, String name) throws ManagementException {
        String path = "queues/" + segment(vhost) + "/" + segment(name);
        HttpResponse<String> response = send("DELETE", path + "?if-empty=true", null);
        if (response.statusCode() == 404) {
            return true;
        }
        if (response.statusCode() == 400 && response.body().contains("not empty")) {
            return false;
        }
        check("DELETE", path, response);
        return true;
    }

    /** The routing keys that bind {@code exchange} to {@code queue}. */
    public List<String> bindingKeys(String vhost, String exchange, String queue) throws ManagementException {
        List<String> keys = new ArrayList<>();
        for (JsonNode n : get("bindings/" + segment(vhost) + "/e/" + segment(exchange) + "/q/" + segment(queue))
                .orElse(EMPTY)) {
            keys.add(n.path("routing_key").asText());
        }
        return keys;
    }

    /** Binds {@code exchange} to {@code queue} with the routing key; binding twice is no error. */
    public void bind(String vhost, String exchange, String queue, String routingKey) throws ManagementException {
        String path = "bindings/" + segment(vhost) + "/e/" + segment(exchange) + "/q/" + segment(queue);
        HttpResponse<String> response = send("POST", path, toJson(Map.of("routing_key", routingKey)));
        check("POST", path, response);
    }

    /**
     * The address of a link's peer for display: scheme, host, port and path of {@code uri}, without user info
     * (which may hold a password) and without the query (certificate paths); {@code ""} when it is not a URI.
     */
    static String peer(String uri) {
        if (uri == null || uri.isBlank()) {
            return "";
        }
        String s = uri.strip();
        int query = s.indexOf('?');
        if (query >= 0) {
            s = s.substring(0, query);
        }
        int scheme = s.indexOf("://");
        int at = s.indexOf('@');
        if (scheme >= 0 && at > scheme) {
            s = s.substring(0, scheme + 3) + s.substring(at + 1);
        }
        return s;
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return Optional.empty();
        }
        String t = v.isValueNode() ? v.asText() : v.toString();
        return t.isBlank() ? Optional.empty() : Optional.of(t);
    }

    private static String parameterPath(String component, String vhost, String name) {
        return "parameters/" + segment(component) + "/" + segment(vhost) + "/" + segment(name);
    }

    private static RuntimeParameter toParameter(String component, String vhost, JsonNode n) {
        return new RuntimeParameter(n.path("component").asText(component), n.path("vhost").asText(vhost),
                n.path("name").asText(), n.path("value"));
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
