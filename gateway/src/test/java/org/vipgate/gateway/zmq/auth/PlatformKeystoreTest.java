package org.vipgate.gateway.zmq.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.vip.CurveKeys;
import org.zeromq.ZMQ;

class PlatformKeystoreTest {

    @TempDir
    Path home;

    @Test
    void createdWhenAbsentWithMode0600AndVolttronKeys() throws Exception {
        Path file = home.resolve("keystore");

        PlatformKeystore keystore = PlatformKeystore.loadOrCreate(file);

        assertThat(keystore.created()).isTrue();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String json = Files.readString(file);
        assertThat(json).contains("\"public\"", "\"secret\"", keystore.publicKeyText(), keystore.secretKeyText());
        assertThat(keystore.publicKeyText()).hasSize(43).doesNotStartWith("-");
        assertThat(keystore.secretKeyText()).hasSize(43);
        assertThat(keystore.publicKey()).hasSize(32).isEqualTo(PlatformKeystore.publicOf(keystore.secretKey()));
        assertThat(keystore.publicKeyZ85()).hasSize(40);
        assertThat(home).isDirectoryNotContaining("glob:**.tmp");

        PlatformKeystore again = PlatformKeystore.loadOrCreate(file);
        assertThat(again.created()).isFalse();
        assertThat(again.publicKey()).isEqualTo(keystore.publicKey());
        assertThat(again.secretKey()).isEqualTo(keystore.secretKey());
    }

    @Test
    void loadsAVolttronKeystore() throws Exception {
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        byte[] pub = ZMQ.Curve.z85Decode(pair.publicKey);
        byte[] sec = ZMQ.Curve.z85Decode(pair.secretKey);
        Path file = home.resolve("keystore");
        // As VOLTTRON's KeyStore writes it: json.dumps(..., indent=4) of the 43-character forms.
        Files.writeString(file, "{\n    \"public\": \"" + CurveKeys.encode(pub) + "\",\n    \"secret\": \""
                + CurveKeys.encode(sec) + "\"\n}");

        PlatformKeystore keystore = PlatformKeystore.loadOrCreate(file);

        assertThat(keystore.created()).isFalse();
        assertThat(keystore.publicKey()).isEqualTo(pub);
        assertThat(keystore.secretKey()).isEqualTo(sec);
        assertThat(keystore.publicKeyZ85()).isEqualTo(pair.publicKey);
        assertThat(keystore.secretKeyZ85()).isEqualTo(pair.secretKey);
        assertThat(keystore.file()).isEqualTo(file);
    }

    @Test
    void loadsKeysInZ85AndHexForms() throws Exception {
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        byte[] sec = ZMQ.Curve.z85Decode(pair.secretKey);
        Path file = home.resolve("keystore");
        Files.writeString(file, "{\"public\": \"" + pair.publicKey + "\", \"secret\": \""
                + HexFormat.of().formatHex(sec) + "\"}");

        PlatformKeystore keystore = PlatformKeystore.load(file);

        assertThat(keystore.publicKeyZ85()).isEqualTo(pair.publicKey);
        assertThat(keystore.secretKey()).isEqualTo(sec);
        assertThat(keystore.publicKeyText()).hasSize(43);
    }

    @Test
    void malformedFileNamesTheFileAndTheKeyButNeverTheSecret() throws Exception {
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        String pub = CurveKeys.encode(ZMQ.Curve.z85Decode(pair.publicKey));
        String badSecret = "notakey-but-secret-looking-value";
        Path file = home.resolve("keystore");

        Files.writeString(file, "{\"public\": \"" + pub + "\", \"secret\": \"" + badSecret + "\"}");
        assertThatThrownBy(() -> PlatformKeystore.loadOrCreate(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("key 'secret'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(badSecret).doesNotContain("\n"));

        Files.writeString(file, "{\"public\": \"" + pub + "\"}");
        assertThatThrownBy(() -> PlatformKeystore.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("key 'secret'")
                .hasMessageContaining("missing");

        Files.writeString(file, "{\"public\": \"abc\", \"secret\": \"" + pair.secretKey + "\"}");
        assertThatThrownBy(() -> PlatformKeystore.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'public'")
                .hasMessageContaining("'abc'");

        Files.writeString(file, "{\"public\": \"" + pub + "\", \"secret\": \"" + pair.secretKey + "x");
        assertThatThrownBy(() -> PlatformKeystore.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not valid JSON")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(pair.secretKey));
    }

    @Test
    void publicKeyThatDoesNotBelongToTheSecretIsRefused() throws Exception {
        ZMQ.Curve.KeyPair one = ZMQ.Curve.generateKeyPair();
        ZMQ.Curve.KeyPair other = ZMQ.Curve.generateKeyPair();
        Path file = home.resolve("keystore");
        Files.writeString(file, "{\"public\": \"" + other.publicKey + "\", \"secret\": \"" + one.secretKey + "\"}");

        assertThatThrownBy(() -> PlatformKeystore.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'public'")
                .hasMessageContaining("does not belong");
    }

    @Test
    void missingDirectoryIsAConfigError() {
        Path file = home.resolve("no/such/dir/keystore");

        assertThatThrownBy(() -> PlatformKeystore.loadOrCreate(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString());
        assertThat(home.resolve("no")).doesNotExist();
    }

    @Test
    void toStringHidesTheSecret() {
        PlatformKeystore keystore = PlatformKeystore.generate();

        assertThat(keystore.toString())
                .contains(keystore.publicKeyText())
                .contains("XXXXX")
                .doesNotContain(keystore.secretKeyText())
                .doesNotContain(keystore.secretKeyZ85())
                .doesNotContain(new String(keystore.secretKey(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void generatedPublicKeysNeverStartWithADash() {
        for (int i = 0; i < 200; i++) {
            assertThat(PlatformKeystore.generate().publicKeyText()).doesNotStartWith("-");
        }
    }
}
