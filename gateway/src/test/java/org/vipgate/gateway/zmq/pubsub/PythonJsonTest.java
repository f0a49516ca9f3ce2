package org.vipgate.gateway.zmq.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PythonJsonTest {

    @Test
    void dumpsMatchesPythonJsonDumpsDefaults() throws Exception {
        // Expected text produced by CPython 3: json.dumps({...}) with default arguments.
        String in = "{\"sender\":\"pub\",\"bus\":\"\",\"headers\":{\"min_compatible_version\":\"3.0\","
                + "\"max_compatible_version\":\"\"},\"message\":{\"a\":[1,2.5,null,true,"
                + "\"\u00e9\u007f\\n\uD83D\uDE00\\\"\\\\/\"],\"n\":NaN,\"i\":Infinity}}";

        assertThat(PythonJson.dumps(PythonJson.parse(in))).isEqualTo(
                "{\"sender\": \"pub\", \"bus\": \"\", \"headers\": {\"min_compatible_version\": \"3.0\", "
                        + "\"max_compatible_version\": \"\"}, \"message\": {\"a\": [1, 2.5, null, true, "
                        + "\"\\u00e9\\u007f\\n\\ud83d\\ude00\\\"\\\\/\"], \"n\": NaN, \"i\": Infinity}}");
    }

    @Test
    void emptyContainersHaveNoInnerSpace() throws Exception {
        assertThat(PythonJson.dumps(PythonJson.parse("{\"a\":{},\"b\":[]}"))).isEqualTo("{\"a\": {}, \"b\": []}");
    }

    @Test
    void reprMatchesPython() throws Exception {
        assertThat(PythonJson.repr(PythonJson.parse(
                "{\"edit_config_store\": {\"identity\": \"x\"}, \"b\": null, \"c\": [\"it's\", true]}")))
                .isEqualTo("{'edit_config_store': {'identity': 'x'}, 'b': None, 'c': [\"it's\", True]}");
    }

    @Test
    void trailingDataAndEmptyTextAreRejected() {
        assertThatThrownBy(() -> PythonJson.parse("{} x")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> PythonJson.parse("")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> PythonJson.parseObject("[1]"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("must be a JSON object");
    }
}
