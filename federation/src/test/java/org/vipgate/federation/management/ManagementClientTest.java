package org.vipgate.federation.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vipgate.testkit.FreePorts;
import org.vipgate.testkit.RabbitBroker;
import org.vipgate.testkit.RabbitBrokerExtension;

/** The management API client against a real broker: each call's success, and each kind of failure. */
@ExtendWith(RabbitBrokerExtension.class)
class ManagementClientTest {

    private final RabbitBroker broker;
    private final ManagementClient client;
    private final String vhost = "vipgate-mc-" + UUID.randomUUID().toString().substring(0, 8);

    ManagementClientTest(RabbitBroker broker) {
        this.broker = broker;
        this.client = new ManagementClient(ManagementEndpoint.http(broker.host(), broker.managementPort(),
                broker.username(), broker.password()));
    }

    @AfterEach
    void cleanUp() throws ManagementException {
        client.deleteVhost(vhost);
    }

    @Test
    void overviewNamesTheNode() throws ManagementException {
        assertThat(client.overview().path("node").asText()).isNotBlank();
    }

    @Test
    void createsAVhostOnceAndAgainWithoutError() throws ManagementException {
        assertThat(client.vhostExists(vhost)).isFalse();
        client.createVhost(vhost);
        client.createVhost(vhost);
        assertThat(client.vhostExists(vhost)).isTrue();
        client.deleteVhost(vhost);
        assertThat(client.vhostExists(vhost)).isFalse();
    }

    @Test
    void setsAndReadsPermissions() throws ManagementException {
        client.createVhost(vhost);
        Permissions narrow = new Permissions("^v1\\..*", "volttron|v1\\..*", "v1\\..*");
        client.setPermissions(vhost, broker.username(), narrow);
        assertThat(client.permissions(vhost, broker.username())).contains(narrow);
        assertThat(client.permissions(vhost, "nobody-" + vhost)).isEmpty();
    }

    @Test
    void createsACertificateOnlyUserWithoutAdministratorTag() throws ManagementException {
        String user = "v1.v2.agent-" + vhost;
        try {
            assertThat(client.userExists(user)).isFalse();
            client.createCertificateUser(user, "");
            assertThat(client.userExists(user)).isTrue();
            assertThat(client.userTags(user)).hasValue("");
            client.createCertificateUser(user, ""); // again: no error
        } finally {
            client.deleteUser(user);
        }
        assertThat(client.userExists(user)).isFalse();
        client.deleteUser(user); // a missing user is no error
    }

    @Test
    void readsAnExchangeAndReportsAMissingOneAsEmpty() throws ManagementException {
        client.createVhost(vhost);
        assertThat(client.exchange(vhost, "amq.topic")).hasValueSatisfying(e -> {
            assertThat(e.type()).isEqualTo("topic");
            assertThat(e.durable()).isTrue();
        });
        assertThat(client.exchange(vhost, "no-such-exchange")).isEmpty();
    }

    @Test
    void aVhostNameWithASlashIsEncoded() throws ManagementException {
        String odd = vhost + "/odd name";
        try {
            client.createVhost(odd);
            assertThat(client.vhostExists(odd)).isTrue();
        } finally {
            client.deleteVhost(odd);
        }
    }

    @Test
    void aWrongPasswordIsUnauthorized() {
        ManagementClient wrong = new ManagementClient(ManagementEndpoint.http(broker.host(),
                broker.managementPort(), broker.username(), "wrong"));
        assertThatThrownBy(wrong::overview)
                .isInstanceOfSatisfying(ManagementException.Unauthorized.class,
                        e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("refused user '" + broker.username() + "'")
                .hasMessageNotContaining("wrong");
    }

    @Test
    void aClosedPortIsUnreachable() {
        int port = FreePorts.next();
        ManagementClient nowhere = new ManagementClient(ManagementEndpoint.http("127.0.0.1", port, "u", "p"));
        assertThatThrownBy(nowhere::overview)
                .isInstanceOf(ManagementException.Unreachable.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("ConnectException");
    }

    @Test
    void theEndpointNeverPrintsItsPassword() {
        assertThat(ManagementEndpoint.http("h", 1, "user", "s3cret").toString()).doesNotContain("s3cret");
    }
}
