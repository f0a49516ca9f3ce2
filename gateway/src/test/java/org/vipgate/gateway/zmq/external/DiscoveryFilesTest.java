package org.vipgate.gateway.zmq.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.gateway.zmq.auth.PlatformKeystore;

class DiscoveryFilesTest {

    @TempDir
    Path dir;

    private static final String KEY = PlatformKeystore.generate().publicKeyText();

    private static String entry(String name, String address, String key) {
        return "\"" + name + "\": {\"instance-name\": \"" + name + "\", \"vip-address\": \"" + address
                + "\", \"serverkey\": \"" + key + "\"}";
    }

    @Test
    void readsUsableEntriesAndSkipsOwnNameBadKeysAndNonTcpAddresses() throws Exception {
        VolttronHome home = new VolttronHome(dir);
        Files.writeString(home.externalPlatformDiscoveryFile(), "{" + String.join(", ",
                entry("site2", "tcp://10.0.0.2:22916", KEY),
                entry("site1", "tcp://10.0.0.1:22916", KEY),
                entry("short", "tcp://10.0.0.3:22916", "abc"),
                entry("ipc", "ipc://@/x", KEY),
                "\"nokey\": {\"instance-name\": \"nokey\", \"vip-address\": \"tcp://h:1\"}",
                "\"rmq\": {\"instance-name\": \"rmq\", \"vip-address\": \"tcp://h:2\", \"serverkey\": \"" + KEY
                        + "\", \"rmq-address\": \"amqps://h:5671/volttron\"}") + "}");

        assertThat(DiscoveryFiles.platforms(home, "site1")).containsExactly(
                new ExternalPlatform("site2", "tcp://10.0.0.2:22916", KEY),
                new ExternalPlatform("rmq", "tcp://h:2", KEY, true));
    }

    @Test
    void absentFilesMeanNothing() throws Exception {
        VolttronHome home = new VolttronHome(dir);
        assertThat(DiscoveryFiles.platforms(home, "site1")).isEmpty();
        assertThat(DiscoveryFiles.webAddresses(home)).isEmpty();
    }

    @Test
    void malformedFilesAreErrorsNamingTheFile() throws Exception {
        VolttronHome home = new VolttronHome(dir);
        Files.writeString(home.externalPlatformDiscoveryFile(), "[1, 2");
        assertThatThrownBy(() -> DiscoveryFiles.platforms(home, "site1"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(home.externalPlatformDiscoveryFile().toString());
        Files.writeString(home.externalPlatformDiscoveryFile(), "[]");
        assertThatThrownBy(() -> DiscoveryFiles.platforms(home, "site1"))
                .hasMessageContaining("not a JSON object");
        Files.writeString(home.externalAddressFile(), "{\"a\": 1}");
        assertThatThrownBy(() -> DiscoveryFiles.webAddresses(home))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(home.externalAddressFile().toString());
    }

    @Test
    void readsWebAddresses() throws Exception {
        VolttronHome home = new VolttronHome(dir);
        Files.writeString(home.externalAddressFile(), "[\"http://10.0.0.1:8080\", \"https://host2:8443\"]");
        assertThat(DiscoveryFiles.webAddresses(home)).containsExactly("http://10.0.0.1:8080", "https://host2:8443");
    }
}
