package org.vipgate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node started with a TLS listener from PEM files the test passes in, as VOLTTRON configures it. */
class TlsListenerTest {

    @TempDir
    Path dir;

    @Test
    void clientWithCertificateLogsInAsItsCommonNameOverExternal() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued server = pki.issue("localhost", "localhost");
        TestPki.Issued client = pki.issue(PrivateNode.USER, null);
        Path ca = dir.resolve("ca.pem");
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        TestPki.writePem(ca, pki.ca());
        TestPki.writePem(cert, server.certificate());
        TestPki.writePem(key, server.keys().getPrivate());

        try (RabbitBroker broker = RabbitBrokers.startNode(
                NodeOptions.builder().tls(TlsFiles.mutual(ca, cert, key)).build())) {
            assertThat(broker.amqpsPort()).isPresent();

            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(broker.host());
            factory.setPort(broker.amqpsPort().getAsInt());
            factory.useSslProtocol(pki.clientContext(client));
            factory.enableHostnameVerification();
            factory.setSaslConfig(DefaultSaslConfig.EXTERNAL);
            try (Connection connection = factory.newConnection("tls-test")) {
                assertThat(connection.isOpen()).isTrue();
                // The broker took the user from the certificate's CN (connection stats lag a few seconds).
                assertThat(connectionUsers(broker)).contains(PrivateNode.USER);
            }

            ConnectionFactory noCert = new ConnectionFactory();
            noCert.setHost(broker.host());
            noCert.setPort(broker.amqpsPort().getAsInt());
            noCert.useSslProtocol(pki.clientContext(null));
            noCert.setUsername(PrivateNode.USER);
            noCert.setPassword(PrivateNode.PASSWORD);
            assertThatThrownBy(() -> noCert.newConnection("no-cert").close())
                    .as("fail_if_no_peer_cert refuses a client without a certificate")
                    .isInstanceOf(Exception.class);
        }
    }

    private static java.util.List<String> connectionUsers(RabbitBroker broker) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        java.util.List<String> users = java.util.List.of();
        while (users.isEmpty() && System.nanoTime() < deadline) {
            users = broker.management().get("connections").findValuesAsText("user");
            Thread.sleep(250);
        }
        return users;
    }
}
