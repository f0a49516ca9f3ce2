package org.vipgate.gateway.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.AtomicFiles;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.VolttronHome;
import org.vipgate.gateway.services.auth.PlatformAuthService;
import org.vipgate.gateway.services.auth.StoreAccess;
import org.vipgate.gateway.services.config.ConfigStore;
import org.vipgate.gateway.services.config.ConfigStoreService;
import org.vipgate.gateway.services.standin.AbsentService;
import org.vipgate.gateway.services.standin.ControlStandIn;
import org.vipgate.gateway.zmq.auth.AuthFile;
import org.vipgate.gateway.zmq.pubsub.ProtectedTopicsFile;

/**
 * The platform services vipgate hosts for its agents (docs/protocol/platform-services.md): the configuration
 * store and {@code platform.auth} on the home's own files, and stand-ins for VOLTTRON agents it does not run.
 *
 * @param hosted      what the router hands messages to
 * @param configStore the configuration store service
 * @param auth        the platform.auth service
 */
public record PlatformServices(HostedPeers hosted, ConfigStoreService configStore, PlatformAuthService auth) {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformServices.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Opens the store and auth.json of {@code home} and writes what eclipse-volttron clients read at start.
     *
     * @param serverKey the platform's public key (43 characters), empty without authentication
     * @throws ConfigException when auth.json is unusable
     */
    public static PlatformServices create(VolttronHome home, String serverKey) throws ConfigException {
        ConfigStore store = ConfigStore.open(home.configurationStoreDir());
        PlatformAuthService auth = new PlatformAuthService(AuthFile.load(home.authFile()),
                ProtectedTopicsFile.in(home.root()));
        StoreAccess access = serverKey.isEmpty() ? StoreAccess.open() : new StoreAccess(auth::model);
        ConfigStoreService configStore = new ConfigStoreService(store, access);
        HostedPeers hosted = new HostedPeers(List.of(configStore, auth, new ControlStandIn(serverKey),
                AbsentService.web()));
        LOG.info("platform services: {} (configuration store {} with {} agents' stores)", hosted.identities(),
                home.configurationStoreDir(), store.listStores().size());
        if (!serverKey.isEmpty()) {
            writeEclipseCredentials(home.eclipsePlatformCredentialsFile(), serverKey);
        }
        return new PlatformServices(hosted, configStore, auth);
    }

    /** For {@code vipgate stats}: each service's counters, and the stores. */
    public Map<String, Object> statistics() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> store = new LinkedHashMap<>(configStore.counters());
        store.put("stores", (long) configStore.store().listStores().size());
        store.put("load_problems", (long) configStore.store().problems().size());
        out.put(ConfigStoreService.IDENTITY, store);
        out.put(PlatformAuthService.IDENTITY, auth.counters());
        return out;
    }

    /**
     * eclipse-volttron clients take the server key from {@code credentials_store/platform.json}. vipgate writes the
     * public key there (the secret stays in the keystore only) when the file is missing or one vipgate wrote before;
     * a file of a real eclipse-volttron platform with another key is left alone and reported.
     */
    static void writeEclipseCredentials(Path file, String serverKey) {
        try {
            if (Files.exists(file)) {
                JsonNode existing = JSON.readTree(file.toFile());
                if (serverKey.equals(existing.path("publickey").asText())) {
                    return;
                }
                if (!existing.path("secretkey").asText("").isEmpty()) {
                    LOG.warn("{} holds another platform's keys (publickey {}); eclipse-volttron agents reading it will"
                            + " not trust vipgate's serverkey {}: move the file away and restart vipgate", file,
                            existing.path("publickey").asText(), serverKey);
                    return;
                }
            }
            Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Map<String, String> creds = new LinkedHashMap<>();
            creds.put("identity", "platform");
            creds.put("publickey", serverKey);
            creds.put("secretkey", "");
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(creds),
                    PosixFilePermissions.fromString("rw-r--r--"));
            LOG.info("wrote {} for eclipse-volttron agents (serverkey {})", file, serverKey);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write {} for eclipse-volttron agents: {}; they will need the serverkey some other way",
                    file, e.toString());
        }
    }
}
