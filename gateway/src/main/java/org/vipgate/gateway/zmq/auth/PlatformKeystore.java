package org.vipgate.gateway.zmq.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import javax.crypto.KeyAgreement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.AtomicFiles;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.JsonConfigFile;
import org.vipgate.gateway.vip.CurveKeys;
import org.zeromq.ZMQ;

/**
 * The platform's CURVE key pair, kept in {@code $VOLTTRON_HOME/keystore} as JSON
 * {@code {"public": <43>, "secret": <43>}} with mode 0600 (vip-zmq.md §5.2).
 *
 * <p>{@link #loadOrCreate(Path)} reads an existing file (any key encoding {@link CurveKeys#decode} accepts, and
 * the public key must belong to the secret key) or, when the file is absent, generates a pair and writes it
 * atomically. The secret key is never logged; {@link #toString()} masks it.
 */
public final class PlatformKeystore {

    /** A keystore is two short keys; anything big is not one. */
    static final long MAX_FILE_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(PlatformKeystore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPECTED_KEY = "a CURVE key as VOLTTRON writes it (43-character URL-safe base64;"
            + " Z85 and hex forms are accepted too)";
    /** VOLTTRON retries 3 times; more tries only make a leading '-' less likely (1/64 per try). */
    private static final int MAX_GENERATION_TRIES = 64;

    private final Path file;
    private final byte[] publicKey;
    private final byte[] secretKey;
    private final boolean created;

    private PlatformKeystore(Path file, byte[] publicKey, byte[] secretKey, boolean created) {
        this.file = file;
        this.publicKey = publicKey.clone();
        this.secretKey = secretKey.clone();
        this.created = created;
    }

    /**
     * Reads {@code file}, or creates it with a fresh key pair when it does not exist.
     *
     * @throws ConfigException when the file exists but is unreadable, not JSON, lacks a key or holds a value that
     *                         is not a CURVE key (the message names the file and the key, never the secret), or
     *                         when a new file cannot be written
     */
    public static PlatformKeystore loadOrCreate(Path file) throws ConfigException {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            return create(file);
        }
        return load(file);
    }

    /**
     * Reads an existing keystore file.
     *
     * @throws ConfigException as {@link #loadOrCreate(Path)}, and when the file is missing
     */
    public static PlatformKeystore load(Path file) throws ConfigException {
        // Jackson's message may quote a piece of the secret: report the position only.
        JsonNode root = JsonConfigFile.readObject(file, "the platform keystore {\"public\": ..., \"secret\": ...}",
                MAX_FILE_BYTES, false);
        byte[] pub = key(file, root, "public");
        byte[] sec = key(file, root, "secret");
        if (!Arrays.equals(pub, publicOf(sec))) {
            throw ConfigException.invalid(file, "key 'public'", "does not belong to the key in 'secret'",
                    "the public key of the secret key next to it");
        }
        warnIfReadableByOthers(file);
        PlatformKeystore keystore = new PlatformKeystore(file, pub, sec, false);
        LOG.info("platform CURVE keystore {} loaded, public key {}", file, keystore.publicKeyText());
        return keystore;
    }

    /** A fresh key pair that is not stored anywhere (the 43-character public key never starts with '-'). */
    public static PlatformKeystore generate() {
        return generate(null);
    }

    private static PlatformKeystore generate(Path file) {
        for (int i = 0; i < MAX_GENERATION_TRIES; i++) {
            ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
            byte[] pub = ZMQ.Curve.z85Decode(pair.publicKey);
            // vip-zmq.md §5.2: a key starting with '-' would read as an option on a command line.
            if (!CurveKeys.encode(pub).startsWith("-")) {
                return new PlatformKeystore(file, pub, ZMQ.Curve.z85Decode(pair.secretKey), true);
            }
        }
        throw new IllegalStateException("no CURVE key without a leading '-' after " + MAX_GENERATION_TRIES
                + " tries: the random generator is broken");
    }

    private static PlatformKeystore create(Path file) throws ConfigException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw ConfigException.invalid(file, null, "its directory does not exist",
                    "an existing VOLTTRON_HOME directory to create the platform keystore in");
        }
        PlatformKeystore keystore = generate(file);
        ObjectNode root = JSON.createObjectNode();
        root.put("public", keystore.publicKeyText());
        root.put("secret", keystore.secretKeyText());
        try {
            AtomicFiles.write(file, root.toPrettyString() + "\n", AtomicFiles.OWNER_RW);
        } catch (IOException e) {
            throw new ConfigException(file, null, "cannot create the platform keystore ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    "a writable VOLTTRON_HOME directory", e);
        }
        LOG.info("platform CURVE keystore {} created (mode 0600), public key {}", file, keystore.publicKeyText());
        return keystore;
    }

    private static byte[] key(Path file, JsonNode root, String name) throws ConfigException {
        JsonNode node = root.get(name);
        String location = "key '" + name + "'";
        if (node == null || node.isNull()) {
            throw ConfigException.invalid(file, location, "missing", EXPECTED_KEY);
        }
        if (!node.isTextual()) {
            throw ConfigException.invalid(file, location, "not a string (" + node.getNodeType() + ")",
                    EXPECTED_KEY);
        }
        try {
            return CurveKeys.decode(node.asText());
        } catch (IllegalArgumentException e) {
            String problem = name.equals("public")
                    ? "got " + ConfigException.quote(node.asText()) + " (" + e.getMessage() + ")"
                    : "not a CURVE key (" + node.asText().strip().length() + " characters)"; // never quote a secret
            throw ConfigException.invalid(file, location, problem, EXPECTED_KEY);
        }
    }

    /** X25519 of the secret with the base point: the public key libzmq/jeromq derive from it. */
    static byte[] publicOf(byte[] secret) {
        try {
            KeyFactory factory = KeyFactory.getInstance("XDH");
            PrivateKey privateKey = factory.generatePrivate(
                    new XECPrivateKeySpec(NamedParameterSpec.X25519, secret.clone()));
            PublicKey basePoint = factory.generatePublic(
                    new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.valueOf(9)));
            KeyAgreement agreement = KeyAgreement.getInstance("XDH");
            agreement.init(privateKey);
            agreement.doPhase(basePoint, true);
            return agreement.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK", e);
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                return;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("platform CURVE keystore {} is readable by group or others; chmod 600 it", file);
            }
        } catch (IOException e) {
            LOG.warn("platform CURVE keystore {}: cannot read its permissions: {}", file, e.toString());
        }
    }

    /** The file this pair was read from or written to; null for {@link #generate()}. */
    public Path file() {
        return file;
    }

    /** True when this pair was generated now rather than read from an existing file. */
    public boolean created() {
        return created;
    }

    /** The raw 32-byte public key (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The raw 32-byte secret key (a copy). Never log it. */
    public byte[] secretKey() {
        return secretKey.clone();
    }

    /** The 43-character VOLTTRON form of the public key: the platform's {@code serverkey}. */
    public String publicKeyText() {
        return CurveKeys.encode(publicKey);
    }

    /** The 43-character VOLTTRON form of the secret key. Never log it. */
    public String secretKeyText() {
        return CurveKeys.encode(secretKey);
    }

    /** The Z85 public key (40 characters), for socket options. */
    public String publicKeyZ85() {
        return CurveKeys.toZ85(publicKey);
    }

    /** The Z85 secret key (40 characters), for {@code setCurveSecretKey}. Never log it. */
    public String secretKeyZ85() {
        return CurveKeys.toZ85(secretKey);
    }

    /** Names the file and the public key; the secret is shown as {@code XXXXX}. */
    @Override
    public String toString() {
        return "PlatformKeystore[file=" + file + ", public=" + publicKeyText() + ", secret=XXXXX]";
    }
}
