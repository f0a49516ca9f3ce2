package org.vipgate.gateway.zmq.pubsub;

import java.util.ArrayList;
import java.util.List;
import org.vipgate.gateway.vip.VipMessage;

/** Builds pubsub requests as the router receives them (view B): empty RECIPIENT, USER as sent. */
final class Requests {

    private Requests() {
    }

    static VipMessage pubsub(String sender, String msgId, String... args) {
        return withUser(sender, "", msgId, args);
    }

    static VipMessage withUser(String sender, String user, String msgId, String... args) {
        List<byte[]> frames = new ArrayList<>();
        for (String a : args) {
            frames.add(VipMessage.frame(a));
        }
        return new VipMessage(VipMessage.frame(sender), new byte[0], VipMessage.frame(user), VipMessage.frame(msgId),
                VipMessage.frame("pubsub"), frames);
    }

    static VipMessage subscribe(String sender, String prefix) {
        return pubsub(sender, "sub." + sender, "subscribe",
                "{\"prefix\": \"" + prefix + "\", \"bus\": \"\", \"all_platforms\": false}");
    }

    static VipMessage subscribeAll(String sender, String prefix) {
        return pubsub(sender, "sub." + sender, "subscribe",
                "{\"prefix\": \"" + prefix + "\", \"bus\": \"\", \"all_platforms\": true}");
    }

    static VipMessage publish(String sender, String msgId, String topic) {
        return pubsub(sender, msgId, "publish", topic,
                "{\"bus\": \"\", \"headers\": {\"h\": 1}, \"message\": \"m\"}");
    }
}
