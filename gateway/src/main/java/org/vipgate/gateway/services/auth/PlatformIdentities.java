package org.vipgate.gateway.services.auth;

import java.util.Set;

/**
 * The VIP identities of the platform's own processes. Only they may call {@code platform.auth}'s methods that
 * change auth.json ({@code auth_file.*}, {@code add_rpc_authorizations}, {@code delete_rpc_authorizations},
 * {@code update_id_rpc_authorizations} for another identity); VOLTTRON lets any peer call them.
 */
public final class PlatformIdentities {

    /** VOLTTRON 9 and Eclipse VOLTTRON platform identities. */
    public static final Set<String> IDENTITIES = Set.of("control", "control.connection", "platform",
            "platform.agent", "platform.auth", "config.store", "platform.config_store", "platform.control");

    private PlatformIdentities() {
    }

    /** True for one of {@link #IDENTITIES}; false for null. */
    public static boolean isPlatformIdentity(String identity) {
        return identity != null && IDENTITIES.contains(identity);
    }
}
