package org.vipgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolttronHomeTest {

    @TempDir
    Path dir;

    @Test
    void namesTheFilesVolttronKeeps() {
        VolttronHome home = new VolttronHome(dir);

        assertThat(home.configFile()).isEqualTo(dir.resolve("config"));
        assertThat(home.rabbitConfigFile()).isEqualTo(dir.resolve("rabbitmq_config.yml"));
        assertThat(home.keystoreFile()).isEqualTo(dir.resolve("keystore"));
        assertThat(home.knownHostsFile()).isEqualTo(dir.resolve("known_hosts"));
        assertThat(home.authFile()).isEqualTo(dir.resolve("auth.json"));
        assertThat(home.externalAddressFile()).isEqualTo(dir.resolve("external_address.json"));
        assertThat(home.externalPlatformDiscoveryFile()).isEqualTo(dir.resolve("external_platform_discovery.json"));
        assertThat(home.federationConfigFile()).isEqualTo(dir.resolve("rabbitmq_federation_config.yml"));
        assertThat(home.shovelConfigFile()).isEqualTo(dir.resolve("rabbitmq_shovel_config.yml"));
        assertThat(home.certificatesDir()).isEqualTo(dir.resolve("certificates"));
        assertThat(home.certificatesDir("private")).isEqualTo(dir.resolve("certificates/private"));
    }

    @Test
    void rejectsCertificateSubdirThatIsNotAPlainName() {
        VolttronHome home = new VolttronHome(dir);

        assertThatThrownBy(() -> home.certificatesDir("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> home.certificatesDir("..")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rootIsAbsoluteAndNormalized() {
        VolttronHome home = new VolttronHome(Path.of("a/../b/./c"));

        assertThat(home.root()).isAbsolute().isEqualTo(Path.of("b/c").toAbsolutePath());
    }

    @Test
    void ensureLayoutCreatesTheRootAndCertificateDirectories() throws IOException {
        VolttronHome home = new VolttronHome(dir.resolve("parent/vhome"));

        var created = home.ensureLayout();

        Path certs = dir.resolve("parent/vhome/certificates");
        assertThat(created).containsExactly(dir.resolve("parent"), dir.resolve("parent/vhome"), certs,
                certs.resolve("certs"), certs.resolve("private"), certs.resolve("ca_db"),
                certs.resolve("pending_csr"), certs.resolve("remote_certs"), certs.resolve("federation"),
                certs.resolve("shovel"));
        assertThat(created).allSatisfy(p -> assertThat(p).isDirectory());
    }

    @Test
    void ensureLayoutMakesPrivateOwnerOnly() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        VolttronHome home = new VolttronHome(dir.resolve("vhome"));

        home.ensureLayout();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.certificatesDir("private"))))
                .isEqualTo("rwx------");
    }

    @Test
    void ensureLayoutTwiceCreatesNothingTheSecondTime() throws IOException {
        VolttronHome home = new VolttronHome(dir.resolve("vhome"));
        home.ensureLayout();

        assertThat(home.ensureLayout()).isEmpty();
    }

    @Test
    void ensureLayoutLeavesExistingFilesAndDirectoriesAlone() throws IOException {
        VolttronHome home = new VolttronHome(dir);
        Files.createDirectories(home.certificatesDir("certs"));
        Path cert = Files.writeString(home.certificatesDir("certs").resolve("v1-root-ca.crt"), "CERT");
        Path config = Files.writeString(home.configFile(), "[volttron]\ninstance-name = v1\n");

        var created = home.ensureLayout();

        assertThat(created).doesNotContain(dir, home.certificatesDir(), home.certificatesDir("certs"));
        assertThat(created).contains(home.certificatesDir("private"));
        assertThat(cert).hasContent("CERT");
        assertThat(config).hasContent("[volttron]\ninstance-name = v1");
    }

    @Test
    void ensureLayoutFailsWhenAFileIsInTheWayOfADirectory() throws IOException {
        VolttronHome home = new VolttronHome(dir);
        Files.writeString(home.certificatesDir(), "not a directory");

        assertThatThrownBy(home::ensureLayout)
                .isInstanceOf(IOException.class)
                .hasMessageContaining(home.certificatesDir().toString());
        assertThat(home.certificatesDir()).hasContent("not a directory");
    }

    @Test
    void resolvePrefersTheExplicitPath() {
        VolttronHome home = VolttronHome.resolve(dir.resolve("explicit"),
                Map.of("VOLTTRON_HOME", dir.resolve("env").toString(), "HOME", dir.toString()));

        assertThat(home.root()).isEqualTo(dir.resolve("explicit"));
    }

    @Test
    void resolveUsesVolttronHomeFromTheEnvironmentNext() {
        VolttronHome home = VolttronHome.resolve(null,
                Map.of("VOLTTRON_HOME", dir.resolve("env/./x/..").toString(), "HOME", dir.toString()));

        assertThat(home.root()).isEqualTo(dir.resolve("env"));
    }

    @Test
    void resolveIgnoresBlankVolttronHome() {
        VolttronHome home = VolttronHome.resolve(null, Map.of("VOLTTRON_HOME", " ", "HOME", dir.toString()));

        assertThat(home.root()).isEqualTo(dir.resolve(".volttron"));
    }

    @Test
    void resolveFallsBackToDotVolttronInTheUsersHome() {
        VolttronHome home = VolttronHome.resolve(null, Map.of("HOME", dir.toString()));

        assertThat(home.root()).isEqualTo(dir.resolve(".volttron"));
    }

    @Test
    void resolveExpandsALeadingTilde() {
        VolttronHome home = VolttronHome.resolve(null, Map.of("VOLTTRON_HOME", "~/vh", "HOME", dir.toString()));

        assertThat(home.root()).isEqualTo(dir.resolve("vh"));
    }
}
