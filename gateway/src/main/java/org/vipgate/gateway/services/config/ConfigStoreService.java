package org.vipgate.gateway.services.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.services.ServiceLink;
import org.vipgate.gateway.services.auth.StoreAccess;
import org.vipgate.gateway.services.rpc.CallOutcome;
import org.vipgate.gateway.services.rpc.RpcError;
import org.vipgate.gateway.services.rpc.RpcException;
import org.vipgate.gateway.services.rpc.RpcParams;
import org.vipgate.gateway.services.rpc.RpcService;

/**
 * The platform's configuration store, {@code config.store} (VOLTTRON 9) and {@code platform.config_store}
 * (eclipse-volttron), on VOLTTRON's own files (docs/protocol/platform-services.md, "Configuration store").
 *
 * <p>Every method agents and {@code vctl config} use is answered, the deprecated {@code manage_*} names included.
 * Changes are written to disk before the push to the agent and before the reply. Pushes ({@code
 * config.initial_update}, {@code config.update}) go only to the identity concerned, one at a time per identity, and
 * wait at most {@link #PUSH_TIMEOUT}; {@code initialize_configs} is always answered, also when the push failed, so no
 * agent waits for ever (VOLTTRON's store can leave one waiting).
 *
 * <p>Who may do what ({@link StoreAccess}): any agent reads and writes its own store; another identity's store
 * needs the platform's own identities or the {@code edit_config_store} capability for that identity in auth.json;
 * {@code list_stores} is open.
 */
public final class ConfigStoreService extends RpcService {

    /** VOLTTRON 9's identity. */
    public static final String IDENTITY = "config.store";
    /** eclipse-volttron's identity. */
    public static final String ECLIPSE_IDENTITY = "platform.config_store";
    /** How long a push waits for the agent; below the 10 s an agent's own {@code set()} waits for the store. */
    public static final Duration PUSH_TIMEOUT = Duration.ofSeconds(5);
    /** Changes waiting to be pushed to one agent; beyond it a change is refused as busy, nothing is queued. */
    public static final int MAX_WAITING_PER_AGENT = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(ConfigStoreService.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ConfigStore store;
    private final StoreAccess access;
    private final Map<String, ArrayDeque<Consumer<Runnable>>> queues = new HashMap<>();

    public ConfigStoreService(ConfigStore store, StoreAccess access) {
        this.store = store;
        this.access = access;
    }

    @Override
    public List<String> identities() {
        return List.of(IDENTITY, ECLIPSE_IDENTITY);
    }

    @Override
    public boolean reserved() {
        return true;
    }

    /** The store itself, for statistics and tests. */
    public ConfigStore store() {
        return store;
    }

    @Override
    protected Answer handle(Call call, ServiceLink link) throws RpcException {
        RpcParams p = call.params();
        String m = call.method();
        try {
            return switch (m) {
                case "initialize_configs" -> initialize(call, link, own(call, p.only(m, "identity")));
                case "set_config", "manage_store" -> set(call, link, p.only(m, "identity", "config_name",
                        "raw_contents", "config_type", "trigger_callback", "send_update"));
                case "delete_config", "manage_delete_config" -> delete(call, link, p.only(m, "identity",
                        "config_name", "trigger_callback", "send_update"));
                case "delete_store", "manage_delete_store" -> deleteStore(call, link, own(call, p.only(m,
                        "identity")));
                case "list_configs", "manage_list_configs" -> new Result(texts(store.listConfigs(
                        own(call, p.only(m, "identity")))));
                case "list_stores", "manage_list_stores" -> {
                    p.only(m);
                    yield new Result(texts(store.listStores()));
                }
                case "get_config", "manage_get" -> get(call, p.only(m, "identity", "config_name", "raw"));
                case "get_metadata", "manage_get_metadata" -> metadata(call, p.only(m, "identity",
                        "config_name"));
                default -> throw new RpcException(RpcError.methodNotFound(m));
            };
        } catch (ConfigStoreException e) {
            throw new RpcException(RpcError.raised(e.excType(), e.detail()));
        }
    }

    /** The {@code identity} argument, once the caller may work on that store. */
    private String own(Call call, RpcParams p) throws RpcException {
        String identity = p.text(0, "identity");
        access.check(call.caller(), call.user(), call.method(), identity);
        return identity;
    }

    private Answer initialize(Call call, ServiceLink link, String identity) {
        serially(identity, call, link, done -> {
            ArrayNode params = NODES.arrayNode();
            ObjectNode configs = params.addObject();
            store.parsedConfigs(identity).forEach(configs::set);
            push(link, call.calledAs(), identity, "config.initial_update", params, outcome -> {
                reply(link, call, NullNode.getInstance()); // always answered: the agent waits without a time-out
                done.run();
            });
        });
        return new Deferred();
    }

    private Answer set(Call call, ServiceLink link, RpcParams p) throws RpcException, ConfigStoreException {
        String identity = own(call, p);
        String name = p.text(1, "config_name");
        String raw = p.text(2, "raw_contents");
        ConfigType type = ConfigType.parse(p.text(3, "config_type", "raw"));
        boolean trigger = p.flag(4, "trigger_callback", true);
        boolean sendUpdate = p.flag(5, "send_update", true);
        Changed changed = store.set(identity, name, raw, type);
        LOG.info("config store: '{}' set {} '{}' of '{}' ({})", call.caller(), changed.action(), changed.storedName(),
                identity, type);
        ObjectNode kwargs = NODES.objectNode();
        kwargs.set("contents", changed.parsed());
        kwargs.put("trigger_callback", trigger);
        return update(call, link, identity, sendUpdate, changed.action(), TextNode.valueOf(changed.storedName()),
                kwargs);
    }

    private Answer delete(Call call, ServiceLink link, RpcParams p) throws RpcException, ConfigStoreException {
        String identity = own(call, p);
        String name = store.delete(identity, p.text(1, "config_name"));
        LOG.info("config store: '{}' deleted '{}' of '{}'", call.caller(), name, identity);
        ObjectNode kwargs = NODES.objectNode();
        kwargs.put("trigger_callback", p.flag(2, "trigger_callback", true));
        return update(call, link, identity, p.flag(3, "send_update", true), "DELETE", TextNode.valueOf(name), kwargs);
    }

    private Answer deleteStore(Call call, ServiceLink link, String identity) throws ConfigStoreException {
        if (!store.deleteStore(identity)) {
            return new Result(NullNode.getInstance());
        }
        LOG.info("config store: '{}' deleted the store of '{}'", call.caller(), identity);
        ObjectNode kwargs = NODES.objectNode();
        kwargs.put("trigger_callback", true);
        return update(call, link, identity, true, "DELETE_ALL", NullNode.getInstance(), kwargs);
    }

    /** Pushes {@code config.update(action, name, **kwargs)} to the agent in turn, then answers the caller. */
    private Answer update(Call call, ServiceLink link, String identity, boolean send, String action, JsonNode name,
                          ObjectNode kwargs) {
        if (!send) {
            return new Result(NullNode.getInstance());
        }
        serially(identity, call, link, done -> {
            ObjectNode params = NODES.objectNode();
            params.putArray("*args").add(action).add(name);
            params.set("**kwargs", kwargs);
            push(link, call.calledAs(), identity, "config.update", params, outcome -> {
                reply(link, call, NullNode.getInstance());
                done.run();
            });
        });
        return new Deferred();
    }

    private Answer get(Call call, RpcParams p) throws RpcException, ConfigStoreException {
        String identity = own(call, p);
        String name = p.text(1, "config_name");
        return new Result(p.flag(2, "raw", true) ? TextNode.valueOf(store.getRaw(identity, name))
                : store.getParsed(identity, name));
    }

    private Answer metadata(Call call, RpcParams p) throws RpcException, ConfigStoreException {
        String identity = own(call, p);
        StoredConfig c = store.getMetadata(identity, p.text(1, "config_name"));
        ObjectNode out = NODES.objectNode();
        out.put("type", c.type().wireName());
        if (c.modified() == null) {
            out.putNull("modified");
        } else {
            out.put("modified", c.modified());
        }
        out.put("data", c.data());
        return new Result(out);
    }

    /**
     * Sends a push to {@code identity} when it can be reached: a connected ZMQ agent, or any agent when the other
     * bus is there (it answers 113 for one that is gone). The outcome is logged; it never reaches the caller.
     */
    private void push(ServiceLink link, String from, String identity, String method, JsonNode params,
                      Consumer<CallOutcome> then) {
        if (!link.isPeer(identity) && !link.hasOtherBus()) {
            LOG.debug("config store: '{}' is not connected; {} not pushed (it gets its state at its next start)",
                    identity, method);
            then.accept(new CallOutcome.Undelivered(113, "No route to host"));
            return;
        }
        callAgent(link, from, identity, method, params, PUSH_TIMEOUT, outcome -> {
            if (outcome instanceof CallOutcome.Failed f) {
                LOG.warn("config store: '{}' refused {}: {} (a VOLTTRON 9 agent accepts pushes only from a caller"
                        + " with capability sync_agent_config, which platform.auth grants config.store)", identity,
                        method, f.error().detail());
            } else if (outcome instanceof CallOutcome.Undelivered u) {
                LOG.info("config store: {} not delivered to '{}': error {} {}", method, identity, u.errno(),
                        u.text());
            } else if (outcome instanceof CallOutcome.TimedOut) {
                LOG.warn("config store: '{}' did not answer {} within {} s; carrying on", identity, method,
                        PUSH_TIMEOUT.toSeconds());
            } else {
                LOG.debug("config store: {} pushed to '{}'", method, identity);
            }
            then.accept(outcome);
        });
    }

    /** Runs pushes to one agent one after the other, as VOLTTRON's per-identity lock does. */
    private void serially(String identity, Call call, ServiceLink link, Consumer<Runnable> job) {
        ArrayDeque<Consumer<Runnable>> q = queues.computeIfAbsent(identity, k -> new ArrayDeque<>());
        if (q.size() >= MAX_WAITING_PER_AGENT) {
            LOG.warn("config store: {} changes for '{}' wait to be pushed; {} from '{}' is answered busy",
                    MAX_WAITING_PER_AGENT, identity, call.method(), call.caller());
            fail(link, call, RpcError.raised("builtins.RuntimeError", "the store of " + identity + " is busy: "
                    + MAX_WAITING_PER_AGENT + " changes wait to be pushed to the agent; try again"));
            return;
        }
        q.add(job);
        if (q.size() == 1) {
            job.accept(() -> next(identity));
        }
    }

    private void next(String identity) {
        ArrayDeque<Consumer<Runnable>> q = queues.get(identity);
        q.poll();
        if (q.isEmpty()) {
            queues.remove(identity);
        } else {
            q.peek().accept(() -> next(identity));
        }
    }

    private static ArrayNode texts(List<String> values) {
        ArrayNode out = NODES.arrayNode();
        values.forEach(out::add);
        return out;
    }
}
