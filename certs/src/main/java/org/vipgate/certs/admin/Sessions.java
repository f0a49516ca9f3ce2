package org.vipgate.certs.admin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Admin login sessions, kept on the server: a random 256-bit token (base64url) names each. A session ends when
 * unused for the idle time, at the absolute time after login, at logout, or when it is the oldest and the map is
 * full. Thread-safe.
 */
public final class Sessions {

    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(15);
    public static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(8);
    public static final int DEFAULT_MAX_SESSIONS = 1_000;
    private static final int TOKEN_BYTES = 32;

    /** One logged-in administrator. */
    public record Session(String user, Instant created, Instant lastUsed) {
    }

    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;
    private final int maxSessions;
    private final SecureRandom random = new SecureRandom();
    /** Insertion order = creation order: the first entry is the oldest. */
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>();

    public Sessions(Clock clock) {
        this(clock, DEFAULT_IDLE, DEFAULT_ABSOLUTE, DEFAULT_MAX_SESSIONS);
    }

    public Sessions(Clock clock, Duration idle, Duration absolute, int maxSessions) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.idle = idle;
        this.absolute = absolute;
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be positive");
        }
        this.maxSessions = maxSessions;
    }

    /** A new session for {@code user}; returns its token. */
    public synchronized String create(String user) {
        purgeExpired();
        while (sessions.size() >= maxSessions) {
            Iterator<String> oldest = sessions.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        sessions.put(token, new Session(user, now, now));
        return token;
    }

    /** The live session of {@code token}, marked as used now; empty when unknown or expired. */
    public synchronized Optional<Session> use(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Session s = sessions.get(token);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(token);
            return Optional.empty();
        }
        Session used = new Session(s.user(), s.created(), now);
        sessions.put(token, used); // replacing keeps the insertion order
        return Optional.of(used);
    }

    /** Ends the session (logout); unknown tokens are ignored. */
    public synchronized void end(String token) {
        if (token != null) {
            sessions.remove(token);
        }
    }

    public synchronized int size() {
        return sessions.size();
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastUsed().plus(idle)) || !now.isBefore(s.created().plus(absolute));
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        sessions.entrySet().removeIf((Map.Entry<String, Session> e) -> expired(e.getValue(), now));
    }
}
