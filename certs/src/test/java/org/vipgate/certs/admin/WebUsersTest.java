package org.vipgate.certs.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** web-users.json in VOLTTRON's format (certs-csr-discovery.md §5). */
class WebUsersTest {

    @TempDir
    Path home;

    private WebUsers users() {
        return new WebUsers(home, new Argon2Passwords(new Argon2Passwords.Params(1024, 1, 1)));
    }

    @Test
    void missingOrEmptyFileMeansFirstRun() throws Exception {
        assertThat(users().isEmpty()).isTrue();
        Files.writeString(home.resolve("web-users.json"), "");
        assertThat(users().isEmpty()).isTrue();
    }

    @Test
    void createsTheAdministratorInVolttronsFormatWithMode0600() throws Exception {
        users().createAdministrator("admin", "long enough".toCharArray());
        Path file = home.resolve("web-users.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.fieldNames()).toIterable().containsExactly("admin");
        assertThat(json.get("admin").get("hashed_password").asText()).startsWith("$argon2id$v=19$");
        assertThat(json.get("admin").get("groups")).hasSize(2);
        assertThat(json.get("admin").get("groups").get(0).asText()).isEqualTo("admin");
        assertThat(json.get("admin").get("groups").get(1).asText()).isEqualTo("vui");
        assertThat(users().authenticate("admin", "long enough".toCharArray())).get()
                .extracting(WebUsers.User::isAdmin).isEqualTo(true);
        assertThat(users().authenticate("admin", "wrong pass".toCharArray())).isEmpty();
        assertThat(users().authenticate("nobody", "long enough".toCharArray())).isEmpty();
        assertThatThrownBy(() -> users().createAdministrator("second", "long enough".toCharArray()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readsAFileWrittenByVolttron() throws Exception {
        Files.writeString(home.resolve("web-users.json"), "{\"admin\": {\"hashed_password\": \"$argon2id$v=19$m=65536,"
                + "t=3,p=4$MIIRqgvgQbgj220jfp0MPA$YfwJSVjtjSU0zzV/P3S9nnQ/USre2wvJMjfCIjrTQbg\", \"groups\":"
                + " [\"admin\", \"vui\"]}}");
        assertThat(users().authenticate("admin", "correct horse battery staple".toCharArray())).isPresent();
    }

    @Test
    void refusesShortPasswordsAndOddNames() {
        assertThatThrownBy(() -> users().createAdministrator("admin", "short".toCharArray()))
                .hasMessageContaining("at least 8");
        assertThatThrownBy(() -> users().createAdministrator("<script>", "long enough".toCharArray()))
                .hasMessageContaining("user name");
    }
}
