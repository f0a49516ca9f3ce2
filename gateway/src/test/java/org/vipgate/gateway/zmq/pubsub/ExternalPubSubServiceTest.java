package org.vipgate.gateway.zmq.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.gateway.vip.SendResult;
import org.vipgate.gateway.vip.VipMessage;

/** The multi-platform ops of the pubsub service (vip-zmq.md §4.4), without sockets. */
class ExternalPubSubServiceTest {

    private static final String LINK = "instance.B.0.25";

    @TempDir
    Path home;

    private PubSubService service;
    private final RecordingOutbox out = new RecordingOutbox();
    private final List<String> toPlatforms = new ArrayList<>();
    private final List<List<byte[]>> platformFrames = new ArrayList<>();

    @BeforeEach
    void create() {
        service = new PubSubService(PubSubConfig.forVolttronHome(home), id -> { });
        service.linkPlatforms("A", (platform, frames) -> {
            toPlatforms.add(platform);
            platformFrames.add(frames);
            return SendResult.SENT;
        });
    }

    @Test
    void externalListIsStoredRepliedAndDrivesExternalPublish() {
        service.handle(Requests.pubsub(LINK, "", "external_list", "{\"B\": [\"devices/\"], \"A\": [\"x\"]}"), out);

        assertThat(service.externalSubscriptions()).isEqualTo(Map.of("B", List.of("devices/")));
        assertThat(out.to(LINK)).singleElement().satisfies(m -> assertThat(m.get(6)).isEqualTo("request_response"));

        service.handle(Requests.publish("driver", "p-1", "devices/x/all"), out);
        service.handle(Requests.publish("driver", "p-2", "other/topic"), out);

        assertThat(toPlatforms).containsExactly("B");
        List<byte[]> frames = platformFrames.get(0);
        assertThat(VipMessage.text(frames.get(3))).isEqualTo("p-1");
        assertThat(VipMessage.text(frames.get(5))).isEqualTo("external_publish");
        assertThat(VipMessage.text(frames.get(6))).isEqualTo("devices/x/all");
        assertThat(VipMessage.text(frames.get(7))).contains("\"sender\": \"driver\"");
    }

    @Test
    void externalPublishReachesInternalAndAllSubscribersWithTheRemotePublisher() {
        service.handle(Requests.subscribe("local", "devices/"), out);
        service.handle(Requests.subscribeAll("everywhere", "devices/"), out);
        out.clear();

        service.handle(Requests.pubsub(LINK, "m-9", "external_publish", "devices/x",
                "{\"sender\": \"driver\", \"bus\": \"\", \"headers\": {}, \"message\": 1}"), out);

        assertThat(out.to("local")).singleElement().satisfies(m -> {
            assertThat(m.get(1)).isEmpty();
            assertThat(m.get(6)).isEqualTo("publish");
            assertThat(m.get(8)).contains("\"sender\": \"driver\"");
        });
        assertThat(out.to("everywhere")).hasSize(1);
        assertThat(out.to(LINK)).as("no reply to the other platform").isEmpty();
    }

    @Test
    void platformOpsFromLocalAgentsAndOverLimitListsAreRefused() {
        service.handle(Requests.pubsub("agent", "x-1", "external_list", "{\"B\": [\"a\"]}"), out);
        assertThat(out.to("agent")).singleElement().satisfies(m -> assertThat(m.get(6)).isEqualTo("-32602"));

        String huge = "\"" + "a".repeat(ExternalSubscriptions.MAX_PREFIX_CHARS + 1) + "\"";
        service.handle(Requests.pubsub(LINK, "x-2", "external_list", "{\"B\": [" + huge + "]}"), out);
        assertThat(service.externalSubscriptions()).isEmpty();
        assertThat(service.counters().malformed()).isEqualTo(1);
    }
}
