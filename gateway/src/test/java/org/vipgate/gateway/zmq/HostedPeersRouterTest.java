package org.vipgate.gateway.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vipgate.gateway.services.HostedPeers;
import org.vipgate.gateway.services.ServiceLink;
import org.vipgate.gateway.services.rpc.RpcError;
import org.vipgate.gateway.services.rpc.RpcException;
import org.vipgate.gateway.services.rpc.RpcService;
import org.vipgate.testkit.vip.VipTestPeer;
import org.vipgate.testkit.vip.VipTestPeer.Received;

/**
 * Services hosted in the router (docs/protocol/platform-services.md): reached as peers, listed in {@code peerlist},
 * answering as themselves; a reserved identity cannot be taken by a client, a stand-in gives way to a real agent.
 */
class HostedPeersRouterTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** Answers {@code who} with the identity it was called as and the caller's USER frame. */
    private static final class Echo extends RpcService {
        private final List<String> identities;
        private final boolean reserved;

        Echo(boolean reserved, String... identities) {
            this.identities = List.of(identities);
            this.reserved = reserved;
        }

        @Override
        public List<String> identities() {
            return identities;
        }

        @Override
        public boolean reserved() {
            return reserved;
        }

        @Override
        protected Answer handle(Call call, ServiceLink link) throws RpcException {
            if (!"who".equals(call.method())) {
                throw new RpcException(RpcError.methodNotFound(call.method()));
            }
            return new Result(TextNode.valueOf(call.calledAs() + " for " + call.user()));
        }
    }

    private final RouterFixture fixture = new RouterFixture(Map.of(), null, List.of(),
            new HostedPeers(List.of(new Echo(true, "svc.store", "svc.store2"), new Echo(false, "svc.control"))));

    @AfterEach
    void close() {
        fixture.close();
    }

    private static String call(VipTestPeer peer, String to, String id) {
        peer.send(to, "RPC", id, "{\"jsonrpc\": \"2.0\", \"method\": \"who\", \"id\": \"" + id + "\"}");
        Received reply = peer.expect("RPC", id, WAIT);
        assertThat(reply.sender()).isEqualTo(to);
        assertThat(reply.user()).as("a service sends as itself").isEqualTo(to);
        return reply.arg(0);
    }

    @Test
    void aHostedServiceAnswersUnderEachOfItsIdentitiesAndIsListed() {
        VipTestPeer agent = fixture.peer("agent");
        agent.hello(WAIT);

        assertThat(call(agent, "svc.store", "1")).contains("\"result\": \"svc.store for agent\"");
        assertThat(call(agent, "svc.store2", "2")).contains("svc.store2 for agent");
        assertThat(call(agent, "svc.store", "3.5")).as("the request's id comes back").contains("\"id\": \"3.5\"");

        agent.send("", "peerlist", "p", "list");
        assertThat(agent.expect("peerlist", "p", WAIT).args())
                .containsSubsequence("listing", "svc.store", "svc.store2", "svc.control").contains("agent");
    }

    @Test
    void noClientCanTakeAReservedIdentity() {
        VipTestPeer impostor = fixture.peer("svc.store");
        impostor.sendRaw(List.of(new byte[0])); // a router probe
        impostor.send("", "hello", "h", "hello");
        VipTestPeer agent = fixture.peer("agent");
        agent.hello(WAIT);

        assertThat(impostor.receive(Duration.ofMillis(500))).as("the impostor gets nothing").isNull();
        assertThat(call(agent, "svc.store", "1")).contains("svc.store for agent");
        agent.send("", "peerlist", "p", "list");
        assertThat(agent.expect("peerlist", "p", WAIT).args()).filteredOn("svc.store"::equals).hasSize(1);
    }

    @Test
    void aStandInGivesWayToARealAgentWithItsIdentity() {
        VipTestPeer agent = fixture.peer("agent");
        agent.hello(WAIT);
        assertThat(call(agent, "svc.control", "1")).contains("svc.control for agent");

        VipTestPeer real = fixture.peer("svc.control");
        real.hello(WAIT);
        agent.send("svc.control", "RPC", "2", "{\"jsonrpc\": \"2.0\", \"method\": \"who\", \"id\": \"2\"}");

        Received forwarded = real.expect("RPC", "2", WAIT);
        assertThat(forwarded.sender()).isEqualTo("agent");
    }
}
