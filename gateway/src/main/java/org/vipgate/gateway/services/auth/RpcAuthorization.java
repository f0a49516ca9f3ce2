package org.vipgate.gateway.services.auth;

import java.util.Objects;

/** The answer to Eclipse VOLTTRON's {@code check_rpc_authorization}: the call may go ahead, or it is refused. */
public sealed interface RpcAuthorization {

    /** The call is allowed (the method is not protected, or the caller holds what it requires). */
    record Allowed() implements RpcAuthorization {
    }

    /**
     * The call is refused.
     *
     * @param text what the caller should be told (the JSON-RPC error's detail)
     */
    record Denied(String text) implements RpcAuthorization {
        public Denied {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The single {@link Allowed} value. */
    RpcAuthorization ALLOWED = new Allowed();
}
