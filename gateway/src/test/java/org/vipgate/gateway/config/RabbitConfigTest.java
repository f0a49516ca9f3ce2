package org.vipgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RabbitConfigTest {

    /** As VOLTTRON's vcfg writes it (yaml.dump, keys sorted, ssl as a string). */
    private static final String VCFG_WRITTEN = """
            amqp-port: 5672
            amqp-port-ssl: 5671
            certificate-data:
              common-name: volttron1-root-ca
              country: US
              location: Richland
              organization: PNNL
              organization-unit: VOLTTRON Team
              state: WA
            host: v1.example.com
            mgmt-port: 15672
            mgmt-port-ssl: 15671
            rabbitmq-service: false
            reconnect-delay: 30
            rmq-home: /home/volttron/rabbitmq_server/rabbitmq_server-3.9.29
            ssl: 'true'
            user: volttron1-admin
            pass: s3cret-Passw0rd
            virtual-host: volttron
            """;

    /** Shaped like VOLTTRON's examples/configurations/rabbitmq/rabbitmq_config.yml, comments included. */
    private static final String VOLTTRON_EXAMPLE = """
            #host parameter is mandatory parameter. fully qualified domain name
            host: mymachine.pnl.gov

            # mandatory. certificate data used to create root ca certificate.
            certificate-data:
              country: US
              state: Washington
              location: Richland
              organization: PNNL
              organization-unit: VOLTTRON Team
              # volttron_instance has to be replaced with actual instance name of the VOLTTRON
              common-name: volttron_instance_root_ca
            #certificate-data:
            #  ca-public-key: /path/to/ca/public/key/ca_pub.crt

            virtual-host: volttron #defaults to volttron
            amqp-port: 5672
            amqp-port-ssl: 5671
            mgmt-port: 15672
            mgmt-port-ssl: 15671
            ssl: true
            #use-existing-certs: True
            rmq-home: ~/rabbitmq_server/rabbitmq_server-3.7.7
            rabbbitmq-service: false
            reconnect-delay: 30
            """;

    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("rabbitmq_config.yml"), text);
    }

    private ConfigException loadError(String text) throws Exception {
        Path file = write(text);
        try {
            RabbitConfig.load(file, "v1");
        } catch (ConfigException e) {
            assertThat(e.file()).isEqualTo(file);
            assertThat(e.getMessage()).startsWith(file + ": ");
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + text);
    }

    @Test
    void loadsAFileWrittenByVcfg() throws Exception {
        RabbitConfig config = RabbitConfig.load(write(VCFG_WRITTEN), "volttron1");

        assertThat(config.host()).isEqualTo("v1.example.com");
        assertThat(config.amqpPort()).isEqualTo(5672);
        assertThat(config.amqpPortSsl()).isEqualTo(5671);
        assertThat(config.mgmtPort()).isEqualTo(15672);
        assertThat(config.mgmtPortSsl()).isEqualTo(15671);
        assertThat(config.virtualHost()).isEqualTo("volttron");
        assertThat(config.user()).isEqualTo("volttron1-admin");
        assertThat(config.password()).isEqualTo("s3cret-Passw0rd");
        assertThat(config.ssl()).isTrue();
        assertThat(config.reconnectDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.nodeName()).isEqualTo("rabbit");
    }

    @Test
    void keepsUnknownKeysIncludingNestedMapsInSettings() throws Exception {
        RabbitConfig config = RabbitConfig.load(write(VCFG_WRITTEN), "volttron1");

        assertThat(config.settings()).containsEntry("rmq-home",
                "/home/volttron/rabbitmq_server/rabbitmq_server-3.9.29");
        assertThat(config.settings()).containsEntry("rabbitmq-service", false);
        assertThat(config.settings().get("certificate-data")).isInstanceOfSatisfying(Map.class, m ->
                assertThat(m).containsEntry("common-name", "volttron1-root-ca").containsEntry("country", "US"));
        assertThatThrownBy(() -> config.settings().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void loadsVolttronsExampleFile() throws Exception {
        RabbitConfig config = RabbitConfig.load(write(VOLTTRON_EXAMPLE), "volttron1");

        assertThat(config.host()).isEqualTo("mymachine.pnl.gov");
        assertThat(config.virtualHost()).isEqualTo("volttron");
        assertThat(config.ssl()).isTrue();
        assertThat(config.user()).isEqualTo("volttron1-admin");
        assertThat(config.password()).isEqualTo("default_passwd");
        assertThat(config.settings()).containsKeys("certificate-data", "rmq-home", "rabbbitmq-service");
    }

    @Test
    void emptyFileGivesTheDefaultsOfSection71() throws Exception {
        RabbitConfig config = RabbitConfig.load(write("# nothing set\n"), "v1");

        assertThat(config).isEqualTo(RabbitConfig.defaults("v1"));
        assertThat(config.host()).isEqualTo("localhost");
        assertThat(config.ssl()).isTrue();
        assertThat(config.amqpPort()).isEqualTo(5672);
        assertThat(config.amqpPortSsl()).isEqualTo(5671);
        assertThat(config.mgmtPort()).isEqualTo(15672);
        assertThat(config.mgmtPortSsl()).isEqualTo(15671);
        assertThat(config.virtualHost()).isEqualTo("volttron");
        assertThat(config.reconnectDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.user()).isEqualTo("v1-admin");
        assertThat(config.password()).isEqualTo("default_passwd");
        assertThat(config.nodeName()).isEqualTo("rabbit");
        assertThat(config.settings()).isEmpty();
    }

    @Test
    void clientPortsFollowSsl() throws Exception {
        RabbitConfig tls = RabbitConfig.defaults("v1");
        RabbitConfig plain = RabbitConfig.load(write("ssl: false\n"), "v1");

        assertThat(tls.clientAmqpPort()).isEqualTo(5671);
        assertThat(tls.clientMgmtPort()).isEqualTo(15671);
        assertThat(plain.clientAmqpPort()).isEqualTo(5672);
        assertThat(plain.clientMgmtPort()).isEqualTo(15672);
    }

    @Test
    void acceptsPortsWrittenAsStrings() throws Exception {
        RabbitConfig config = RabbitConfig.load(write("amqp-port: '5673'\nmgmt-port-ssl: \"15673\"\n"), "v1");

        assertThat(config.amqpPort()).isEqualTo(5673);
        assertThat(config.mgmtPortSsl()).isEqualTo(15673);
    }

    @Test
    void rejectsNonNumericPortNamingKey() throws Exception {
        ConfigException e = loadError("amqp-port: abc\n");

        assertThat(e.getMessage()).isEqualTo(dir.resolve("rabbitmq_config.yml")
                + ": key 'amqp-port': got 'abc'; expected an integer port from 1 to 65535");
    }

    @Test
    void rejectsPortOutOfRange() throws Exception {
        ConfigException e = loadError("mgmt-port-ssl: 70000\n");

        assertThat(e.getMessage()).contains(": key 'mgmt-port-ssl': got '70000'; expected an integer port");
    }

    @Test
    void rejectsPortZero() throws Exception {
        ConfigException e = loadError("amqp-port-ssl: 0\n");

        assertThat(e.getMessage()).contains(": key 'amqp-port-ssl': got '0'");
    }

    @Test
    void rejectsFractionalPort() throws Exception {
        ConfigException e = loadError("amqp-port: 5672.5\n");

        assertThat(e.getMessage()).contains(": key 'amqp-port': got '5672.5'");
    }

    @Test
    void rejectsPortGivenAsAMapping() throws Exception {
        ConfigException e = loadError("amqp-port:\n  a: 1\n");

        assertThat(e.getMessage()).contains(": key 'amqp-port': got a mapping; expected an integer port");
    }

    @Test
    void acceptsSslAsBooleanOrString() throws Exception {
        assertThat(RabbitConfig.load(write("ssl: 'true'\n"), "v1").ssl()).isTrue();
        assertThat(RabbitConfig.load(write("ssl: 'False'\n"), "v1").ssl()).isFalse();
        assertThat(RabbitConfig.load(write("ssl: \"YES\"\n"), "v1").ssl()).isTrue();
        assertThat(RabbitConfig.load(write("ssl: 'no'\n"), "v1").ssl()).isFalse();
        assertThat(RabbitConfig.load(write("ssl: false\n"), "v1").ssl()).isFalse();
    }

    @Test
    void rejectsBadSslNamingKey() throws Exception {
        ConfigException e = loadError("ssl: maybe\n");

        assertThat(e.getMessage()).contains(": key 'ssl': got 'maybe'; expected true or false");
    }

    @Test
    void readsReconnectDelayInSeconds() throws Exception {
        assertThat(RabbitConfig.load(write("reconnect-delay: 5\n"), "v1").reconnectDelay())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void rejectsNonPositiveReconnectDelay() throws Exception {
        ConfigException e = loadError("reconnect-delay: 0\n");

        assertThat(e.getMessage()).contains(": key 'reconnect-delay': got '0'; expected a positive whole number");
    }

    @Test
    void turnsScalarUserAndPasswordIntoStrings() throws Exception {
        RabbitConfig config = RabbitConfig.load(write("user: 1234\npass: 5678\n"), "v1");

        assertThat(config.user()).isEqualTo("1234");
        assertThat(config.password()).isEqualTo("5678");
    }

    @Test
    void rejectsBlankHost() throws Exception {
        ConfigException e = loadError("host: '  '\n");

        assertThat(e.getMessage()).contains(": key 'host': got '  '; expected non-blank");
    }

    @Test
    void rejectsKeyWithoutValue() throws Exception {
        ConfigException e = loadError("host:\n");

        assertThat(e.getMessage()).contains(": key 'host': has no value; expected ")
                .contains("remove the key for the default 'localhost'");
    }

    @Test
    void rejectsVirtualHostGivenAsAList() throws Exception {
        ConfigException e = loadError("virtual-host: [a, b]\n");

        assertThat(e.getMessage()).contains(": key 'virtual-host': got a list");
    }

    @Test
    void reportsYamlSyntaxErrorWithLineAndColumn() throws Exception {
        ConfigException e = loadError("host: a\namqp-port: 5672\n\tssl: true\n");

        assertThat(e.location()).isEqualTo("line 3, column 1");
        assertThat(e.getMessage()).contains(": line 3, column 1: ").contains("TAB").doesNotContain("\n");
    }

    @Test
    void reportsUnclosedFlowSequenceAtTheLineOfTheProblem() throws Exception {
        ConfigException e = loadError("host: a\nfoo: [1, 2\nbar: 3\n");

        assertThat(e.getMessage()).contains(": line 3, column 4: expected ',' or ']'").doesNotContain("\n");
    }

    @Test
    void rejectsTopLevelThatIsNotAMapping() throws Exception {
        ConfigException e = loadError("- host\n- port\n");

        assertThat(e.getMessage()).contains(": the top level is a list, not a mapping; expected a mapping");
    }

    @Test
    void rejectsMissingFileNamingTheKeys() {
        Path file = dir.resolve("rabbitmq_config.yml");

        assertThatThrownBy(() -> RabbitConfig.load(file, "v1"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": missing file; expected ")
                .hasMessageContaining("host, amqp-port, virtual-host, user, pass, ssl");
    }

    @Test
    void masksThePasswordInToString() throws Exception {
        RabbitConfig config = RabbitConfig.load(write(VCFG_WRITTEN), "volttron1");

        assertThat(config.toString()).doesNotContain("s3cret-Passw0rd").contains("password=****")
                .contains("host=v1.example.com").contains("pass");
    }

    @Test
    void neverPrintsThePasswordInErrors() throws Exception {
        ConfigException e = loadError("pass:\n  nested: s3cret\n");

        assertThat(e.getMessage()).contains(": key 'pass': got a mapping").doesNotContain("s3cret");
    }
}
