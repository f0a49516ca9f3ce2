package org.vipgate.gateway.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.zmq.pubsub.PubSubConfig;
import org.vipgate.gateway.zmq.pubsub.PubSubService;
import org.vipgate.testkit.vip.VipTestPeer;
import org.vipgate.testkit.vip.VipTestPeer.Received;

/** PubSub through the router over real sockets (vip-zmq.md §3.2), one behaviour per test. */
class PubSubOverRouterTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private RouterFixture fixture;
    private PubSubService pubsub;

    @BeforeEach
    void start() {
        pubsub = new PubSubService(PubSubConfig.forVolttronHome(home), id -> { });
        fixture = new RouterFixture(Map.of(PubSubService.SUBSYSTEM, pubsub::handle), null,
                List.of(pubsub::dropPeer));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static Received subscribe(VipTestPeer peer, String prefix) {
        String id = "sub-" + prefix + "-" + System.nanoTime();
        peer.send("", "pubsub", id, "subscribe", "{\"prefix\": \"" + prefix + "\", \"bus\": \"\", \"all_platforms\": false}");
        return peer.expect("pubsub", id, WAIT);
    }

    private static void publish(VipTestPeer peer, String msgId, String topic, String message) {
        peer.send("", "pubsub", msgId, "publish", topic,
                "{\"bus\": \"\", \"headers\": {\"min_compatible_version\": \"3.0\"}, \"message\": " + message + "}");
    }

    @Test
    void subscribeIsAnsweredWithTrueAsOneByte() {
        VipTestPeer sub = fixture.peer("listener");
        Received reply = subscribe(sub, "devices");

        assertThat(reply.sender()).isEmpty();
        assertThat(reply.user()).isEqualTo("listener");
        assertThat(reply.arg(0)).isEqualTo("request_response");
        assertThat(reply.rawArg(1)).containsExactly(1);
    }

    @Test
    void aPublishReachesTheSubscriberWithThePublisherInTheBodyAndTheCountGoesBack() throws Exception {
        VipTestPeer sub = fixture.peer("listener");
        subscribe(sub, "devices/");
        VipTestPeer pub = fixture.peer("driver");

        publish(pub, "m-1", "devices/campus/building/all", "{\"temp\": 21.5}");

        Received copy = sub.expect(r -> "pubsub".equals(r.subsystem()) && "publish".equals(r.arg(0)), WAIT);
        assertThat(copy.sender()).as("fan-out comes from the router").isEmpty();
        assertThat(copy.msgId()).isEqualTo("m-1");
        assertThat(copy.arg(1)).isEqualTo("devices/campus/building/all");
        JsonNode body = JSON.readTree(copy.arg(2));
        assertThat(body.path("sender").asText()).isEqualTo("driver");
        assertThat(body.path("message").path("temp").asDouble()).isEqualTo(21.5);
        assertThat(body.path("headers").path("min_compatible_version").asText()).isEqualTo("3.0");

        Received count = pub.expect("pubsub", "m-1", WAIT);
        assertThat(count.arg(0)).isEqualTo("request_response");
        assertThat(count.rawArg(1)).as("count 1 as 4-byte little-endian").containsExactly(1, 0, 0, 0);
    }

    @Test
    void listShowsTheCallersSubscriptions() throws Exception {
        VipTestPeer sub = fixture.peer("listener");
        subscribe(sub, "devices/");
        subscribe(sub, "analysis/");

        sub.send("", "pubsub", "l-1", "list",
                "{\"prefix\": \"\", \"bus\": \"\", \"subscribed\": true, \"reverse\": false, \"all_platforms\": false}");
        Received list = sub.expect("pubsub", "l-1", WAIT);

        assertThat(list.arg(0)).isEqualTo("list_response");
        JsonNode rows = JSON.readTree(list.arg(1));
        assertThat(rows).hasSize(2);
        assertThat(rows.findValuesAsText("")).isEmpty();
        assertThat(rows.toString()).contains("[\"\",\"devices/\",true]").contains("[\"\",\"analysis/\",true]");
    }

    @Test
    void synchronizeReplacesAllOfThePeersSubscriptions() {
        VipTestPeer sub = fixture.peer("listener");
        subscribe(sub, "devices/");
        sub.send("", "pubsub", "s-1", "synchronize", "connected",
                "{\"subscriptions\": {\"internal\": {\"\": [\"alerts/\"]}, \"all\": {}}}");
        VipTestPeer pub = fixture.peer("driver");

        publish(pub, "m-2", "devices/x", "1");
        assertThat(pub.expect("pubsub", "m-2", WAIT).rawArg(1)).as("no one listens to devices/ any more")
                .containsExactly(0, 0, 0, 0);
        publish(pub, "m-3", "alerts/fire", "2");
        Received copy = sub.expect(r -> "publish".equals(r.arg(0)), WAIT);
        assertThat(copy.arg(1)).isEqualTo("alerts/fire");
    }

    @Test
    void aProtectedTopicIsRefusedWith32001AndNothingIsDelivered() throws Exception {
        Files.writeString(home.resolve("protected_topics.json"),
                "{\"write-protect\": [{\"topic\": \"secure/\", \"capabilities\": [\"can_publish_secure\"]}]}");
        pubsub.reloadProtectedTopics(); // publishes also look at the file, at most once a second
        VipTestPeer sub = fixture.peer("listener");
        subscribe(sub, "secure/");
        VipTestPeer auth = fixture.peer("platform.auth");
        auth.send("", "pubsub", "a-1", "auth_update", "{\"capabilities\": {\"intruder\": {\"other\": null}}}");
        auth.hello(WAIT); // same connection, in order: the router has applied auth_update once this is answered
        VipTestPeer intruder = fixture.peer("intruder");
        intruder.hello(WAIT);

        publish(intruder, "m-4", "secure/door", "\"open\"");

        Received error = intruder.expect("error", "m-4", WAIT);
        assertThat(error.arg(0)).isEqualTo("-32001");
        assertThat(error.arg(1)).contains("secure/door").contains("can_publish_secure");
        Received count = intruder.expect("pubsub", "m-4", WAIT);
        assertThat(count.rawArg(1)).containsExactly(0, 0, 0, 0);
        for (Received r = sub.receive(Duration.ofMillis(500)); r != null; r = sub.receive(Duration.ofMillis(500))) {
            assertThat(r.arg(0)).as("nothing published reaches the subscriber: %s", r).isNotEqualTo("publish");
        }
    }

    @Test
    void anUnknownPubsubOperationIsAnError93AndTheRouterCarriesOn() {
        VipTestPeer peer = fixture.peer("odd");
        peer.send("", "pubsub", "u-1", "no-such-op");
        assertThat(peer.expect("error", "u-1", WAIT).args()).startsWith("93", "Protocol not supported");
        assertThat(peer.hello(WAIT).arg(0)).isEqualTo("welcome");
    }
}
