package org.vipgate.certs.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.csr.CsrException;
import org.vipgate.certs.csr.CsrRecord;
import org.vipgate.certs.csr.CsrService;
import org.vipgate.certs.http.WebRequest;
import org.vipgate.certs.http.WebResponse;

/**
 * The JSON API under {@code /admin/api/} for a logged-in administrator (certs-csr-discovery.md §2.4, with
 * VOLTTRON's GETs turned into POSTs): {@code GET csrs}, {@code POST approve_csr/<CN>}, {@code deny_csr/<CN>},
 * {@code delete_csr/<CN>}. State changes need {@code X-Requested-With: vipgate} (a CSRF guard besides the
 * SameSite cookie).
 */
final class AdminApi {

    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PREFIX = "/admin/api/";
    static final String CSRF_HEADER = "X-Requested-With";
    static final String CSRF_VALUE = "vipgate";
    private static final Pattern ACTION = Pattern.compile("/admin/api/(approve|deny|delete)_csr/([^/]+)");

    private final CsrService csrs;

    AdminApi(CsrService csrs) {
        this.csrs = csrs;
    }

    WebResponse handle(WebRequest request, String user) throws JsonProcessingException {
        String path = request.path();
        if (path.equals(PREFIX + "csrs")) {
            if (!request.method().equals(HttpMethod.GET)) {
                return error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET").withHeader("Allow", "GET");
            }
            return list();
        }
        Matcher m = ACTION.matcher(path);
        if (!m.matches()) {
            return error(HttpResponseStatus.NOT_FOUND, "unknown admin API call " + path);
        }
        if (!request.method().equals(HttpMethod.POST)) {
            return error(HttpResponseStatus.METHOD_NOT_ALLOWED, "state changes need POST")
                    .withHeader("Allow", "POST");
        }
        if (!CSRF_VALUE.equals(request.header(CSRF_HEADER).orElse(null))) {
            log.warn("Refused {} from {} (user {}): missing header {}: {} (cross-site request?)", path,
                    request.remoteAddress(), user, CSRF_HEADER, CSRF_VALUE);
            return error(HttpResponseStatus.FORBIDDEN, "missing header " + CSRF_HEADER + ": " + CSRF_VALUE);
        }
        String action = m.group(1);
        String cn = m.group(2);
        if (csrs.list().stream().noneMatch(r -> r.commonName().equals(cn))) {
            return error(HttpResponseStatus.NOT_FOUND, "unknown common name: " + cn);
        }
        ObjectNode out = JSON.createObjectNode();
        try {
            switch (action) {
                case "approve" -> {
                    csrs.approve(cn);
                    out.put("status", "APPROVED");
                    csrs.certificate(cn).ifPresent(cert -> out.put("cert", cert));
                }
                case "deny" -> {
                    csrs.deny(cn);
                    out.put("status", "DENIED").put("message", "The administrator has denied the request");
                }
                default -> {
                    csrs.delete(cn);
                    // §2.4: VOLTTRON says "denied" here (sic); our own UI says what happened.
                    out.put("status", "DELETED").put("message", "The administrator has deleted the request");
                }
            }
        } catch (CsrException e) {
            log.warn("Admin {} from {} could not {} {}: {}", user, request.remoteAddress(), action, cn,
                    e.getMessage());
            out.put("status", "ERROR").put("message", e.getMessage());
            return WebResponse.json(HttpResponseStatus.CONFLICT, JSON.writeValueAsString(out));
        }
        log.info("Admin {} from {}: {} certificate request {}", user, request.remoteAddress(),
                out.get("status").asText(), cn);
        out.put("common_name", cn);
        return WebResponse.json(HttpResponseStatus.OK, JSON.writeValueAsString(out));
    }

    private WebResponse list() throws JsonProcessingException {
        ArrayNode out = JSON.createArrayNode();
        for (CsrRecord r : csrs.list()) {
            out.addObject().put("common_name", r.commonName()).put("remote_address", r.remoteAddress())
                    .put("status", r.status().name()).put("requested_at", r.requestedAt().toString());
        }
        return WebResponse.json(HttpResponseStatus.OK, JSON.writeValueAsString(out));
    }

    static WebResponse error(HttpResponseStatus status, String message) {
        try {
            return WebResponse.json(status, JSON.writeValueAsString(JSON.createObjectNode().put("error", message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Jackson cannot write a one-field object", e);
        }
    }
}
