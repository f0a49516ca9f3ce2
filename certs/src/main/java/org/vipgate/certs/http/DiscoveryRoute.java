package org.vipgate.certs.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /discovery/} (certs-csr-discovery.md §3.1): this platform's keys and addresses, unauthenticated, as
 * the {@link DiscoveryInfo} supplier gives them at the time of the request.
 *
 * <p>{@code POST /discovery/allow} is answered 403: in VOLTTRON it adds a CURVE key to auth.json without any
 * authentication (§3.1), which lets anyone on the network in.
 */
public final class DiscoveryRoute implements WebRoute {

    private static final Logger log = LoggerFactory.getLogger(DiscoveryRoute.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** §3.1: route {@code ^/discovery/$}, trailing slash required. */
    public static final String PATH = "/discovery/";
    public static final String ALLOW_PATH = "/discovery/allow";

    private final Supplier<DiscoveryInfo> info;

    /** @param info asked on every request, so the answer follows changes at run time; may return null when not ready */
    public DiscoveryRoute(Supplier<DiscoveryInfo> info) {
        this.info = Objects.requireNonNull(info, "info");
    }

    @Override
    public boolean matches(WebRequest request) {
        return request.path().equals(PATH) || request.path().equals(ALLOW_PATH);
    }

    @Override
    public WebResponse handle(WebRequest request) throws JsonProcessingException {
        if (request.path().equals(ALLOW_PATH)) {
            log.warn("Refused {} {} from {}: vipgate does not add CURVE keys over unauthenticated HTTP",
                    request.method(), ALLOW_PATH, request.remoteAddress());
            return WebResponse.text(HttpResponseStatus.FORBIDDEN, "/discovery/allow is not supported: it would add"
                    + " a CURVE key to auth.json without authentication. Ask the administrator to add the key.\n");
        }
        if (!request.method().equals(HttpMethod.GET)) {
            return WebResponse.text(HttpResponseStatus.METHOD_NOT_ALLOWED, request.method() + " is not allowed on "
                    + PATH + "; use GET\n").withHeader("Allow", "GET");
        }
        DiscoveryInfo current = info.get();
        if (current == null) {
            log.info("Discovery asked by {} before this platform's information is known; answered 503",
                    request.remoteAddress());
            return WebResponse.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "discovery information is not available yet; retry later\n").withHeader("Retry-After", "5");
        }
        return WebResponse.json(HttpResponseStatus.OK, JSON.writeValueAsString(current.toWire()));
    }
}
