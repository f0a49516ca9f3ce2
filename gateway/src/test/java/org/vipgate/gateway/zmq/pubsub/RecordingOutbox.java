package org.vipgate.gateway.zmq.pubsub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vipgate.gateway.vip.SendResult;
import org.vipgate.gateway.vip.VipMessage;
import org.vipgate.gateway.vip.VipOutbox;

/** Test double of the router's socket: records every message (view C) and answers SENT unless told otherwise. */
final class RecordingOutbox implements VipOutbox {

    private final List<List<byte[]>> sent = new ArrayList<>();
    private final List<String> attempts = new ArrayList<>();
    private final Map<String, SendResult> results = new HashMap<>();

    @Override
    public SendResult send(List<byte[]> frames) {
        String recipient = VipMessage.text(frames.get(0));
        attempts.add(recipient);
        SendResult r = results.getOrDefault(recipient, SendResult.SENT);
        if (r == SendResult.SENT) {
            sent.add(List.copyOf(frames));
        }
        return r;
    }

    /** From now on, messages to {@code identity} return {@code result} and are not recorded. */
    RecordingOutbox answer(String identity, SendResult result) {
        results.put(identity, result);
        return this;
    }

    /** Every message sent, in order. */
    List<List<byte[]>> all() {
        return sent;
    }

    /** Messages sent to {@code identity}, as latin-1 text frames (frame 0 included). */
    List<List<String>> to(String identity) {
        List<List<String>> out = new ArrayList<>();
        for (List<byte[]> m : sent) {
            if (VipMessage.text(m.get(0)).equals(identity)) {
                out.add(texts(m));
            }
        }
        return out;
    }

    /** Raw messages sent to {@code identity}. */
    List<List<byte[]>> rawTo(String identity) {
        List<List<byte[]>> out = new ArrayList<>();
        for (List<byte[]> m : sent) {
            if (VipMessage.text(m.get(0)).equals(identity)) {
                out.add(m);
            }
        }
        return out;
    }

    /** Recipients of every send attempt, whatever the result. */
    List<String> attempts() {
        return attempts;
    }

    void clear() {
        sent.clear();
        attempts.clear();
    }

    static List<String> texts(List<byte[]> frames) {
        List<String> out = new ArrayList<>(frames.size());
        for (byte[] f : frames) {
            out.add(VipMessage.text(f));
        }
        return out;
    }
}
