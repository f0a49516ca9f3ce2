package org.vipgate.gateway.zmq.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProtectedTopicsTest {

    private static ProtectedTopics of(String json) throws Exception {
        return ProtectedTopics.fromJson(PythonJson.parse(json));
    }

    @Test
    void exactTopicWinsOverAnEarlierPrefix() throws Exception {
        ProtectedTopics t = of("{\"write-protect\": [{\"topic\": \"a\", \"capabilities\": [\"prefix_cap\"]},"
                + "{\"topic\": \"a/b\", \"capabilities\": [\"exact_cap\"]}]}");

        assertThat(t.requiredCapabilities("a/b")).containsExactly("exact_cap");
    }

    @Test
    void thenTheFirstPlainEntryThatIsAStringPrefixInFileOrder() throws Exception {
        ProtectedTopics t = of("{\"write-protect\": [{\"topic\": \"dev\", \"capabilities\": [\"first\"]},"
                + "{\"topic\": \"devices/\", \"capabilities\": [\"second\"]}]}");

        assertThat(t.requiredCapabilities("devices/x")).containsExactly("first");
        assertThat(t.requiredCapabilities("other")).isEmpty();
    }

    @Test
    void thenRegularExpressionsAnchoredAtBothEnds() throws Exception {
        ProtectedTopics t = of("{\"write-protect\": [{\"topic\": \"/devices/.*/temp/\", \"capabilities\": \"c\"}]}");

        assertThat(t.requiredCapabilities("devices/a/temp")).containsExactly("c");
        assertThat(t.requiredCapabilities("devices/a/temperature")).isEmpty();
        assertThat(t.requiredCapabilities("x/devices/a/temp")).isEmpty();
    }

    @Test
    void missingWriteProtectListMeansNothingIsProtected() throws Exception {
        assertThat(of("{}").size()).isZero();
    }

    @Test
    void badEntriesAreRejected() {
        assertThatThrownBy(() -> of("{\"write-protect\": [{\"capabilities\": [\"c\"]}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"topic\"");
        assertThatThrownBy(() -> of("{\"write-protect\": [{\"topic\": \"t\", \"capabilities\": [1]}]}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> of("{\"write-protect\": [{\"topic\": \"/(/\", \"capabilities\": [\"c\"]}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("regular expression");
    }
}
