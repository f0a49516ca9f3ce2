package org.vipgate.gateway.services.standin;

import java.util.List;
import org.vipgate.gateway.services.ServiceLink;
import org.vipgate.gateway.services.rpc.RpcError;
import org.vipgate.gateway.services.rpc.RpcException;
import org.vipgate.gateway.services.rpc.RpcService;

/**
 * Stands in for a VOLTTRON platform agent that vipgate does not provide (docs/protocol/platform-services.md, "Other
 * platform peers"), while no agent holds its identity: every call is answered at once with an error that names the
 * missing service, instead of the silence or the hang an agent would meet on VOLTTRON without it.
 */
public final class AbsentService extends RpcService {

    private final List<String> identities;
    private final String what;

    /**
     * @param identities the identities (both client generations' names)
     * @param what       what the service is and what to do instead, for the error text
     */
    public AbsentService(List<String> identities, String what) {
        this.identities = List.copyOf(identities);
        this.what = what;
    }

    /** VOLTTRON's web agent ({@code platform_web}, eclipse-volttron's {@code platform.web}). */
    public static AbsentService web() {
        return new AbsentService(List.of("platform_web", "platform.web"), "vipgate does not provide VOLTTRON's web"
                + " service (platform_web): agents cannot register web endpoints or websockets here; run such"
                + " agents on a VOLTTRON platform");
    }

    @Override
    public List<String> identities() {
        return identities;
    }

    @Override
    public boolean reserved() {
        return false;
    }

    @Override
    protected Answer handle(Call call, ServiceLink link) throws RpcException {
        throw new RpcException(RpcError.raised("builtins.NotImplementedError",
                "'" + call.method() + "' on '" + call.calledAs() + "': " + what));
    }
}
