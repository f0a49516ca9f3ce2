package org.vipgate.gateway.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vipgate.federation.management.ManagementClient;
import org.vipgate.federation.management.ManagementEndpoint;
import org.vipgate.federation.management.ManagementException;
import org.vipgate.federation.management.Permissions;
import org.vipgate.testkit.RabbitBroker;
import org.vipgate.testkit.RabbitBrokerExtension;

/** Users of approved certificate requests, on a real broker (certs-csr-discovery.md §2.3). */
@ExtendWith(RabbitBrokerExtension.class)
class RemoteUsersTest {

    private final ManagementClient management;
    private final String vhost = "vipgate-ru-" + UUID.randomUUID().toString().substring(0, 8);
    private final String agent = "v1.v2.fwd-" + vhost;
    private final String federation = "v1.v2.federation-" + vhost;

    RemoteUsersTest(RabbitBroker broker) throws ManagementException {
        management = new ManagementClient(ManagementEndpoint.http(broker.host(), broker.managementPort(),
                broker.username(), broker.password()));
        management.createVhost(vhost);
    }

    @AfterEach
    void cleanUp() throws ManagementException {
        management.deleteUser(agent);
        management.deleteUser(federation);
        management.deleteVhost(vhost);
    }

    @Test
    void anAgentGetsItsOwnNamesAndNoTags() throws ManagementException {
        new RemoteUsers(management, vhost).provision(agent);
        assertThat(management.userTags(agent)).hasValue("");
        assertThat(management.permissions(vhost, agent)).hasValue(Permissions.agentDefault(agent));
    }

    @Test
    void aFederationUserGetsEverythingOnTheVhost() throws ManagementException {
        new RemoteUsers(management, vhost).provision(federation);
        assertThat(management.permissions(vhost, federation)).hasValue(Permissions.ALL);
        assertThat(management.userTags(federation)).hasValue("");
    }

    @Test
    void revokingDeletesTheUserAndIsIdempotent() throws ManagementException {
        RemoteUsers users = new RemoteUsers(management, vhost);
        users.provision(agent);
        users.revoke(agent);
        assertThat(management.userExists(agent)).isFalse();
        users.revoke(agent);
        assertThat(users.counters()).containsEntry("created", 1L).containsEntry("deleted", 1L);
    }
}
