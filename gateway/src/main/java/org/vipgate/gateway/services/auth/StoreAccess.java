package org.vipgate.gateway.services.auth;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.vipgate.gateway.services.rpc.RpcError;
import org.vipgate.gateway.services.rpc.RpcException;

/**
 * Who may work on which configuration store (docs/protocol/platform-services.md, "Who may edit a store"): an agent
 * on its own store; the platform's own identities on any; anyone else only with the {@code edit_config_store}
 * capability of auth.json, whose {@code identity} restriction (a name or a {@code /regex/}) is honoured as on
 * VOLTTRON 9. VOLTTRON lets anyone read any store; vipgate asks the same of readers, since stores hold passwords.
 */
public final class StoreAccess {

    /** The capability VOLTTRON 9 asks of store writers. */
    public static final String CAPABILITY = "edit_config_store";

    /** The identities of vipgate's own commands ({@code vipgate config}), which connect with the platform's key. */
    public static final String CLI_PREFIX = "vipgate.cli.";

    private final Supplier<AuthModel> model;

    /** @param model the current auth.json model (followed live) */
    public StoreAccess(Supplier<AuthModel> model) {
        this.model = model;
    }

    /** Everyone may do everything: a platform without authentication ({@code allow-auth = false}). */
    public static StoreAccess open() {
        return new StoreAccess(null);
    }

    /**
     * Fails with VOLTTRON's UNAUTHORIZED error unless {@code caller} (whose USER frame is {@code user}) may call
     * {@code method} on the store of {@code identity}.
     */
    public void check(String caller, String user, String method, String identity) throws RpcException {
        if (model == null || caller.equals(identity) || PlatformIdentities.isPlatformIdentity(caller)
                || caller.startsWith(CLI_PREFIX)) {
            return;
        }
        var denial = model.get().rpcDenial(user, method, Set.of(CAPABILITY), Map.of("identity", identity));
        if (denial.isPresent()) {
            throw new RpcException(RpcError.unauthorized(denial.get()));
        }
    }
}
