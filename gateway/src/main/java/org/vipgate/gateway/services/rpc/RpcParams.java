package org.vipgate.gateway.services.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;

/**
 * The arguments of one call in the four shapes VOLTTRON sends (docs/protocol/platform-services.md, "JSON-RPC over
 * VIP"): none, a list, an object of keywords, or {@code {"*args": [...], "**kwargs": {...}}}. Every parameter can be
 * read by position or by name, as Python binds them.
 */
public final class RpcParams {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ArrayNode positional;
    private final ObjectNode keywords;

    private RpcParams(ArrayNode positional, ObjectNode keywords) {
        this.positional = positional;
        this.keywords = keywords;
    }

    /** Reads the {@code params} member; a shape that is none of the four is an error naming what came. */
    public static RpcParams of(JsonNode params) throws RpcException {
        if (params == null || params.isNull() || params.isMissingNode()) {
            return new RpcParams(NODES.arrayNode(), NODES.objectNode());
        }
        if (params.isArray()) {
            return new RpcParams((ArrayNode) params, NODES.objectNode());
        }
        if (!params.isObject()) {
            throw new RpcException(RpcError.invalidParams("params must be a list or an object, not "
                    + params.getNodeType()));
        }
        JsonNode args = params.get("*args");
        JsonNode kwargs = params.get("**kwargs");
        if ((args != null || kwargs != null) && params.size() <= 2) {
            if ((args != null && !args.isArray()) || (kwargs != null && !kwargs.isObject())) {
                throw new RpcException(RpcError.invalidParams("'*args' must be a list and '**kwargs' an object"));
            }
            return new RpcParams(args == null ? NODES.arrayNode() : (ArrayNode) args,
                    kwargs == null ? NODES.objectNode() : (ObjectNode) kwargs);
        }
        return new RpcParams(NODES.arrayNode(), (ObjectNode) params);
    }

    /** Positional and keyword arguments. */
    public static RpcParams of(ArrayNode positional, ObjectNode keywords) {
        return new RpcParams(positional, keywords);
    }

    /** Parameter {@code name} at {@code position}, or null when the call leaves it out. */
    public JsonNode get(int position, String name) throws RpcException {
        JsonNode byPosition = position < positional.size() ? positional.get(position) : null;
        JsonNode byName = keywords.get(name);
        if (byPosition != null && byName != null) {
            throw new RpcException(RpcError.invalidParams("got multiple values for argument '" + name + "'"));
        }
        return byPosition != null ? byPosition : byName;
    }

    /** A required text parameter. */
    public String text(int position, String name) throws RpcException {
        JsonNode v = get(position, name);
        if (v == null) {
            throw new RpcException(RpcError.invalidParams("missing required argument: '" + name + "'"));
        }
        if (!v.isTextual()) {
            throw new RpcException(RpcError.invalidParams("argument '" + name + "' must be a string, not "
                    + v.getNodeType()));
        }
        return v.textValue();
    }

    /** An optional text parameter. */
    public String text(int position, String name, String otherwise) throws RpcException {
        JsonNode v = get(position, name);
        return v == null || v.isNull() ? otherwise : text(position, name);
    }

    /** An optional parameter read as Python truth (booleans, numbers, null). */
    public boolean flag(int position, String name, boolean otherwise) throws RpcException {
        JsonNode v = get(position, name);
        if (v == null) {
            return otherwise;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNull()) {
            return false;
        }
        if (v.isNumber()) {
            return v.asDouble() != 0;
        }
        if (v.isTextual()) {
            return !v.textValue().isEmpty();
        }
        return v.size() > 0;
    }

    /** Fails when the call names a keyword outside {@code allowed}, as Python does. */
    public RpcParams only(String method, String... allowed) throws RpcException {
        Iterator<String> names = keywords.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!java.util.Arrays.asList(allowed).contains(n)) {
                throw new RpcException(RpcError.invalidParams(method + "() got an unexpected keyword argument '"
                        + n + "'"));
            }
        }
        if (positional.size() > allowed.length) {
            throw new RpcException(RpcError.invalidParams(method + "() takes " + allowed.length
                    + " arguments but " + positional.size() + " were given"));
        }
        return this;
    }

    /** The arguments bound to {@code names}, defaults left out: what a capability's parameter check looks at. */
    public ObjectNode bound(String... names) throws RpcException {
        ObjectNode out = NODES.objectNode();
        for (int i = 0; i < names.length; i++) {
            JsonNode v = get(i, names[i]);
            if (v != null) {
                out.set(names[i], v);
            }
        }
        return out;
    }
}
