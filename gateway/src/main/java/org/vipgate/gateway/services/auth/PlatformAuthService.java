package org.vipgate.gateway.services.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.services.ServiceLink;
import org.vipgate.gateway.services.config.ConfigStoreService;
import org.vipgate.gateway.services.rpc.CallOutcome;
import org.vipgate.gateway.services.rpc.RpcError;
import org.vipgate.gateway.services.rpc.RpcException;
import org.vipgate.gateway.services.rpc.RpcParams;
import org.vipgate.gateway.services.rpc.RpcService;
import org.vipgate.gateway.vip.PythonJsonWriter;
import org.vipgate.gateway.vip.VipMessage;
import org.vipgate.gateway.zmq.auth.AuthFile;
import org.vipgate.gateway.zmq.pubsub.ProtectedTopics;
import org.vipgate.gateway.zmq.pubsub.ProtectedTopicsFile;

/**
 * The platform's {@code platform.auth} (docs/protocol/platform-services.md, "platform.auth"): the capabilities,
 * RPC authorizations and protected topics of the site's own {@code auth.json} and {@code protected_topics.json},
 * answered to both client generations, and followed live.
 *
 * <p>VOLTTRON 9 agents ask {@code get_user_to_capabilities} before running a method guarded by
 * {@code @RPC.allow}, and report their own guarded methods with {@code update_id_rpc_authorizations};
 * eclipse-volttron agents ask {@code get_protected_rpcs} before their first call and {@code check_rpc_authorization}
 * and {@code check_pubsub_authorization} on the way. When auth.json changes, every connected agent gets
 * {@code auth.update} with the new map and the router's pubsub service gets {@code auth_update}, as on VOLTTRON;
 * unlike VOLTTRON the pubsub service also gets the map at start, so protected topics do not fail open until the
 * first edit.
 *
 * <p>Changing auth.json through this service is limited to an agent's own {@code update_id_rpc_authorizations};
 * the administrative methods of VOLTTRON's auth agent are refused with a text that says to edit the file, which
 * vipgate follows.
 */
public final class PlatformAuthService extends RpcService {

    /** Both generations' identity. */
    public static final String IDENTITY = "platform.auth";
    /** How often auth.json and protected_topics.json are looked at. */
    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    /** How long a push of {@code auth.update} waits for the agent's answer (only logged). */
    public static final Duration PUSH_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(PlatformAuthService.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the platform's own services need of agents' guarded methods (docs/protocol/platform-services.md). */
    private static final Map<String, Map<String, Object>> SERVICE_GRANTS = serviceGrants();

    private final AuthFile file;
    private final ProtectedTopicsFile topicsFile;
    private volatile AuthModel model;
    private ProtectedTopics topics = ProtectedTopics.empty();
    private long nextCheck;
    private boolean announced;

    /**
     * @param file       the site's auth.json (its own instance: this service reads and writes it on the router
     *                   thread)
     * @param topicsFile the site's protected_topics.json
     */
    public PlatformAuthService(AuthFile file, ProtectedTopicsFile topicsFile) {
        this.file = file;
        this.topicsFile = topicsFile;
        this.model = AuthModel.of(file);
        topicsFile.reloadIfChanged().ifPresent(t -> topics = t);
    }

    @Override
    public List<String> identities() {
        return List.of(IDENTITY);
    }

    @Override
    public boolean reserved() {
        return true;
    }

    /** The current model; any thread (the config store asks it). */
    public AuthModel model() {
        return model;
    }

    private static Map<String, Map<String, Object>> serviceGrants() {
        Map<String, Map<String, Object>> grants = new LinkedHashMap<>();
        Map<String, Object> sync = new LinkedHashMap<>();
        sync.put("sync_agent_config", null);
        grants.put(ConfigStoreService.IDENTITY, sync);
        grants.put(ConfigStoreService.ECLIPSE_IDENTITY, sync);
        Map<String, Object> modify = new LinkedHashMap<>();
        modify.put("modify_rpc_method_allowance", null);
        grants.put(IDENTITY, modify);
        return grants;
    }

    /** {@code get_user_to_capabilities}: every user's capabilities, plus what the platform's services hold. */
    private ObjectNode userToCapabilities() {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>(model.userToCapabilities());
        SERVICE_GRANTS.forEach(all::putIfAbsent);
        return JSON.valueToTree(all);
    }

    @Override
    protected Answer handle(Call call, ServiceLink link) throws RpcException {
        RpcParams p = call.params();
        String m = call.method();
        return switch (m) {
            case "get_user_to_capabilities" -> {
                p.only(m);
                yield new Result(userToCapabilities());
            }
            case "get_authorizations" -> new Result(JSON.valueToTree(model.authorizations(
                    p.only(m, "user_id").text(0, "user_id"))));
            case "get_capabilities" -> new Result(JSON.valueToTree(model.capabilitiesOf(
                    p.only(m, "user_id").text(0, "user_id"))));
            case "get_groups" -> new Result(JSON.valueToTree(model.groupsOf(p.only(m, "user_id").text(0,
                    "user_id"))));
            case "get_roles" -> new Result(JSON.valueToTree(model.rolesOf(p.only(m, "user_id").text(0,
                    "user_id"))));
            case "update_id_rpc_authorizations" -> updateRpcAuthorizations(call, p.only(m, "identity",
                    "method_allow_dict"));
            case "get_protected_rpcs" -> new Result(JSON.valueToTree(model.protectedRpcs(
                    p.only(m, "identity").text(0, "identity"))));
            case "check_rpc_authorization" -> checkRpc(p.only(m, "identity", "method_name", "method_args"));
            case "check_pubsub_authorization" -> checkPubsub(p.only(m, "identity", "topic_pattern", "access"));
            default -> {
                if (ADMIN_METHODS.contains(m) || m.startsWith("auth_file.")) {
                    throw new RpcException(RpcError.raised("builtins.NotImplementedError", "'" + m + "': vipgate's "
                            + IDENTITY + " does not change auth.json for other agents; edit " + file.file()
                            + " (vipgate follows it within a second), or use 'vipgate auth remote' for"
                            + " certificate requests"));
                }
                throw new RpcException(RpcError.methodNotFound(m));
            }
        };
    }

    private static final List<String> ADMIN_METHODS = List.of("add_rpc_authorizations",
            "delete_rpc_authorizations", "approve_authorization", "deny_authorization", "delete_authorization",
            "get_authorization", "get_authorization_status", "get_pending_authorizations",
            "get_approved_authorizations", "get_denied_authorizations", "get_authorization_pending",
            "get_authorization_approved", "get_authorization_denied");

    /** An agent reports its own guarded methods; the entry in auth.json wins where it already has values. */
    private Answer updateRpcAuthorizations(Call call, RpcParams p) throws RpcException {
        String identity = p.text(0, "identity");
        if (!identity.equals(call.caller()) && !PlatformIdentities.isPlatformIdentity(call.caller())) {
            throw new RpcException(RpcError.unauthorized("'" + call.caller() + "' may report the RPC"
                    + " authorizations of its own identity only, not of '" + identity + "'"));
        }
        JsonNode dict = p.get(1, "method_allow_dict");
        if (dict == null || !dict.isObject()) {
            throw new RpcException(RpcError.invalidParams("method_allow_dict must be an object {method:"
                    + " [capability, ...]}"));
        }
        Map<String, List<String>> methods = new LinkedHashMap<>();
        var fields = dict.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            List<String> caps = new java.util.ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(c -> caps.add(c.asText()));
            } else if (e.getValue().isTextual()) {
                caps.add(e.getValue().textValue());
            }
            methods.put(e.getKey(), caps);
        }
        try {
            Map<String, List<String>> merged = RpcAuthorizationUpdates.updateIdRpcAuthorizations(file, identity,
                    methods);
            reload();
            return new Result(merged == null ? NullNode.getInstance() : JSON.valueToTree(merged));
        } catch (ConfigException e) {
            LOG.warn("platform.auth: cannot record the RPC authorizations of '{}' in {}: {}", identity, file.file(),
                    e.getMessage());
            throw new RpcException(RpcError.raised("builtins.OSError", e.getMessage()));
        }
    }

    private Answer checkRpc(RpcParams p) throws RpcException {
        String identity = p.text(0, "identity");
        String methodName = p.text(1, "method_name");
        JsonNode args = p.get(2, "method_args");
        Map<String, Object> bound = args != null && args.isObject()
                ? JSON.convertValue(args, JSON.getTypeFactory().constructMapType(Map.class, String.class,
                Object.class)) : Map.of();
        RpcAuthorization decision = EclipseAuthorization.checkRpc(model, identity, methodName, bound);
        if (decision instanceof RpcAuthorization.Denied d) {
            throw new RpcException(RpcError.raised("AuthException", d.text()));
        }
        return new Result(BooleanNode.TRUE);
    }

    private Answer checkPubsub(RpcParams p) throws RpcException {
        String identity = p.text(0, "identity");
        String topic = p.text(1, "topic_pattern");
        String access = p.text(2, "access", "publish");
        return new Result(BooleanNode.valueOf(EclipseAuthorization.checkPubsub(model, topics, identity, topic,
                access)));
    }

    @Override
    public void tick(long nowNanos, ServiceLink link) {
        super.tick(nowNanos, link);
        if (!announced) {
            announced = true;
            tellPubSub(link); // vipgate, unlike VOLTTRON, also at start: protected topics never fail open
        }
        if (nowNanos - nextCheck < 0) {
            return;
        }
        nextCheck = nowNanos + CHECK_INTERVAL.toNanos();
        topicsFile.reloadIfChanged().ifPresent(t -> topics = t);
        if (file.reloadIfChanged()) {
            AuthModel before = model;
            reload();
            LOG.info("platform.auth: {} changed; telling {} agents and the pubsub service", file.file(),
                    link.peers().size());
            push(link, before);
        }
    }

    private void reload() {
        model = AuthModel.of(file);
    }

    /** What VOLTTRON pushes after an edit: {@code auth.update} to every agent, changed method rules, pubsub. */
    private void push(ServiceLink link, AuthModel before) {
        ObjectNode caps = userToCapabilities();
        for (String peer : link.peers()) {
            if ("control.connection".equals(peer)) {
                continue;
            }
            ArrayNode params = NODES.arrayNode().add(caps);
            callAgent(link, IDENTITY, peer, "auth.update", params, PUSH_TIMEOUT, outcome -> logPush("auth.update",
                    peer, outcome));
            Map<String, List<String>> rules = model.rpcMethodAuthorizations(peer);
            if (!Objects.equals(rules, before.rpcMethodAuthorizations(peer)) && !rules.isEmpty()) {
                ObjectNode kwargs = NODES.objectNode();
                kwargs.set("rpc_authorizations", JSON.valueToTree(rules));
                callAgent(link, IDENTITY, peer, "auth.set_multiple_rpc_authorizations", kwargs, PUSH_TIMEOUT,
                        outcome -> logPush("auth.set_multiple_rpc_authorizations", peer, outcome));
            }
        }
        tellPubSub(link);
    }

    private static void logPush(String method, String peer, CallOutcome outcome) {
        if (outcome instanceof CallOutcome.Returned) {
            LOG.debug("platform.auth: {} taken by '{}'", method, peer);
        } else {
            LOG.info("platform.auth: {} to '{}' not taken: {}", method, peer, outcome);
        }
    }

    /** {@code pubsub auth_update {"capabilities": ...}} to the router's pubsub service. */
    private void tellPubSub(ServiceLink link) {
        ObjectNode body = NODES.objectNode();
        body.set("capabilities", userToCapabilities());
        link.send(IDENTITY, "", VipMessage.frame(""), "pubsub", List.of(VipMessage.frame("auth_update"),
                VipMessage.frame(PythonJsonWriter.dumps(body, true))));
    }
}
