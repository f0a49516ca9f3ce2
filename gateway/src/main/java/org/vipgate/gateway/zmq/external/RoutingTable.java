package org.vipgate.gateway.zmq.external;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.vip.VipMessage;
import org.vipgate.gateway.vip.VipOutbox;
import org.vipgate.gateway.zmq.SubsystemHandler;

/**
 * The {@code routing_table} subsystem (vip-zmq.md §4.1). A VOLTTRON platform's link sends {@code hello} first; that
 * handshake is dead code in VOLTTRON (no {@code welcome} is ever sent back), so it is logged and not answered,
 * rather than answered with error 93 that the remote would drop anyway. vipgate reads the discovery file itself
 * instead of taking {@code normalmode_platform_connection} from a keydiscovery agent, so the other ops are
 * logged and ignored too. Never answers, never throws.
 */
public final class RoutingTable implements SubsystemHandler {

    /** The subsystem name. */
    public static final String SUBSYSTEM = "routing_table";
    private static final Logger LOG = LoggerFactory.getLogger(RoutingTable.class);

    @Override
    public void handle(VipMessage m, VipOutbox out) {
        String op = m.arg(0);
        if ("hello".equals(op)) {
            LOG.info("routing_table hello from '{}' (platform '{}'); not answered, as VOLTTRON (vip-zmq.md §4.1)",
                    m.senderName(), m.arg(2));
        } else {
            LOG.warn("routing_table '{}' from '{}' (msg-id '{}') ignored: vipgate links to the platforms of"
                    + " external_platform_discovery.json itself (restart vipgate after changing it)", op,
                    m.senderName(), m.msgIdText());
        }
    }
}
