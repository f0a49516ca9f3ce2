package org.vipgate.gateway.services.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The four params shapes VOLTTRON sends, each read by position and by name. */
class RpcParamsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RpcParams of(String json) throws Exception {
        return RpcParams.of(json == null ? null : JSON.readTree(json));
    }

    @Test
    void everyShapeGivesTheSameArguments() throws Exception {
        for (String shape : new String[] {"[\"a\", \"n\", false]", "{\"identity\": \"a\", \"config_name\": \"n\","
                + " \"raw\": false}", "{\"*args\": [\"a\"], \"**kwargs\": {\"config_name\": \"n\", \"raw\": false}}"}) {
            RpcParams p = of(shape).only("get_config", "identity", "config_name", "raw");
            assertThat(p.text(0, "identity")).as(shape).isEqualTo("a");
            assertThat(p.text(1, "config_name")).as(shape).isEqualTo("n");
            assertThat(p.flag(2, "raw", true)).as(shape).isFalse();
        }
        assertThat(of(null).flag(0, "raw", true)).isTrue();
    }

    @Test
    void wrongArgumentsAreRefusedWithPythonsWords() throws Exception {
        assertThatThrownBy(() -> of("{\"identity\": \"a\", \"oops\": 1}").only("list_configs", "identity"))
                .hasMessage("list_configs() got an unexpected keyword argument 'oops'");
        assertThatThrownBy(() -> of("{\"*args\": [\"a\"], \"**kwargs\": {\"identity\": \"b\"}}").text(0, "identity"))
                .hasMessage("got multiple values for argument 'identity'");
        assertThatThrownBy(() -> of("[]").text(0, "identity")).hasMessage("missing required argument: 'identity'");
        assertThatThrownBy(() -> of("[1]").text(0, "identity")).hasMessageContaining("must be a string");
        assertThatThrownBy(() -> of("3")).isInstanceOf(RpcException.class);
        JsonNode data = RpcError.methodNotFound("x").toJson();
        assertThat(data.path("code").asInt()).isEqualTo(-32601);
    }
}
