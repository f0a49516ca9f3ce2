package org.vipgate.gateway.zmq.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vipgate.gateway.zmq.pubsub.Requests.publish;
import static org.vipgate.gateway.zmq.pubsub.Requests.subscribe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtectedTopicsFileTest {

    @TempDir
    Path home;

    private Path write(String json, Instant mtime) throws Exception {
        Path f = home.resolve(ProtectedTopicsFile.FILE_NAME);
        Files.writeString(f, json);
        Files.setLastModifiedTime(f, FileTime.from(mtime));
        return f;
    }

    @Test
    void aMissingFileMeansNoProtectedTopics() {
        Optional<ProtectedTopics> t = ProtectedTopicsFile.in(home).reloadIfChanged();

        assertThat(t).hasValueSatisfying(p -> assertThat(p.size()).isZero());
    }

    @Test
    void readsOnceAndAgainOnlyWhenTheFileChanges() throws Exception {
        write("{\"write-protect\": [{\"topic\": \"a\", \"capabilities\": [\"c\"]}]}", Instant.ofEpochSecond(1000));
        ProtectedTopicsFile file = ProtectedTopicsFile.in(home);

        assertThat(file.reloadIfChanged()).hasValueSatisfying(p -> assertThat(p.size()).isEqualTo(1));
        assertThat(file.reloadIfChanged()).isEmpty();

        write("{\"write-protect\": []}", Instant.ofEpochSecond(2000));
        assertThat(file.reloadIfChanged()).hasValueSatisfying(p -> assertThat(p.size()).isZero());
    }

    @Test
    void aBrokenFileKeepsThePreviousTopics() throws Exception {
        write("{\"write-protect\": [", Instant.ofEpochSecond(1000));

        assertThat(ProtectedTopicsFile.in(home).reloadIfChanged()).isEmpty();
    }

    @Test
    void theServiceRereadsTheFileOnPublishWhenItChanged() throws Exception {
        write("{\"write-protect\": [{\"topic\": \"secure\", \"capabilities\": [\"c\"]}]}",
                Instant.ofEpochSecond(1000));
        PubSubService service = new PubSubService(PubSubConfig.forVolttronHome(home)
                .withAllowUnknownPublishers(false).withProtectedTopicsCheckInterval(Duration.ZERO), id -> { });
        RecordingOutbox out = new RecordingOutbox();
        service.handle(subscribe("sub", "secure"), out);
        out.clear();

        service.handle(publish("pub", "p1", "secure/x"), out);
        assertThat(out.to("sub")).isEmpty();

        write("{\"write-protect\": []}", Instant.ofEpochSecond(2000));
        service.handle(publish("pub", "p2", "secure/x"), out);
        assertThat(out.to("sub")).hasSize(1);
    }
}
