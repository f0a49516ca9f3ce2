package org.vipgate.gateway.services.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-05-28T19:33:07.123456789Z"), ZoneOffset.UTC);

    @TempDir
    Path home;

    private Path storeDir() {
        return home.resolve("configuration_store");
    }

    private ConfigStore open() {
        return ConfigStore.open(storeDir(), CLOCK);
    }

    private JsonNode file(String identity) throws IOException {
        return JSON.readTree(storeDir().resolve(identity + ".store").toFile());
    }

    private static ConfigStoreException failure(ThrowingCall call) {
        return catchThrowableOfType(ConfigStoreException.class, call::run);
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void setStoresParsesAndWritesTheVolttronFileFormat() throws Exception {
        ConfigStore store = open();

        Changed changed = store.set("platform.driver", "devices/campus/building/dev", "{\"a\": 1} # c",
                ConfigType.JSON);

        assertThat(changed.storedName()).isEqualTo("devices/campus/building/dev");
        assertThat(changed.action()).isEqualTo("NEW");
        assertThat(changed.parsed().toString()).isEqualTo("{\"a\":1}");
        assertThat(Files.getPosixFilePermissions(storeDir())).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        JsonNode entry = file("platform.driver").get("devices/campus/building/dev");
        assertThat(entry.get("type").textValue()).isEqualTo("json");
        assertThat(entry.get("modified").textValue()).isEqualTo("2025-05-28T19:33:07.123456+00:00");
        assertThat(entry.get("data").textValue()).isEqualTo("{\"a\": 1} # c");
        assertThat(store.getRaw("platform.driver", "devices/campus/building/dev")).isEqualTo("{\"a\": 1} # c");
        assertThat(store.getParsed("platform.driver", "devices/campus/building/dev").toString())
                .isEqualTo("{\"a\":1}");
        StoredConfig meta = store.getMetadata("platform.driver", "devices/campus/building/dev");
        assertThat(meta.type()).isEqualTo(ConfigType.JSON);
        assertThat(meta.modified()).isEqualTo("2025-05-28T19:33:07.123456+00:00");

        assertThat(store.set("platform.driver", "devices/campus/building/dev", "[]", ConfigType.JSON).action())
                .isEqualTo("UPDATE");
    }

    @Test
    void lookupsIgnoreCaseAndSurroundingWhitespaceAndSlashes() throws Exception {
        ConfigStore store = open();
        store.set("a", "Config", "x", ConfigType.RAW);

        assertThat(store.getRaw("a", " /CONFIG\\ ")).isEqualTo("x");
        assertThat(store.listConfigs("a")).containsExactly("Config");
        assertThat(store.getMetadata("a", "config").name()).isEqualTo("Config");
    }

    @Test
    void storingWithOtherCaseRenamesInMemoryAndOnDisk() throws Exception {
        ConfigStore store = open();
        store.set("a", "Config", "1", ConfigType.RAW);
        store.set("a", "other", "2", ConfigType.RAW);

        Changed changed = store.set("a", "CONFIG", "3", ConfigType.RAW);

        assertThat(changed.action()).isEqualTo("UPDATE");
        assertThat(changed.storedName()).isEqualTo("CONFIG");
        assertThat(store.listConfigs("a")).containsExactly("CONFIG", "other");
        assertThat(store.parsedConfigs("a").keySet()).containsExactly("other", "CONFIG");
        assertThat(file("a").fieldNames()).toIterable().containsExactlyInAnyOrder("CONFIG", "other");
        assertThat(open().getRaw("a", "config")).isEqualTo("3");
    }

    @Test
    void unknownIdentityOrNameIsVolttronsKeyError() throws Exception {
        ConfigStore store = open();
        store.set("agent", "known", "x", ConfigType.RAW);

        ConfigStoreException noStore = failure(() -> store.getRaw("nobody", " name/"));
        ConfigStoreException noConfig = failure(() -> store.getMetadata("agent", " name/"));

        assertThat(noStore.excType()).isEqualTo("builtins.KeyError");
        // VOLTTRON names the config as given for an unknown identity, normalised for an unknown config.
        assertThat(noStore.detail()).isEqualTo("'No configuration file \" name/\" for VIP IDENTIY nobody'");
        assertThat(noConfig.detail()).isEqualTo("'No configuration file \"name\" for VIP IDENTIY agent'");
        assertThat(failure(() -> store.getParsed("agent", "x")).detail()).contains("No configuration file");
        assertThat(failure(() -> store.delete("agent", "x")).excType()).isEqualTo("builtins.KeyError");
        assertThat(failure(() -> store.delete("nobody", "x")).excType()).isEqualTo("builtins.KeyError");
    }

    @Test
    void listsAreSortedAndEmptyForUnknownIdentities() throws Exception {
        ConfigStore store = open();
        store.set("b", "z", "1", ConfigType.RAW);
        store.set("b", "A", "1", ConfigType.RAW);
        store.set("a", "x", "1", ConfigType.RAW);

        assertThat(store.listStores()).containsExactly("a", "b");
        assertThat(store.listConfigs("b")).containsExactly("A", "z");
        assertThat(store.listConfigs("nobody")).isEmpty();
        assertThat(store.parsedConfigs("nobody")).isEmpty();
    }

    @Test
    void parsedValuesHandedOutAreCopies() throws Exception {
        ConfigStore store = open();
        store.set("a", "c", "{\"k\": 1}", ConfigType.JSON);

        ((ObjectNode) store.getParsed("a", "c")).put("k", 2);
        ((ObjectNode) store.parsedConfigs("a").get("c")).put("k", 3);

        assertThat(store.getParsed("a", "c").get("k").intValue()).isEqualTo(1);
    }

    @Test
    void parseErrorsAreRaisedAndChangeNothing() throws Exception {
        ConfigStore store = open();
        store.set("a", "c", "[1]", ConfigType.JSON);

        assertThat(failure(() -> store.set("a", "c", "[1", ConfigType.JSON)).excType())
                .isEqualTo("json.decoder.JSONDecodeError");
        assertThat(failure(() -> store.set("a", "c", "1", ConfigType.JSON)).detail())
                .isEqualTo("Configuration must be a list or object.");

        assertThat(store.getRaw("a", "c")).isEqualTo("[1]");
        assertThat(file("a").get("c").get("data").textValue()).isEqualTo("[1]");
    }

    @Test
    void csvAndRawConfigsAreStoredWithTheirType() throws Exception {
        ConfigStore store = open();
        store.set("a", "registry.csv", "Point Name,Units\ntemp,F\n", ConfigType.CSV);
        store.set("a", "note", "free text", ConfigType.RAW);

        assertThat(store.getParsed("a", "registry.csv").toString())
                .isEqualTo("[{\"Point Name\":\"temp\",\"Units\":\"F\"}]");
        assertThat(store.getParsed("a", "note").textValue()).isEqualTo("free text");
        assertThat(file("a").get("registry.csv").get("type").textValue()).isEqualTo("csv");
        assertThat(file("a").get("note").get("type").textValue()).isEqualTo("raw");
    }

    @Test
    void referenceCyclesAreRefusedButLinksToMissingConfigsAreFine() throws Exception {
        ConfigStore store = open();
        store.set("a", "one", "{\"next\": \"config://two\"}", ConfigType.JSON); // two does not exist yet: fine
        store.set("a", "two", "{\"next\": \"config://three\"}", ConfigType.JSON);

        ConfigStoreException indirect = failure(() -> store.set("a", "Three", "[\"config://ONE\"]", ConfigType.JSON));
        ConfigStoreException direct = failure(() -> store.set("a", "one", "{\"x\": \"config://two\", \"y\": 1}",
                ConfigType.JSON)); // no cycle: replaces one
        ConfigStoreException self = failure(() -> store.set("a", "self", "{\"me\": \"config:// Self \"}",
                ConfigType.JSON));
        ConfigStoreException twoWay = failure(() -> store.set("a", "two", "{\"back\": \"config://one\"}",
                ConfigType.JSON));

        assertThat(indirect.excType()).isEqualTo("builtins.ValueError");
        assertThat(indirect.detail()).isEqualTo("Recursive configuration references detected.");
        assertThat(direct).isNull();
        assertThat(self.detail()).isEqualTo("Recursive configuration references detected.");
        assertThat(twoWay.detail()).isEqualTo("Recursive configuration references detected.");
        assertThat(store.listConfigs("a")).containsExactly("one", "two");
        assertThat(store.getParsed("a", "two").toString()).isEqualTo("{\"next\":\"config://three\"}");
    }

    @Test
    void referencesAreStoredUnresolved() throws Exception {
        ConfigStore store = open();
        store.set("a", "target", "{\"v\": 1}", ConfigType.JSON);
        store.set("a", "user", "{\"t\": \"config://target\"}", ConfigType.JSON);

        assertThat(store.parsedConfigs("a").get("user").get("t").textValue()).isEqualTo("config://target");
    }

    @Test
    void deleteRemovesTheConfigAndTheFileWhenTheStoreIsEmpty() throws Exception {
        ConfigStore store = open();
        store.set("a", "One", "1", ConfigType.RAW);
        store.set("a", "two", "2", ConfigType.RAW);

        assertThat(store.delete("a", " one ")).isEqualTo("One");
        assertThat(file("a").has("One")).isFalse();
        assertThat(store.delete("a", "two")).isEqualTo("two");

        assertThat(storeDir().resolve("a.store")).doesNotExist();
        assertThat(store.listStores()).isEmpty();
        assertThat(store.listConfigs("a")).isEmpty();
    }

    @Test
    void deleteStoreRemovesEverythingAndIsQuietForUnknownIdentities() throws Exception {
        ConfigStore store = open();
        store.set("a", "x", "1", ConfigType.RAW);
        store.set("b", "x", "1", ConfigType.RAW);

        assertThat(store.deleteStore("a")).isTrue();
        assertThat(store.deleteStore("a")).isFalse();
        assertThat(store.deleteStore("nobody")).isFalse();

        assertThat(storeDir().resolve("a.store")).doesNotExist();
        assertThat(store.listStores()).containsExactly("b");
        assertThat(open().listStores()).containsExactly("b");
    }

    @Test
    void badIdentitiesAndEmptyNamesAreRefusedBeforeAnyFileIsTouched() throws Exception {
        ConfigStore store = open();
        for (String identity : new String[] {"", ".", "..", "../evil", "a\\b", "a\0b"}) {
            ConfigStoreException e = failure(() -> store.set(identity, "c", "1", ConfigType.RAW));
            assertThat(e.excType()).as(identity).isEqualTo("builtins.ValueError");
            assertThat(failure(() -> store.deleteStore(identity)).excType()).isEqualTo("builtins.ValueError");
        }
        assertThat(failure(() -> store.set("a", " // ", "1", ConfigType.RAW)).excType())
                .isEqualTo("builtins.ValueError");
        assertThat(home.resolve("evil.store")).doesNotExist();
        assertThat(storeDir()).doesNotExist();
    }

    @Test
    void configsOverTheSizeLimitAreRefused() throws Exception {
        ConfigStore store = open();
        String atLimit = "x".repeat(ConfigStore.MAX_CONFIG_BYTES);
        String overInBytes = "\u00e9".repeat(ConfigStore.MAX_CONFIG_BYTES / 2 + 1); // 2 bytes each

        store.set("a", "big", atLimit, ConfigType.RAW);
        ConfigStoreException e = failure(() -> store.set("a", "bigger", overInBytes, ConfigType.RAW));

        assertThat(e.excType()).isEqualTo("builtins.ValueError");
        assertThat(e.detail()).contains("1048578 bytes").contains("limit of 1048576 bytes");
        assertThat(store.listConfigs("a")).containsExactly("big");
    }

    @Test
    void writesLeaveNoTemporaryFilesAndKeepAnExistingFilesMode() throws Exception {
        ConfigStore store = open();
        store.set("a", "x", "1", ConfigType.RAW);
        Path file = storeDir().resolve("a.store");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        store.set("a", "y", "2", ConfigType.RAW);
        store.delete("a", "x");

        try (Stream<Path> files = Files.list(storeDir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.store");
        }
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
    }

    @Test
    void aFailedWriteIsAnOsErrorAndLeavesMemoryAndDiskUnchanged() throws Exception {
        ConfigStore store = open();
        store.set("a", "x", "1", ConfigType.RAW);
        // A non-empty folder where the file must go makes the rename fail, even for root.
        Path blocked = storeDir().resolve("b.store");
        Files.createDirectories(blocked.resolve("inside"));

        ConfigStoreException e = failure(() -> store.set("b", "y", "2", ConfigType.RAW));

        assertThat(e.excType()).isEqualTo("builtins.OSError");
        assertThat(e.detail()).contains(blocked.toString());
        assertThat(store.listStores()).containsExactly("a");
        assertThat(store.listConfigs("b")).isEmpty();
        try (Stream<Path> files = Files.list(storeDir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.store", "b.store");
        }
    }

    @Test
    void aReadOnlyFolderRefusesTheChangeAndKeepsTheOldValue() throws Exception {
        assumeThat(System.getProperty("user.name")).as("root ignores file modes").isNotEqualTo("root");
        ConfigStore store = open();
        store.set("a", "x", "1", ConfigType.RAW);
        Files.setPosixFilePermissions(storeDir(), PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            ConfigStoreException update = failure(() -> store.set("a", "x", "2", ConfigType.RAW));
            ConfigStoreException delete = failure(() -> store.delete("a", "x"));

            assertThat(update.excType()).isEqualTo("builtins.OSError");
            assertThat(delete.excType()).isEqualTo("builtins.OSError");
            assertThat(store.getRaw("a", "x")).isEqualTo("1");
        } finally {
            Files.setPosixFilePermissions(storeDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aStoreDirThatIsAFileMakesWritesFailWithOsError() throws Exception {
        Files.writeString(storeDir(), "not a folder");
        ConfigStore store = open();

        assertThat(store.problems()).singleElement().asString().contains("is not a folder");
        assertThat(failure(() -> store.set("a", "x", "1", ConfigType.RAW)).excType()).isEqualTo("builtins.OSError");
        assertThat(store.listStores()).isEmpty();
    }

    @Test
    void loadsAFolderWrittenByVolttron9() throws Exception {
        Files.createDirectories(storeDir());
        // As V9's PersistentDict writes it: compact json.dump, non-ASCII escaped, an old entry without modified.
        Files.writeString(storeDir().resolve("platform.driver.store"), "{\"config\": {\"type\": \"json\", "
                + "\"modified\": \"2024-01-02T03:04:05.000006+00:00\", \"data\": \"{\\n    \\\"driver_scrape_interval"
                + "\\\": 0.05 # seconds\\n}\"}, \"registry_configs/fake.csv\": {\"type\": \"csv\", \"modified\": "
                + "\"2024-01-02T03:04:05.000007+00:00\", \"data\": \"Point Name,Volt Point Name\\nEKG,caf\\u00e9\\n\"}, "
                + "\"devices/fake\": {\"type\": \"json\", \"data\": \"{\\\"registry_config\\\": "
                + "\\\"config://registry_configs/fake.csv\\\"}\"}}", StandardCharsets.UTF_8);
        Files.writeString(storeDir().resolve("listener.store"), "{\"note\": {\"type\": \"raw\", \"modified\": "
                + "\"2024-01-02T03:04:05.000008+00:00\", \"data\": \"hello\"}}", StandardCharsets.UTF_8);

        ConfigStore store = open();

        assertThat(store.problems()).isEmpty();
        assertThat(store.listStores()).containsExactly("listener", "platform.driver");
        assertThat(store.listConfigs("platform.driver"))
                .containsExactly("config", "devices/fake", "registry_configs/fake.csv");
        assertThat(store.getParsed("platform.driver", "config").get("driver_scrape_interval").doubleValue())
                .isEqualTo(0.05);
        assertThat(store.getParsed("platform.driver", "REGISTRY_CONFIGS/fake.csv").get(0)
                .get("Volt Point Name").textValue()).isEqualTo("caf\u00e9");
        assertThat(store.getMetadata("platform.driver", "devices/fake").modified()).isNull();
        assertThat(store.parsedConfigs("platform.driver").keySet())
                .containsExactly("config", "registry_configs/fake.csv", "devices/fake");
        assertThat(store.getRaw("listener", "note")).isEqualTo("hello");
    }

    @Test
    void rewrittenFilesReadBackAsVolttronWouldAndEscapeNonAscii() throws Exception {
        ConfigStore store = open();
        store.set("a", "caf\u00e9", "{\"v\": \"\u00e9\\u00e9\"}", ConfigType.JSON);

        String text = Files.readString(storeDir().resolve("a.store"), StandardCharsets.UTF_8);

        assertThat(text).isASCII().contains("caf\\u00E9");
        assertThat(open().getParsed("a", "CAF\u00c9").get("v").textValue()).isEqualTo("\u00e9\u00e9");
    }

    @Test
    void aCorruptFileIsSkippedAndTheOthersAreKept() throws Exception {
        Files.createDirectories(storeDir());
        Files.write(storeDir().resolve("pickled.store"), new byte[] {(byte) 0x80, 0x04, (byte) 0x95, 0x00, 0x7d});
        Files.writeString(storeDir().resolve("broken.store"), "{\"x\": {\"type\": \"raw\"");
        Files.writeString(storeDir().resolve("good.store"), "{\"x\": {\"type\": \"raw\", \"data\": \"1\"}}");
        Files.writeString(storeDir().resolve("list.store"), "[1]");
        Files.writeString(storeDir().resolve(".store"), "{}");

        ConfigStore store = open();

        assertThat(store.listStores()).containsExactly("good");
        assertThat(store.problems()).hasSize(4);
        assertThat(store.problems()).anySatisfy(p -> assertThat(p).contains("pickled.store").contains("pickle"));
        assertThat(store.problems()).anySatisfy(p -> assertThat(p).contains("broken.store").contains("not JSON")
                .doesNotContain("Source"));
        assertThat(store.problems()).anySatisfy(p -> assertThat(p).contains("list.store").contains("array"));
        assertThat(store.problems()).anySatisfy(p -> assertThat(p).contains(".store").contains("empty"));
    }

    @Test
    void anUnreadableFileIsMovedAsideBeforeANewConfigIsWritten() throws Exception {
        Files.createDirectories(storeDir());
        byte[] pickle = {(byte) 0x80, 0x04, (byte) 0x95, 0x00, 0x7d};
        Files.write(storeDir().resolve("old.store"), pickle);
        ConfigStore store = open();

        assertThat(store.deleteStore("old")).isFalse();
        store.set("old", "x", "1", ConfigType.RAW);

        assertThat(Files.readAllBytes(storeDir().resolve("old.store.unreadable"))).isEqualTo(pickle);
        assertThat(open().getRaw("old", "x")).isEqualTo("1");
        assertThat(open().problems()).isEmpty();
    }

    @Test
    void badEntriesAreLeftOutReportedAndWrittenBackUnchanged() throws Exception {
        Files.createDirectories(storeDir());
        Files.writeString(storeDir().resolve("a.store"), "{"
                + "\"good\": {\"type\": \"raw\", \"modified\": null, \"data\": \"ok\"},"
                + "\"badtype\": {\"type\": \"yaml\", \"data\": \"x: 1\"},"
                + "\"badjson\": {\"type\": \"json\", \"data\": \"{nope\"},"
                + "\"scalar\": {\"type\": \"json\", \"data\": \"3\"},"
                + "\"nodata\": {\"type\": \"raw\"},"
                + "\"notobject\": 5}");

        ConfigStore store = open();

        assertThat(store.listConfigs("a")).containsExactly("good");
        assertThat(store.problems()).hasSize(5).allSatisfy(p -> assertThat(p).contains("a.store").contains("left out"));
        assertThat(store.problems()).anySatisfy(p -> assertThat(p).contains("'badtype'").contains("yaml"));

        store.set("a", "BADJSON", "{\"fixed\": true}", ConfigType.JSON);

        JsonNode written = file("a");
        assertThat(written.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("good", "BADJSON", "badtype", "scalar", "nodata", "notobject");
        assertThat(written.get("badtype").toString()).isEqualTo("{\"type\":\"yaml\",\"data\":\"x: 1\"}");
        assertThat(written.get("notobject").intValue()).isEqualTo(5);

        assertThat(store.deleteStore("a")).isTrue();
        assertThat(storeDir().resolve("a.store")).doesNotExist();
    }

    @Test
    void namesDifferingOnlyInCaseKeepTheNewerAndWriteOnlyIt() throws Exception {
        Files.createDirectories(storeDir());
        // What V9 leaves after storing "Config" again as "config": the old key stays in the file.
        Files.writeString(storeDir().resolve("a.store"), "{"
                + "\"config\": {\"type\": \"raw\", \"modified\": \"2025-01-01T00:00:02.000000+00:00\", \"data\": \"new\"},"
                + "\"Config\": {\"type\": \"raw\", \"modified\": \"2025-01-01T00:00:01.000000+00:00\", \"data\": \"old\"},"
                + "\"other\": {\"type\": \"raw\", \"data\": \"o\"}}");

        ConfigStore store = open();

        assertThat(store.listConfigs("a")).containsExactly("config", "other");
        assertThat(store.getRaw("a", "CONFIG")).isEqualTo("new");
        assertThat(store.problems()).singleElement().asString().contains("differ only in case").contains("'Config'");

        store.set("a", "other", "o2", ConfigType.RAW);

        assertThat(file("a").fieldNames()).toIterable().containsExactlyInAnyOrder("config", "other");
    }

    @Test
    void aStoredCycleIsLeftOutAtLoadLikeVolttron() throws Exception {
        Files.createDirectories(storeDir());
        Files.writeString(storeDir().resolve("a.store"), "{"
                + "\"one\": {\"type\": \"json\", \"data\": \"{\\\"n\\\": \\\"config://two\\\"}\"},"
                + "\"two\": {\"type\": \"json\", \"data\": \"{\\\"n\\\": \\\"config://one\\\"}\"}}");

        ConfigStore store = open();

        assertThat(store.listConfigs("a")).containsExactly("one");
        assertThat(store.problems()).singleElement().asString().contains("'two'").contains("cycle");
    }

    @Test
    void onlyStoreFilesAreLoaded() throws Exception {
        Files.createDirectories(storeDir().resolve("dir.store"));
        Files.writeString(storeDir().resolve("a.store.tmp"), "{}");
        Files.writeString(storeDir().resolve("notes.txt"), "hi");
        Files.writeString(storeDir().resolve("a.store"), "{}");

        ConfigStore store = open();

        assertThat(store.listStores()).isEmpty();
        assertThat(store.problems()).singleElement().asString().contains("dir.store");
    }

    @Test
    void aMissingFolderIsCreatedOnlyByTheFirstWrite() throws Exception {
        ConfigStore store = open();

        assertThat(storeDir()).doesNotExist();
        assertThat(store.problems()).isEmpty();
        assertThat(store.listStores()).isEmpty();
        assertThat(store.deleteStore("x")).isFalse();
        assertThat(storeDir()).doesNotExist();
        store.set("x", "c", "1", ConfigType.RAW);
        assertThat(storeDir()).isDirectory();
        assertThat(List.of(storeDir().toFile().list())).containsExactly("x.store");
    }
}
