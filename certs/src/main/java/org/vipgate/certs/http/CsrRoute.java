package org.vipgate.certs.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.csr.CsrReply;
import org.vipgate.certs.csr.CsrService;

/**
 * {@code POST /csr/request_new} (certs-csr-discovery.md §2.2): a remote platform asks this CA to sign a
 * certificate request. Add it to the server only on a RabbitMQ platform, as VOLTTRON does.
 *
 * <p>Bad input is answered 400 with the reason: a body that is not JSON, JSON that is not an object (or a string
 * holding one), no {@code csr} string, a {@code csr} without the PEM armor. Everything else goes to
 * {@link CsrService#requestNew} and its reply is sent as VOLTTRON sends it: HTTP 200,
 * {@code {"status": ..., "cert"?: ..., "message"?: ...}}.
 */
public final class CsrRoute implements WebRoute {

    private static final Logger log = LoggerFactory.getLogger(CsrRoute.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** §2.2: route {@code ^/csr/request_new$}. */
    public static final String PATH = "/csr/request_new";
    static final String PEM_ARMOR = "-----BEGIN CERTIFICATE REQUEST-----";
    // certs-csr-discovery.md §2.2: VOLTTRON's texts, typo included, since clients may show or match them.
    static final String PENDING_MESSAGE = "The request is pending admininstrator approval.";
    static final String DENIED_MESSAGE = "The request has been denied by the administrator.";

    private final CsrService csrs;

    public CsrRoute(CsrService csrs) {
        this.csrs = Objects.requireNonNull(csrs, "csrs");
    }

    @Override
    public boolean matches(WebRequest request) {
        return request.path().equals(PATH);
    }

    @Override
    public WebResponse handle(WebRequest request) throws JsonProcessingException {
        if (!request.method().equals(HttpMethod.POST)) {
            return WebResponse.text(HttpResponseStatus.METHOD_NOT_ALLOWED, request.method() + " is not allowed on "
                    + PATH + "; use POST\n").withHeader("Allow", "POST");
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.bodyText());
            // §2.2: VOLTTRON's client double-encodes: a JSON string whose content is the JSON object.
            if (body != null && body.isTextual()) {
                body = JSON.readTree(body.textValue());
            }
        } catch (JsonProcessingException e) {
            return badRequest(request, "body is not valid JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            return badRequest(request, "body must be a JSON object with a \"csr\" string, or a JSON string holding"
                    + " one");
        }
        // §2.2: only "csr" is read; "identity" and "hostname" are ignored.
        JsonNode csr = body.get("csr");
        if (csr == null || !csr.isTextual()) {
            return badRequest(request, "missing \"csr\" string in the body");
        }
        if (!csr.textValue().contains(PEM_ARMOR)) {
            return badRequest(request, "csr is not a PEM certificate request");
        }
        CsrReply reply = csrs.requestNew(csr.textValue(), request.remoteAddress());
        log.info("Certificate request from {}: answered {}", request.remoteAddress(), reply.status());
        return WebResponse.json(HttpResponseStatus.OK, JSON.writeValueAsString(toWire(reply)));
    }

    /** §2.2, §7.4: {@code {"status": ..., "cert"?: PEM, "message"?: ...}}. */
    static ObjectNode toWire(CsrReply reply) {
        ObjectNode out = JSON.createObjectNode();
        out.put("status", reply.status());
        if (reply instanceof CsrReply.Approved approved) {
            out.put("cert", approved.certificatePem());
        } else if (reply instanceof CsrReply.Successful successful) {
            out.put("cert", successful.certificatePem());
        } else if (reply instanceof CsrReply.Pending) {
            out.put("message", PENDING_MESSAGE);
        } else if (reply instanceof CsrReply.Denied) {
            out.put("message", DENIED_MESSAGE);
        } else if (reply instanceof CsrReply.Error error) {
            out.put("message", error.message());
        }
        return out;
    }

    private static WebResponse badRequest(WebRequest request, String reason) {
        log.info("Refused certificate request from {}: {}", request.remoteAddress(), reason);
        return WebResponse.text(HttpResponseStatus.BAD_REQUEST, reason + "\n");
    }
}
