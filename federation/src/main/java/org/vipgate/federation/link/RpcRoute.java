package org.vipgate.federation.link;

import java.util.Objects;

/**
 * One {@code [<local caller identity>, <remote callee identity>]} pair of a shovel's {@code rpc} block
 * (vip-rabbitmq.md §6.1).
 */
public record RpcRoute(String remoteInstance, String caller, String callee) {

    public RpcRoute {
        Objects.requireNonNull(remoteInstance, "remoteInstance");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(callee, "callee");
    }
}
