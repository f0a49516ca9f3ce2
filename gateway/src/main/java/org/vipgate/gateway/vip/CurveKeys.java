package org.vipgate.gateway.vip;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import zmq.util.Z85;

/**
 * CURVE public and secret keys in the encodings VOLTTRON uses (vip-zmq.md §5.2).
 *
 * <p>VOLTTRON's canonical text form is URL-safe base64 of the 32 raw bytes without the trailing {@code =}:
 * 43 characters. libzmq and jeromq take Z85 (40 characters) or the raw bytes.
 */
public final class CurveKeys {

    /** Raw key length. */
    public static final int KEY_BYTES = 32;

    private CurveKeys() {
    }

    /** The 43-character VOLTTRON form of a raw 32-byte key. */
    public static String encode(byte[] raw) {
        checkRaw(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /**
     * The raw 32 bytes of a key in any form VOLTTRON's {@code decode_key} accepts (vip-zmq.md §5.2): 40 (Z85),
     * 43 (base64url without padding), 44 (base64url padded), 54/56 (base64url of the Z85 text), 64 (hex of the raw
     * key), 80 (hex of the Z85 text) characters.
     *
     * @throws IllegalArgumentException for any other length or characters outside the encoding
     */
    public static byte[] decode(String text) {
        String key = text.trim();
        byte[] raw = switch (key.length()) {
            case 40 -> z85(key);
            case 43, 44 -> base64(key);
            case 54, 56 -> z85(new String(base64(key), StandardCharsets.US_ASCII));
            case 64 -> hex(key);
            case 80 -> z85(new String(hex(key), StandardCharsets.US_ASCII));
            default -> throw new IllegalArgumentException("a CURVE key has 40, 43, 44, 54, 56, 64 or 80 characters,"
                    + " not " + key.length());
        };
        checkRaw(raw);
        return raw;
    }

    /** The Z85 form (40 characters) that jeromq socket options take. */
    public static String toZ85(byte[] raw) {
        checkRaw(raw);
        return Z85.encode(raw, raw.length);
    }

    private static byte[] z85(String key) {
        byte[] raw = Z85.decode(key);
        if (raw == null) {
            throw new IllegalArgumentException("not a Z85 key: " + key.length() + " characters");
        }
        return raw;
    }

    private static byte[] base64(String key) {
        try {
            return Base64.getUrlDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not URL-safe base64: " + e.getMessage(), e);
        }
    }

    private static byte[] hex(String key) {
        try {
            return HexFormat.of().parseHex(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not hexadecimal: " + e.getMessage(), e);
        }
    }

    private static void checkRaw(byte[] raw) {
        if (raw == null || raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("a CURVE key has " + KEY_BYTES + " bytes, not "
                    + (raw == null ? "none" : raw.length));
        }
    }
}
