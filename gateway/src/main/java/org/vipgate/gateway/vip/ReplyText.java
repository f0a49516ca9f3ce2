package org.vipgate.gateway.vip;

import org.vipgate.gateway.zmq.pubsub.InvalidRequestException;
import org.vipgate.gateway.zmq.pubsub.PythonJson;

/**
 * Text frames that vipgate writes itself (error replies, built-in answers) in a form that VOLTTRON's clients read
 * back unchanged (docs/protocol/platform-services.md, "The message-id quirk").
 *
 * <p>Both client generations pass every received frame through {@code json.loads} and keep the text only when that
 * fails. An RPC msg-id such as {@code 1796205633.8776995685497} therefore comes back to them as a float and no longer
 * matches the call it answers. A frame whose text Python would parse as JSON is written as a JSON string literal of
 * that text instead ({@code "1796205633.8776995685497"}, quotes included), which {@code json.loads} turns back into
 * exactly the original text. Other frames are written as they are. Forwarded messages are never touched.
 */
public final class ReplyText {

    private ReplyText() {
    }

    /** The frame to write for {@code frame} (latin-1 text) in a message vipgate generates. */
    public static byte[] frame(byte[] frame) {
        String text = VipMessage.text(frame);
        return looksLikeJson(text) ? VipMessage.frame(PythonJsonWriter.quoted(text)) : frame;
    }

    /** The frame to write for {@code text} in a message vipgate generates. */
    public static byte[] frame(String text) {
        return looksLikeJson(text) ? VipMessage.frame(PythonJsonWriter.quoted(text)) : VipMessage.frame(text);
    }

    /** True when Python's {@code json.loads} would accept the text (numbers, NaN, literals, strings, arrays, objects). */
    static boolean looksLikeJson(String text) {
        String t = text.strip();
        if (t.isEmpty() || "-+0123456789\"[{tfnNI".indexOf(t.charAt(0)) < 0) {
            return false; // the fast answer for ids like 'connect.hello.0' and for identities
        }
        try {
            PythonJson.parse(t);
            return true;
        } catch (InvalidRequestException e) {
            return false;
        }
    }
}
