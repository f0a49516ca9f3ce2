package org.vipgate.certs.admin;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string form that passlib (VOLTTRON's web-users.json, certs-csr-discovery.md
 * §5) writes and reads: {@code $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>}, salt and hash in standard base64
 * without padding. Verifying accepts argon2id, argon2i and argon2d and versions 16 and 19, with the cost
 * parameters written in the string; it answers false for a wrong password and for a string it cannot read.
 */
public final class Argon2Passwords {

    /**
     * Cost parameters.
     *
     * @param memoryKiB   memory per hash, KiB
     * @param iterations  passes over the memory
     * @param parallelism lanes
     */
    public record Params(int memoryKiB, int iterations, int parallelism) {
        /** argon2-cffi's and passlib's current defaults: 64 MiB, 3 passes, 4 lanes. */
        public static final Params DEFAULT = new Params(65_536, 3, 4);

        public Params {
            if (memoryKiB < 8 * parallelism || iterations < 1 || parallelism < 1) {
                throw new IllegalArgumentException("bad Argon2 parameters m=" + memoryKiB + ",t=" + iterations
                        + ",p=" + parallelism);
            }
        }
    }

    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    /** Refuse to verify hashes that ask for more than 1 GiB: a damaged or hostile file must not exhaust memory. */
    static final int MAX_MEMORY_KIB = 1 << 20;

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

    private final Params params;
    private final SecureRandom random = new SecureRandom();

    public Argon2Passwords(Params params) {
        this.params = Objects.requireNonNull(params, "params");
    }

    /** A new hash of {@code password} with a fresh random salt. */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13, params, salt, password,
                HASH_BYTES);
        return "$argon2id$v=19$m=" + params.memoryKiB() + ",t=" + params.iterations() + ",p="
                + params.parallelism() + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** True when {@code password} matches {@code phc}; false when it does not or {@code phc} cannot be read. */
    public boolean verify(char[] password, String phc) {
        Parsed parsed = parse(phc);
        if (parsed == null) {
            return false;
        }
        byte[] computed = derive(parsed.type, parsed.version, parsed.params, parsed.salt, password,
                parsed.hash.length);
        return MessageDigest.isEqual(computed, parsed.hash); // constant time
    }

    /** True when {@code phc} is a hash this class can verify. */
    public static boolean readable(String phc) {
        return parse(phc) != null;
    }

    private record Parsed(int type, int version, Params params, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String phc) {
        if (phc == null) {
            return null;
        }
        String[] parts = phc.split("\\$", -1);
        try {
            int i = 1;
            if (parts.length < 5 || !parts[0].isEmpty()) {
                return null;
            }
            int type = switch (parts[i++]) {
                case "argon2id" -> Argon2Parameters.ARGON2_id;
                case "argon2i" -> Argon2Parameters.ARGON2_i;
                case "argon2d" -> Argon2Parameters.ARGON2_d;
                default -> -1;
            };
            int version = Argon2Parameters.ARGON2_VERSION_10;
            if (parts[i].startsWith("v=")) {
                version = Integer.parseInt(parts[i++].substring(2));
            }
            if (type < 0 || (version != Argon2Parameters.ARGON2_VERSION_10
                    && version != Argon2Parameters.ARGON2_VERSION_13) || parts.length != i + 3) {
                return null;
            }
            int m = -1;
            int t = -1;
            int p = -1;
            for (String kv : parts[i++].split(",")) {
                String[] pair = kv.split("=", 2);
                int value = Integer.parseInt(pair[1]);
                switch (pair[0]) {
                    case "m" -> m = value;
                    case "t" -> t = value;
                    case "p" -> p = value;
                    default -> { } // e.g. keyid/data: not used by passlib
                }
            }
            if (m > MAX_MEMORY_KIB) {
                return null;
            }
            byte[] salt = B64_DECODE.decode(parts[i++]);
            byte[] hash = B64_DECODE.decode(parts[i]);
            if (salt.length < 8 || hash.length < 4) {
                return null;
            }
            return new Parsed(type, version, new Params(m, t, p), salt, hash);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            // NumberFormatException, bad base64, bad parameters: not a hash we can read.
            return null;
        }
    }

    /**
     * One hash at a time: each takes {@code m} KiB of heap (64 MiB by default, 100 MiB for passlib's hashes that
     * VOLTTRON writes), and a gateway sized for a small box has room for one, not for several logins at once.
     */
    private static final Object ONE_AT_A_TIME = new Object();

    private static byte[] derive(int type, int version, Params params, byte[] salt, char[] password, int length) {
        synchronized (ONE_AT_A_TIME) {
            Runtime rt = Runtime.getRuntime();
            long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            if (params.memoryKiB() * 1024L > free) {
                System.gc(); // garbage counts as used until collected; this runs once per login at most
                free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            }
            if (params.memoryKiB() * 1024L > free) {
                throw new IllegalStateException("an Argon2 hash with m=" + params.memoryKiB() + " KiB needs more"
                        + " memory than the JVM has free (" + free / 1024 + " KiB of at most " + rt.maxMemory() / 1024
                        + " KiB); raise the heap, e.g. VIPGATE_JAVA_OPTS=-Xmx256m");
            }
            byte[] out = deriveNow(type, version, params, salt, password, length);
            // the hash's memory is garbage now: collect it, so that the heap can shrink back and a small box gets its
            // tens of MiB back now rather than at some later full collection (logins are rare; this takes ms)
            System.gc();
            return out;
        }
    }

    private static byte[] deriveNow(int type, int version, Params params, byte[] salt, char[] password, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(type)
                .withVersion(version)
                .withMemoryAsKB(params.memoryKiB())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password, out); // UTF-8, as passlib encodes str passwords
        return out;
    }
}
