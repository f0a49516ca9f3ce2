package org.vipgate.certs.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one {@link WebServer}, safe to update from any thread. */
final class WebServerStats {

    final AtomicLong requests = new AtomicLong();
    final AtomicLong status1xx = new AtomicLong();
    final AtomicLong status2xx = new AtomicLong();
    final AtomicLong status3xx = new AtomicLong();
    final AtomicLong status4xx = new AtomicLong();
    final AtomicLong status5xx = new AtomicLong();
    final AtomicLong malformedRequests = new AtomicLong();
    final AtomicLong oversizedRequests = new AtomicLong();
    final AtomicLong overloaded = new AtomicLong();
    final AtomicLong routeFailures = new AtomicLong();
    final AtomicLong acceptedConnections = new AtomicLong();
    final AtomicLong rejectedConnections = new AtomicLong();
    final AtomicLong idleClosed = new AtomicLong();
    final AtomicLong tlsHandshakeFailures = new AtomicLong();
    final AtomicLong openConnections = new AtomicLong();

    void responded(int status) {
        switch (status / 100) {
            case 1 -> status1xx.incrementAndGet();
            case 2 -> status2xx.incrementAndGet();
            case 3 -> status3xx.incrementAndGet();
            case 4 -> status4xx.incrementAndGet();
            default -> status5xx.incrementAndGet();
        }
    }

    /** A snapshot, keys in a fixed order. */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("requests", requests.get());
        m.put("responses_1xx", status1xx.get());
        m.put("responses_2xx", status2xx.get());
        m.put("responses_3xx", status3xx.get());
        m.put("responses_4xx", status4xx.get());
        m.put("responses_5xx", status5xx.get());
        m.put("malformed_requests", malformedRequests.get());
        m.put("oversized_requests", oversizedRequests.get());
        m.put("overloaded_requests", overloaded.get());
        m.put("route_failures", routeFailures.get());
        m.put("accepted_connections", acceptedConnections.get());
        m.put("rejected_connections", rejectedConnections.get());
        m.put("idle_connections_closed", idleClosed.get());
        m.put("tls_handshake_failures", tlsHandshakeFailures.get());
        m.put("open_connections", openConnections.get());
        return Collections.unmodifiableMap(m);
    }
}
