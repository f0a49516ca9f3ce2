package org.vipgate.gateway.zmq;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.vipgate.gateway.vip.VipCodec;

/**
 * How the VIP router listens. Every default is a named constant.
 *
 * @param addresses       endpoints to bind, e.g. {@code tcp://127.0.0.1:22916}
 * @param curveSecretKey  the platform's raw 32-byte secret key: CURVE server with ZAP domain {@value #ZAP_DOMAIN};
 *                        empty only when auth is switched off by explicit configuration
 * @param highWaterMark   per-peer send and receive queue bound, in messages
 * @param limits          frame and message bounds
 * @param pollInterval    how often the router thread looks up from its socket to check for a stop
 */
public record RouterOptions(List<String> addresses, Optional<byte[]> curveSecretKey, int highWaterMark,
                            VipCodec.Limits limits, Duration pollInterval) {

    /** vip-zmq.md §1.6 step 7: VOLTTRON's router uses SNDHWM and RCVHWM 6000. */
    public static final int DEFAULT_HIGH_WATER_MARK = 6_000;
    /** vip-zmq.md §5.3: the ZAP domain of VIP sockets. */
    public static final String ZAP_DOMAIN = "vip";
    /** Stop requests are seen within this time. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);
    /** vip-zmq.md §1.2, §1.6: TCP keepalive idle 180 s, interval 20 s, 6 probes. */
    public static final int KEEPALIVE_IDLE_SECONDS = 180;
    public static final int KEEPALIVE_INTERVAL_SECONDS = 20;
    public static final int KEEPALIVE_COUNT = 6;
    /**
     * A connection whose ZMTP/CURVE handshake has not finished by then is closed and the client reconnects.
     * libzmq's default is 30 s; jeromq 0.6.0 was seen to miss a greeting now and then, and an agent gives up on
     * hello after 10 s (vip-zmq.md §7.3), so a stuck handshake must end well before that.
     */
    public static final int HANDSHAKE_MILLIS = 3_000;

    public RouterOptions {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("the router needs at least one address to bind");
        }
    }

    /** CURVE with the platform key, VOLTTRON's bounds. */
    public static RouterOptions curve(List<String> addresses, byte[] secretKey) {
        return new RouterOptions(addresses, Optional.of(secretKey), DEFAULT_HIGH_WATER_MARK, VipCodec.Limits.defaults(),
                DEFAULT_POLL_INTERVAL);
    }

    /** No authentication at all: only for tests and explicit configuration. */
    public static RouterOptions insecure(List<String> addresses) {
        return new RouterOptions(addresses, Optional.empty(), DEFAULT_HIGH_WATER_MARK, VipCodec.Limits.defaults(),
                DEFAULT_POLL_INTERVAL);
    }
}
