package org.vipgate.gateway.zmq.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.vipgate.gateway.zmq.pubsub.Requests.publish;
import static org.vipgate.gateway.zmq.pubsub.Requests.pubsub;
import static org.vipgate.gateway.zmq.pubsub.Requests.subscribe;
import static org.vipgate.gateway.zmq.pubsub.Requests.subscribeAll;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vipgate.gateway.vip.SendResult;
import org.vipgate.gateway.vip.VipMessage;

class PubSubServiceTest {

    private final List<String> unreachable = new ArrayList<>();
    private final RecordingOutbox out = new RecordingOutbox();
    private PubSubService service = new PubSubService(PubSubConfig.defaults(), unreachable::add);

    private static List<String> reply(String peer, String msgId, String kind, String value) {
        return List.of(peer, "", "VIP1", peer, msgId, "pubsub", kind, value);
    }

    private static List<String> error(String peer, String msgId, String errno, String text, String recipient) {
        return List.of(peer, "", "VIP1", peer, msgId, "error", errno, text, recipient, "pubsub");
    }

    private void handle(VipMessage m) {
        service.handle(m, out);
    }

    private void subscribeAndClear(String peer, String prefix) {
        handle(subscribe(peer, prefix));
        out.clear();
    }

    // --- replies -------------------------------------------------------------------------------------------------

    @Test
    void subscribeRepliesRequestResponseWithTheSingleByte01() {
        handle(pubsub("agent", "1.5", "subscribe", "{\"prefix\": \"devices\", \"bus\": \"\", \"all_platforms\": false}"));

        assertThat(out.to("agent")).containsExactly(reply("agent", "1.5", "request_response", "\u0001"));
        assertThat(out.rawTo("agent").get(0).get(7)).containsExactly(0x01);
    }

    @Test
    void publishCountIsFourByteLittleEndianForOneSubscriber() {
        subscribeAndClear("sub", "t");

        handle(publish("pub", "7.1", "t/x"));

        List<byte[]> r = out.rawTo("pub").get(0);
        assertThat(RecordingOutbox.texts(r).subList(0, 7))
                .containsExactly("pub", "", "VIP1", "pub", "7.1", "pubsub", "request_response");
        assertThat(r.get(7)).containsExactly(0x01, 0x00, 0x00, 0x00);
    }

    @Test
    void publishCountOf300IsEncoded2C010000() {
        for (int i = 0; i < 300; i++) {
            subscribeAndClear("sub" + i, "t");
        }

        handle(publish("pub", "7.2", "t"));

        assertThat(out.rawTo("pub")).hasSize(1);
        assertThat(out.rawTo("pub").get(0).get(7)).containsExactly(0x2C, 0x01, 0x00, 0x00);
        assertThat(out.all()).hasSize(301);
    }

    // --- fan-out -------------------------------------------------------------------------------------------------

    @Test
    void fanOutHasEmptySenderPublisherUserAndMsgIdAndRebuiltBody() {
        subscribeAndClear("sub", "devices/");

        handle(Requests.withUser("pub", "user-as-sent", "42.0", "publish", "devices/a/temp",
                "{\"bus\":\"\",\"headers\":{\"min_compatible_version\":\"3.0\",\"max_compatible_version\":\"\"},"
                        + "\"message\":[1,2.5,null,\"\u00e9\"]}"));

        assertThat(out.to("sub")).containsExactly(List.of("sub", "", "VIP1", "user-as-sent", "42.0", "pubsub",
                "publish", "devices/a/temp",
                "{\"sender\": \"pub\", \"bus\": \"\", \"headers\": {\"min_compatible_version\": \"3.0\", "
                        + "\"max_compatible_version\": \"\"}, \"message\": [1, 2.5, null, \"\\u00e9\"]}"));
    }

    @Test
    void matchesByTopicPrefixOnTheSameBusOnly() {
        handle(pubsub("plain", "s1", "subscribe", "{\"prefix\": \"devices/\", \"bus\": \"\"}"));
        handle(pubsub("other", "s2", "subscribe", "{\"prefix\": \"devices/\", \"bus\": \"other\"}"));
        out.clear();

        handle(publish("pub", "p1", "devices/x"));
        handle(publish("pub", "p2", "device"));
        handle(pubsub("pub", "p3", "publish", "devices/y", "{\"bus\": \"other\", \"headers\": {}, \"message\": 1}"));

        assertThat(out.to("plain")).extracting(f -> f.get(7)).containsExactly("devices/x");
        assertThat(out.to("other")).extracting(f -> f.get(7)).containsExactly("devices/y");
    }

    @Test
    void aSubscriberGetsOneCopyWhenSeveralPrefixesMatch() {
        handle(pubsub("sub", "s1", "subscribe", "{\"prefix\": [\"d\", \"de\", \"devices\"], \"bus\": \"\"}"));
        handle(subscribeAll("sub", "dev"));
        out.clear();

        handle(publish("pub", "p1", "devices/x"));

        assertThat(out.to("sub")).hasSize(1);
        assertThat(out.rawTo("pub").get(0).get(7)).containsExactly(1, 0, 0, 0);
    }

    @Test
    void internalAndAllPlatformsSubscribersToTheSamePrefixBothReceive() {
        // vip-zmq.md §8: VOLTTRON lets the internal set replace the all set for the same prefix; we take the union.
        handle(subscribe("local", "t"));
        handle(subscribeAll("everywhere", "t"));
        out.clear();

        handle(publish("pub", "p1", "t/1"));

        assertThat(out.to("local")).hasSize(1);
        assertThat(out.to("everywhere")).hasSize(1);
        assertThat(out.rawTo("pub").get(0).get(7)).containsExactly(2, 0, 0, 0);
    }

    @Test
    void aPublisherSubscribedToItsOwnTopicGetsACopy() {
        subscribeAndClear("pub", "t");

        handle(publish("pub", "p1", "t"));

        assertThat(out.to("pub")).extracting(f -> f.get(6)).containsExactly("publish", "request_response");
    }

    @Test
    void publishWithNoSubscriberAnswersCountZero() {
        handle(publish("pub", "p1", "nobody/listens"));

        assertThat(out.all()).hasSize(1);
        assertThat(out.rawTo("pub").get(0).get(7)).containsExactly(0, 0, 0, 0);
    }

    // --- unsubscribe ---------------------------------------------------------------------------------------------

    @Test
    void unsubscribeScopedRemovesOnlyThatScope() {
        handle(subscribe("sub", "a"));
        handle(subscribeAll("sub", "a"));
        out.clear();

        handle(pubsub("sub", "u1", "unsubscribe", "{\"all\": {\"prefix\": [\"a\"], \"bus\": \"\"}}"));

        assertThat(out.to("sub")).containsExactly(reply("sub", "u1", "request_response", "\u0001"));
        assertThat(service.subscriptionsOf("sub")).containsExactly(new Subscription(Scope.INTERNAL, "", "a"));
    }

    @Test
    void unsubscribeWithNullPrefixRemovesEveryPrefixOnThatBusOnly() {
        handle(pubsub("sub", "s", "subscribe", "{\"prefix\": [\"a\", \"b\"], \"bus\": \"\"}"));
        handle(pubsub("sub", "s", "subscribe", "{\"prefix\": \"c\", \"bus\": \"other\"}"));
        handle(subscribe("keep", "a"));

        handle(pubsub("sub", "u1", "unsubscribe", "{\"internal\": {\"prefix\": null, \"bus\": \"\"}}"));

        assertThat(service.subscriptionsOf("sub")).containsExactly(new Subscription(Scope.INTERNAL, "other", "c"));
        assertThat(service.subscriptionsOf("keep")).hasSize(1);
    }

    @Test
    void legacyFlatUnsubscribeMeansInternal() {
        handle(subscribe("sub", "a"));
        handle(subscribeAll("sub", "a"));
        out.clear();

        handle(pubsub("sub", "u1", "unsubscribe", "{\"prefix\": \"a\", \"bus\": \"\"}"));

        assertThat(out.to("sub")).containsExactly(reply("sub", "u1", "request_response", "\u0001"));
        assertThat(service.subscriptionsOf("sub")).containsExactly(new Subscription(Scope.ALL, "", "a"));
    }

    @Test
    void unsubscribingSomethingNeverSubscribedStillAnswersTrue() {
        handle(pubsub("sub", "u1", "unsubscribe", "{\"internal\": {\"prefix\": \"x\", \"bus\": \"\"}}"));

        assertThat(out.to("sub")).containsExactly(reply("sub", "u1", "request_response", "\u0001"));
    }

    // --- synchronize ---------------------------------------------------------------------------------------------

    @Test
    void synchronizeReplacesAllOfTheSendersSubscriptionsExactlyAndDoesNotReply() {
        handle(pubsub("sub", "s", "subscribe", "{\"prefix\": [\"a\", \"b\"], \"bus\": \"\"}"));
        handle(subscribeAll("sub", "z"));
        handle(subscribe("other", "a"));
        out.clear();

        handle(pubsub("sub", "y1", "synchronize", "connected",
                "{\"subscriptions\": {\"internal\": {\"\": [\"b\", \"c\"]}, \"all\": {\"x\": [\"d\"]}}}"));

        assertThat(out.all()).isEmpty();
        assertThat(service.subscriptionsOf("sub")).containsExactlyInAnyOrder(
                new Subscription(Scope.INTERNAL, "", "b"),
                new Subscription(Scope.INTERNAL, "", "c"),
                new Subscription(Scope.ALL, "x", "d"));
        assertThat(service.subscriptionsOf("other")).containsExactly(new Subscription(Scope.INTERNAL, "", "a"));
    }

    @Test
    void synchronizeWithNoSubscriptionsRemovesEverything() {
        handle(subscribe("sub", "a"));

        handle(pubsub("sub", "y1", "synchronize", "connected", "{\"subscriptions\": {\"internal\": {}, \"all\": {}}}"));

        assertThat(service.subscriptionsOf("sub")).isEmpty();
        assertThat(service.subscriptionCount()).isZero();
    }

    // --- list ----------------------------------------------------------------------------------------------------

    private void listFixture() {
        handle(subscribe("me", "devices/a"));
        handle(subscribe("other", "devices/b"));
        handle(subscribe("other", "analysis"));
        handle(pubsub("me", "s", "subscribe", "{\"prefix\": \"devices/c\", \"bus\": \"bus2\"}"));
        handle(subscribeAll("me", "devices/all"));
        out.clear();
    }

    private String list(String body) {
        out.clear();
        handle(pubsub("me", "l1", "list", body));
        List<List<String>> r = out.to("me");
        assertThat(r).hasSize(1);
        assertThat(r.get(0).subList(0, 7)).containsExactly("me", "", "VIP1", "me", "l1", "pubsub", "list_response");
        return r.get(0).get(7);
    }

    @Test
    void listWithSubscribedFalseShowsEveryMatchingPrefixAndMembership() {
        listFixture();

        assertThat(list("{\"prefix\": \"devices\", \"bus\": \"\", \"subscribed\": false, \"reverse\": false, "
                + "\"all_platforms\": false}"))
                .isEqualTo("[[\"\", \"devices/a\", true], [\"\", \"devices/b\", false]]");
    }

    @Test
    void listWithSubscribedTrueShowsOnlyTheCallersPrefixes() {
        listFixture();

        assertThat(list("{\"prefix\": \"\", \"bus\": \"\", \"subscribed\": true, \"reverse\": false, "
                + "\"all_platforms\": false}"))
                .isEqualTo("[[\"\", \"devices/a\", true]]");
    }

    @Test
    void listReverseShowsPrefixesThatATopicWouldMatch() {
        listFixture();

        assertThat(list("{\"prefix\": \"devices/a/temperature\", \"bus\": \"\", \"subscribed\": false, "
                + "\"reverse\": true, \"all_platforms\": false}"))
                .isEqualTo("[[\"\", \"devices/a\", true]]");
    }

    @Test
    void listWithNullBusCoversEveryBusAndAllPlatformsSelectsTheAllMap() {
        listFixture();

        assertThat(list("{\"prefix\": \"devices/\", \"bus\": null, \"subscribed\": true, \"reverse\": false, "
                + "\"all_platforms\": false}"))
                .isEqualTo("[[\"\", \"devices/a\", true], [\"bus2\", \"devices/c\", true]]");
        assertThat(list("{\"prefix\": \"\", \"bus\": \"\", \"subscribed\": false, \"reverse\": false, "
                + "\"all_platforms\": true}"))
                .isEqualTo("[[\"\", \"devices/all\", true]]");
    }

    // --- protected topics ----------------------------------------------------------------------------------------

    private void protect(String topic, String caps) {
        handle(pubsub("platform.auth", "a1", "protected_update",
                "{\"write-protect\": [{\"topic\": \"" + topic + "\", \"capabilities\": " + caps + "}]}"));
    }

    private void capabilities(String json) {
        handle(pubsub("platform.auth", "a2", "auth_update", "{\"capabilities\": " + json + "}"));
    }

    @Test
    void protectedTopicWithoutTheCapabilityIsRefusedWith32001ThenCountZero() {
        protect("secure/", "[\"can_publish\"]");
        capabilities("{\"pub\": {\"other_cap\": null}}");
        subscribeAndClear("sub", "secure");

        handle(publish("pub", "p1", "secure/x"));

        assertThat(out.to("pub")).containsExactly(
                error("pub", "p1", "-32001", "to publish to topic \"secure/x\" requires capabilities "
                        + "['can_publish'], but capability list {'other_cap': None} was provided", ""),
                reply("pub", "p1", "request_response", "\u0000\u0000\u0000\u0000"));
        assertThat(out.to("sub")).isEmpty();
        assertThat(service.counters().refused()).isEqualTo(1);
    }

    @Test
    void protectedTopicWithTheCapabilityIsDelivered() {
        protect("secure/", "[\"can_publish\"]");
        capabilities("{\"pub\": [\"can_publish\", \"more\"]}");
        subscribeAndClear("sub", "secure");

        handle(publish("pub", "p1", "secure/x"));

        assertThat(out.to("sub")).hasSize(1);
    }

    @Test
    void aPublisherUnknownToTheCapabilityMapIsAllowedByDefault() {
        protect("secure/", "[\"can_publish\"]");
        capabilities("{\"someone_else\": []}");
        subscribeAndClear("sub", "secure");

        handle(publish("pub", "p1", "secure/x"));

        assertThat(out.to("sub")).hasSize(1);
    }

    @Test
    void aPublisherUnknownToTheCapabilityMapIsRefusedWhenConfiguredSo() {
        service = new PubSubService(PubSubConfig.defaults().withAllowUnknownPublishers(false), unreachable::add);
        protect("secure/", "[\"can_publish\"]");
        subscribeAndClear("sub", "secure");

        handle(publish("pub", "p1", "secure/x"));

        assertThat(out.to("sub")).isEmpty();
        assertThat(out.to("pub").get(0)).containsExactly("pub", "", "VIP1", "pub", "p1", "error", "-32001",
                "to publish to topic \"secure/x\" requires capabilities ['can_publish'], but capability list None "
                        + "was provided", "", "pubsub");
    }

    @Test
    void authUpdateFromAnotherSenderIsIgnored() {
        protect("secure/", "[\"can_publish\"]");
        capabilities("{\"pub\": []}");
        handle(pubsub("pub", "evil", "auth_update", "{\"capabilities\": {\"pub\": [\"can_publish\"]}}"));
        subscribeAndClear("sub", "secure");

        handle(publish("pub", "p1", "secure/x"));

        assertThat(out.to("sub")).isEmpty();
        assertThat(service.counters().ignored()).isEqualTo(1);
    }

    @Test
    void protectedUpdateFromAnotherSenderIsIgnored() {
        protect("secure/", "[\"can_publish\"]");
        capabilities("{\"pub\": []}");
        handle(pubsub("pub", "evil", "protected_update", "{\"write-protect\": []}"));
        out.clear();

        handle(publish("pub", "p1", "secure/x"));

        assertThat(out.to("pub").get(0).get(6)).isEqualTo("-32001");
        assertThat(service.protectedTopics().size()).isEqualTo(1);
    }

    @Test
    void authAndProtectedUpdatesAreNotAnswered() {
        protect("secure/", "[\"can_publish\"]");
        capabilities("{\"pub\": []}");

        assertThat(out.all()).isEmpty();
    }

    // --- errors --------------------------------------------------------------------------------------------------

    @Test
    void unknownOpIsAnsweredWithError93() {
        handle(pubsub("agent", "9.9", "frobnicate", "{}"));

        assertThat(out.to("agent")).containsExactly(error("agent", "\"9.9\"", "93", "Protocol not supported", ""));
    }

    @Test
    void malformedJsonIsAnsweredWithInvalidParamsAndNeverThrows() {
        assertThatCode(() -> handle(pubsub("agent", "3.3", "subscribe", "{\"prefix\": "))).doesNotThrowAnyException();

        List<List<String>> r = out.to("agent");
        assertThat(r).hasSize(1);
        assertThat(r.get(0).subList(0, 7)).containsExactly("agent", "", "VIP1", "agent", "\"3.3\"", "error", "-32602");
        assertThat(r.get(0).get(7)).startsWith("invalid pubsub subscribe request: body is not valid JSON");
        assertThat(r.get(0).subList(8, 10)).containsExactly("", "pubsub");
        assertThat(service.counters().malformed()).isEqualTo(1);
    }

    @Test
    void missingFramesAndWrongTypesAreAnsweredWithInvalidParams() {
        handle(pubsub("agent", "m1", "publish", "topic/only"));
        handle(pubsub("agent", "m2", "subscribe", "{\"prefix\": 5, \"bus\": \"\"}"));
        handle(pubsub("agent", "m3"));

        assertThat(out.to("agent")).extracting(f -> f.get(6) + " " + f.get(7)).containsExactly(
                "-32602 invalid pubsub publish request: missing frame 8 (JSON body)",
                "-32602 invalid pubsub subscribe request: \"prefix\" must be a string or a list of strings",
                "-32602 invalid pubsub (no op) request: missing frame 6 (operation)");
        assertThat(service.subscriptionCount()).isZero();
    }

    @Test
    void externalOpsFromALocalAgentAreRefusedAsMalformed() {
        // vip-zmq.md §4.4: these ops come from another platform's link ('instance.*'); see ExternalPubSubServiceTest.
        handle(pubsub("platform", "e1", "external_list", "{\"other\": [\"a\"]}"));
        handle(pubsub("platform", "e2", "external_publish", "t", "{}"));

        assertThat(out.to("platform")).hasSize(2).allSatisfy(m -> assertThat(m.get(6)).isEqualTo("-32602"));
        assertThat(service.counters().malformed()).isEqualTo(2);
        assertThat(service.externalSubscriptions()).isEmpty();
    }

    @Test
    void anOutboxFailureDoesNotEscapeHandle() {
        subscribeAndClear("sub", "t");
        VipMessage m = publish("pub", "p1", "t");

        assertThatCode(() -> service.handle(m, frames -> {
            throw new IllegalStateException("socket broke");
        })).doesNotThrowAnyException();
    }

    // --- delivery failures ---------------------------------------------------------------------------------------

    @Test
    void anUnreachableSubscriberIsDroppedAndReported() {
        subscribeAndClear("gone", "t");
        subscribeAndClear("here", "t");
        out.answer("gone", SendResult.UNREACHABLE);

        handle(publish("pub", "p1", "t"));

        assertThat(unreachable).containsExactly("gone");
        assertThat(service.subscriptionsOf("gone")).isEmpty();
        assertThat(out.rawTo("pub").get(0).get(7)).containsExactly(1, 0, 0, 0);

        out.clear();
        handle(publish("pub", "p2", "t"));
        assertThat(out.attempts()).containsExactly("here", "pub");
        assertThat(unreachable).containsExactly("gone");
    }

    @Test
    void aFullSubscriberQueueIsReportedToThePublisherAsError11() {
        subscribeAndClear("slow", "t");
        out.answer("slow", SendResult.AGAIN);

        handle(publish("pub", "p1", "t"));

        assertThat(out.to("pub")).containsExactly(
                error("pub", "p1", "11", "Resource temporarily unavailable", "slow"),
                reply("pub", "p1", "request_response", "\u0000\u0000\u0000\u0000"));
        assertThat(service.subscriptionsOf("slow")).hasSize(1);
        assertThat(unreachable).isEmpty();
    }

    @Test
    void dropPeerRemovesAllOfItsSubscriptions() {
        handle(subscribe("sub", "a"));
        handle(subscribeAll("sub", "b"));
        handle(subscribe("other", "a"));

        service.dropPeer("sub");

        assertThat(service.subscriptionsOf("sub")).isEmpty();
        assertThat(service.subscriptionCount()).isEqualTo(1);
    }

    // --- bounds --------------------------------------------------------------------------------------------------

    @Test
    void subscribingBeyondThePerPeerLimitIsRefusedWhole() {
        service = new PubSubService(PubSubConfig.defaults().withLimits(3, 100), unreachable::add);
        handle(pubsub("sub", "s1", "subscribe", "{\"prefix\": [\"a\", \"b\"], \"bus\": \"\"}"));
        out.clear();

        handle(pubsub("sub", "s2", "subscribe", "{\"prefix\": [\"c\", \"d\"], \"bus\": \"\"}"));

        List<String> r = out.to("sub").get(0);
        assertThat(r.subList(5, 7)).containsExactly("error", "105");
        assertThat(r.get(7)).startsWith("pubsub subscription limit reached: peer 'sub' would hold 4");
        assertThat(service.subscriptionsOf("sub")).hasSize(2);
        assertThat(service.counters().overLimit()).isEqualTo(1);
    }

    @Test
    void subscribingBeyondTheTotalLimitIsRefused() {
        service = new PubSubService(PubSubConfig.defaults().withLimits(10, 3), unreachable::add);
        handle(pubsub("one", "s1", "subscribe", "{\"prefix\": [\"a\", \"b\"], \"bus\": \"\"}"));
        out.clear();

        handle(pubsub("two", "s2", "subscribe", "{\"prefix\": [\"c\", \"d\"], \"bus\": \"\"}"));

        assertThat(out.to("two").get(0).get(6)).isEqualTo("105");
        assertThat(service.subscriptionCount()).isEqualTo(2);
    }

    @Test
    void resubscribingTheSamePrefixDoesNotCountTwice() {
        service = new PubSubService(PubSubConfig.defaults().withLimits(1, 1), unreachable::add);
        handle(subscribe("sub", "a"));
        handle(subscribe("sub", "a"));

        assertThat(out.to("sub")).extracting(f -> f.get(6)).containsExactly("request_response", "request_response");
    }

    @Test
    void synchronizeBeyondTheLimitIsRefusedAndKeepsTheOldSet() {
        service = new PubSubService(PubSubConfig.defaults().withLimits(2, 100), unreachable::add);
        handle(subscribe("sub", "a"));
        out.clear();

        handle(pubsub("sub", "y1", "synchronize", "connected",
                "{\"subscriptions\": {\"internal\": {\"\": [\"b\", \"c\", \"d\"]}}}"));

        assertThat(out.to("sub").get(0).get(6)).isEqualTo("105");
        assertThat(service.subscriptionsOf("sub")).isEqualTo(Set.of(new Subscription(Scope.INTERNAL, "", "a")));
    }

    // --- counters ------------------------------------------------------------------------------------------------

    @Test
    void countersTrackPublishesAndDeliveries() {
        subscribeAndClear("a", "t");
        subscribeAndClear("b", "t");

        handle(publish("pub", "p1", "t"));
        handle(publish("pub", "p2", "nothing"));

        assertThat(service.counters().published()).isEqualTo(2);
        assertThat(service.counters().delivered()).isEqualTo(2);
    }
}
