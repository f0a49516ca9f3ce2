package org.vipgate.testkit.vip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The files of a VOLTTRON_HOME that link ZMQ platforms, written as VOLTTRON and {@code vctl} write them
 * (certs-csr-discovery.md §3.2, §4.2, §4.3): the platform keystore, auth.json allow entries, and
 * external_platform_discovery.json. Keys are in their 43-character form.
 */
public final class PlatformFiles {

    private PlatformFiles() {
    }

    /** {@code <home>/keystore}: {@code {"public": ..., "secret": ...}}. */
    public static void keystore(Path home, String publicKey, String secretKey) throws IOException {
        Files.createDirectories(home);
        Files.writeString(home.resolve("keystore"), "{\"public\": \"" + publicKey + "\", \"secret\": \"" + secretKey
                + "\"}");
    }

    /** {@code <home>/auth.json} allowing each CURVE key of {@code userIdToKey} under its user id. */
    public static void authAllowing(Path home, Map<String, String> userIdToKey) throws IOException {
        StringJoiner entries = new StringJoiner(", ");
        userIdToKey.forEach((userId, key) -> entries.add("{\"credentials\": \"" + key + "\", \"user_id\": \""
                + userId + "\"}"));
        Files.createDirectories(home);
        Files.writeString(home.resolve("auth.json"), "{\"allow\": [" + entries + "]}");
    }

    /** {@code <home>/external_platform_discovery.json} naming one platform. */
    public static void discovery(Path home, String name, String vipAddress, String serverKey) throws IOException {
        Files.createDirectories(home);
        Files.writeString(home.resolve("external_platform_discovery.json"), "{\"" + name + "\": {\"instance-name\": \""
                + name + "\", \"vip-address\": \"" + vipAddress + "\", \"serverkey\": \"" + serverKey + "\"}}");
    }
}
