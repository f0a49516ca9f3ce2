package org.vipgate.gateway.zmq;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts by frame content, for {@link RouterStats}: counting a key already seen allocates nothing and makes no text;
 * keys become text (latin-1, as frames are) only in {@link #toMap()}. Holds at most
 * {@code maxKeys} distinct keys plus the overflow key; further keys are counted under the overflow key.
 *
 * <p>Not thread-safe: {@link RouterStats} guards it.
 */
final class FrameCounts {

    private final int maxKeys;
    private final byte[] overflow;
    /** Open addressing, linear probing; a power of two, at most half full. */
    private byte[][] keys = new byte[16][];
    private int[] hashes = new int[16];
    private long[] counts = new long[16];
    private int size;

    FrameCounts(int maxKeys, byte[] overflow) {
        this.maxKeys = maxKeys;
        this.overflow = overflow.clone();
    }

    /** Counts one hit for {@code key}; the array is copied only when the key is new. */
    void hit(byte[] key) {
        int hash = Arrays.hashCode(key);
        int slot = find(key, hash);
        if (keys[slot] != null) {
            counts[slot]++;
            return;
        }
        if (size >= maxKeys) {
            int o = find(overflow, Arrays.hashCode(overflow));
            if (keys[o] != null) {
                counts[o]++;
                return;
            }
            insert(o, overflow, Arrays.hashCode(overflow));
            return;
        }
        insert(slot, key.clone(), hash);
    }

    /** The count for {@code key}, 0 when never counted. */
    long get(byte[] key) {
        int slot = find(key, Arrays.hashCode(key));
        return keys[slot] == null ? 0 : counts[slot];
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The counts by key as text, sorted by key. */
    Map<String, Long> toMap() {
        Map<String, Long> out = new TreeMap<>();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                out.put(new String(keys[i], StandardCharsets.ISO_8859_1), counts[i]);
            }
        }
        return out;
    }

    private int find(byte[] key, int hash) {
        int mask = keys.length - 1;
        int i = mix(hash) & mask;
        while (keys[i] != null && (hashes[i] != hash || !Arrays.equals(keys[i], key))) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void insert(int slot, byte[] key, int hash) {
        keys[slot] = key;
        hashes[slot] = hash;
        counts[slot] = 1;
        size++;
        if (size * 2 > keys.length) {
            grow();
        }
    }

    private void grow() {
        byte[][] oldKeys = keys;
        int[] oldHashes = hashes;
        long[] oldCounts = counts;
        keys = new byte[oldKeys.length * 2][];
        hashes = new int[keys.length];
        counts = new long[keys.length];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = find(oldKeys[i], oldHashes[i]);
                keys[slot] = oldKeys[i];
                hashes[slot] = oldHashes[i];
                counts[slot] = oldCounts[i];
            }
        }
    }

    private static int mix(int hash) {
        return hash ^ (hash >>> 16);
    }
}
