package org.vipgate.gateway.services.standin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.vipgate.gateway.services.ServiceLink;
import org.vipgate.gateway.services.rpc.RpcError;
import org.vipgate.gateway.services.rpc.RpcException;
import org.vipgate.gateway.services.rpc.RpcService;

/**
 * Stands in for VOLTTRON's {@code control} agent and its {@code platform.health} service while no agent holds those
 * identities (docs/protocol/platform-services.md, "Other platform peers"). It answers what vipgate knows for certain
 * (who is connected, the server key) and refuses the rest at once, naming what is missing: vipgate runs no agents of
 * its own, so installing, starting and listing agents are not its business.
 */
public final class ControlStandIn extends RpcService {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String serverKey;

    /** @param serverKey the platform's public key, empty without authentication */
    public ControlStandIn(String serverKey) {
        this.serverKey = serverKey;
    }

    @Override
    public List<String> identities() {
        return List.of("control", "platform.control", "platform.health");
    }

    @Override
    public boolean reserved() {
        return false;
    }

    @Override
    protected Answer handle(Call call, ServiceLink link) throws RpcException {
        return switch (call.method()) {
            case "peerlist" -> new Result(peers(link));
            case "serverkey" -> new Result(TextNode.valueOf(serverKey));
            case "identity_exists" -> new Result(BooleanNode.valueOf(
                    link.isPeer(call.params().only("identity_exists", "identity").text(0, "identity"))));
            case "get_platform_health" -> new Result(health(link));
            default -> throw new RpcException(RpcError.raised("builtins.NotImplementedError", "'" + call.method()
                    + "' on '" + call.calledAs() + "': vipgate is a gateway, not a VOLTTRON platform with an agent"
                    + " installer; it answers peerlist, serverkey, identity_exists and get_platform_health only."
                    + " Manage agents with your own process manager, and use 'vipgate stats' for the router"));
        };
    }

    private static ArrayNode peers(ServiceLink link) {
        ArrayNode out = NODES.arrayNode();
        link.peers().forEach(out::add);
        return out;
    }

    /** Every connected agent with what vipgate can vouch for: that it is connected, not how it feels. */
    private static ObjectNode health(ServiceLink link) {
        ObjectNode out = NODES.objectNode();
        for (String peer : link.peers()) {
            ObjectNode p = out.putObject(peer);
            p.put("peer", peer);
            p.put("connected", true);
            p.put("status", "UNKNOWN");
            p.put("message", "connected to vipgate; vipgate does not collect heartbeats");
        }
        return out;
    }
}
