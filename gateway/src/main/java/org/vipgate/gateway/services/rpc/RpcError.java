package org.vipgate.gateway.services.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON-RPC error as VOLTTRON's agents send and read it (docs/protocol/platform-services.md, "JSON-RPC over VIP").
 *
 * @param code    the JSON-RPC code
 * @param message the short message
 * @param data    the {@code data} member, or null
 */
public record RpcError(int code, String message, JsonNode data) {

    /** A method raised: VOLTTRON wraps every exception in this code. */
    public static final int UNHANDLED_EXCEPTION = -32000;
    /** VOLTTRON's UNAUTHORIZED, carried inside an {@link #UNHANDLED_EXCEPTION}. */
    public static final int UNAUTHORIZED = -32001;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INVALID_REQUEST = -32600;

    /** The exception type VOLTTRON gives its UNAUTHORIZED error. */
    public static final String VOLTTRON_ERROR_TYPE = "volttron.platform.jsonrpc.Error";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * What a Python agent sends when its method raised {@code excType(detail)}: code -32000, message
     * {@code unhandled exception}, {@code data.detail} the text the caller's {@code RemoteError} shows.
     */
    public static RpcError raised(String excType, String detail) {
        ArrayNode args = NODES.arrayNode().add(detail);
        return raised(excType, detail, args);
    }

    /** As {@link #raised(String, String)} with the exception's own arguments. */
    public static RpcError raised(String excType, String detail, ArrayNode excArgs) {
        ObjectNode exception = NODES.objectNode();
        exception.put("exc_tb", "");
        exception.put("exc_type", excType);
        exception.set("exc_args", excArgs);
        ObjectNode data = NODES.objectNode();
        data.put("detail", detail);
        data.set("exception.py", exception);
        return new RpcError(UNHANDLED_EXCEPTION, "unhandled exception", data);
    }

    /** VOLTTRON's refusal of a capability check: -32000 wrapping {@code Error(-32001, text)}. */
    public static RpcError unauthorized(String text) {
        return raised(VOLTTRON_ERROR_TYPE, text, NODES.arrayNode().add(UNAUTHORIZED).add(text));
    }

    /** No such method. */
    public static RpcError methodNotFound(String method) {
        ObjectNode data = NODES.objectNode();
        data.put("detail", "method '" + method + "' is not implemented");
        return new RpcError(METHOD_NOT_FOUND, "unimplemented method", data);
    }

    /** Arguments that do not fit the method; {@code detail} says which. */
    public static RpcError invalidParams(String detail) {
        return raised("builtins.TypeError", detail);
    }

    /** The error as the {@code error} member of a reply. */
    public ObjectNode toJson() {
        ObjectNode e = NODES.objectNode();
        e.put("code", code);
        e.put("message", message);
        if (data != null) {
            e.set("data", data);
        }
        return e;
    }

    /** The text a caller shows: {@code data.detail} when there is one, else the message. */
    public String detail() {
        JsonNode d = data == null ? null : data.get("detail");
        return d != null && d.isTextual() ? d.textValue() : message;
    }

    /** Reads the {@code error} member of a reply. */
    public static RpcError fromJson(JsonNode error) {
        int code = error.path("code").asInt(UNHANDLED_EXCEPTION);
        String message = error.path("message").asText("");
        JsonNode data = error.get("data");
        return new RpcError(code, message, data);
    }
}
