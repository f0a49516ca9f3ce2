package org.vipgate.gateway.zmq.external;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.federation.Causes;
import org.vipgate.federation.remote.BoundedBodyHandler;
import org.vipgate.federation.remote.DiscoveryClient;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.VolttronHome;

/**
 * Fetches {@code <web>/discovery/} of every address of {@code external_address.json} (certs-csr-discovery.md §3.3)
 * on its own threads ({@link #FETCH_THREADS}), so that a slow or absent platform never holds up the router or the
 * others.
 *
 * <p>A fetch that fails (unreachable, TLS not trusted, not HTTP 200, a malformed answer) is logged with the address,
 * the cause and what to check, counted, and retried with back-off from {@link #FIRST_RETRY} up to
 * {@link #MAX_RETRY}, without limit (VOLTTRON retries every 30 s; a malformed answer it does not retry at all). A
 * good answer is stored in {@code external_platform_discovery.json} as VOLTTRON writes it (§3.2; in setup mode it
 * replaces that platform's entry, otherwise the file's entry, perhaps hand-written, is kept) and the platform is
 * handed to the links.
 */
public final class PlatformDiscovery implements AutoCloseable {

    /** The first retry after a failure; each next one waits twice as long. */
    public static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    /** The longest wait between tries (VOLTTRON's fixed interval). */
    public static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /** Fetches that may wait on slow platforms at once; the others go on meanwhile. */
    static final int FETCH_THREADS = 4;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(PlatformDiscovery.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int EXCERPT = 120;

    /** Where one address stands; {@code state} is {@code pending}, {@code found} or {@code failed}. */
    public record AddressStatus(String address, String state, String instanceName, String lastError, int attempts) {
    }

    private final VolttronHome home;
    private final String ownName;
    private final boolean setupMode;
    private final Consumer<ExternalPlatform> found;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final Map<String, AddressStatus> status = new ConcurrentHashMap<>();
    private final AtomicLong fetched = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();

    /**
     * @param home      where {@code external_platform_discovery.json} is written
     * @param ownName   our instance name (an address that answers with it is ourselves, and skipped)
     * @param setupMode replace the file's entries with what the platforms say (certs-csr-discovery.md §3.3)
     * @param tls       what https addresses are verified against ({@link DiscoveryTrust})
     * @param found     told each platform found, on the discovery thread; must not block
     */
    public PlatformDiscovery(VolttronHome home, String ownName, boolean setupMode, SSLContext tls,
                             Consumer<ExternalPlatform> found) {
        this.home = Objects.requireNonNull(home, "home");
        this.ownName = Objects.requireNonNull(ownName, "ownName");
        this.setupMode = setupMode;
        this.found = Objects.requireNonNull(found, "found");
        AtomicInteger threads = new AtomicInteger();
        this.timer = Executors.newScheduledThreadPool(FETCH_THREADS, r -> {
            Thread t = new Thread(r, "vipgate-discovery-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Starts fetching every address of {@code addresses} but {@code ownWebAddress} (certs-csr-discovery.md §3.2:
     * the platform's own bind-web-address is removed from the list).
     */
    public void start(List<String> addresses, String ownWebAddress) {
        for (String address : addresses) {
            String a = trimSlash(address);
            if (a.equals(trimSlash(ownWebAddress)) || status.containsKey(a)) {
                continue;
            }
            status.put(a, new AddressStatus(a, "pending", "", "", 0));
            timer.execute(() -> fetch(a, 0));
        }
        if (!status.isEmpty()) {
            LOG.info("discovery: asking {} platform web address(es) who they are: {}", status.size(),
                    status.keySet());
        }
    }

    private void fetch(String address, int failures) {
        try {
            JsonNode info = get(address);
            String problem = DiscoveryFiles.problem(info, ownName);
            if (problem != null) {
                if (info.path("instance-name").asText("").equals(ownName)) {
                    LOG.warn("discovery: {} is this platform itself ('{}'); not linking to it", address, ownName);
                    status.put(address, new AddressStatus(address, "self", ownName, "", failures + 1));
                    return;
                }
                malformed.incrementAndGet();
                throw new DiscoveryFailure("malformed discovery reply: " + problem
                        + "; is it a VOLTTRON platform with a ZeroMQ vip-address and CURVE keys?");
            }
            JsonNode kept = DiscoveryFiles.store(home, info, setupMode);
            String keptProblem = kept.equals(info) ? null : DiscoveryFiles.problem(kept, ownName);
            if (keptProblem != null) {
                LOG.warn("discovery: {} is platform '{}', whose entry in {} is unusable ({}); linking with the answer"
                        + " instead (fix the entry, or run with --setup-mode to replace it)", address,
                        info.get("instance-name").textValue(), home.externalPlatformDiscoveryFile(), keptProblem);
                kept = info;
            }
            ExternalPlatform platform = DiscoveryFiles.platform(kept);
            if (!kept.equals(info)) {
                LOG.info("discovery: {} is platform '{}'; keeping the entry of {} (it differs from the answer; run"
                        + " with --setup-mode to replace it)", address, platform.instanceName(),
                        home.externalPlatformDiscoveryFile());
            } else {
                LOG.info("discovery: {} is platform '{}' at {}, serverkey {}", address, platform.instanceName(),
                        platform.vipAddress(), platform.serverKey());
            }
            fetched.incrementAndGet();
            status.put(address, new AddressStatus(address, "found", platform.instanceName(), "", failures + 1));
            found.accept(platform);
        } catch (DiscoveryFailure | ConfigException e) {
            retry(address, failures, e.getMessage());
        } catch (IOException e) {
            retry(address, failures, "cannot store its answer in " + home.externalPlatformDiscoveryFile() + " ("
                    + e + "); check that folder's permissions");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("discovery of {} failed unexpectedly", address, e);
            retry(address, failures, e.toString());
        }
    }

    private void retry(String address, int failures, String why) {
        failed.incrementAndGet();
        long base = Math.min(MAX_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(failures, 16));
        long delay = base + ThreadLocalRandom.current().nextLong(base / 10 + 1);
        status.put(address, new AddressStatus(address, "failed", "", why, failures + 1));
        LOG.warn("discovery of {} failed (attempt {}): {}; retrying in {} s", address, failures + 1, why,
                Math.round(delay / 1000.0));
        if (!timer.isShutdown()) {
            timer.schedule(() -> fetch(address, failures + 1), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** GET {@code <address>/discovery/} and parse the answer as a JSON object. */
    private JsonNode get(String address) throws DiscoveryFailure, InterruptedException {
        URI url;
        try {
            url = URI.create(address + DiscoveryClient.PATH);
        } catch (IllegalArgumentException e) {
            throw new DiscoveryFailure("not a web address (" + e.getMessage() + ")");
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, new BoundedBodyHandler(DiscoveryClient.MAX_RESPONSE_BYTES));
        } catch (HttpConnectTimeoutException e) {
            throw new DiscoveryFailure("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s; is the host up"
                    + " and the port open?");
        } catch (HttpTimeoutException e) {
            throw new DiscoveryFailure("no answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw new DiscoveryFailure("nothing answers there (" + e + "); is the platform running with this"
                    + " bind-web-address?");
        } catch (SSLException e) {
            throw new DiscoveryFailure("TLS failed (" + e.getMessage() + "); if its certificate is not from a CA Java"
                    + " trusts, put its CA in [vipgate] discovery-ca-file or " + DiscoveryTrust.REQUESTS_CA_BUNDLE);
        } catch (IOException e) {
            if (Causes.find(e, BoundedBodyHandler.TooLarge.class) != null) {
                malformed.incrementAndGet();
                throw new DiscoveryFailure("malformed discovery reply: larger than "
                        + DiscoveryClient.MAX_RESPONSE_BYTES + " bytes");
            }
            throw new DiscoveryFailure("request failed (" + e + ")");
        }
        byte[] body = response.body();
        String text = new String(body, StandardCharsets.UTF_8);
        if (response.statusCode() != 200) {
            throw new DiscoveryFailure("answered HTTP " + response.statusCode() + " (" + excerpt(text) + "); is it"
                    + " the web address of a VOLTTRON platform?");
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                malformed.incrementAndGet();
                throw new DiscoveryFailure("malformed discovery reply: not a JSON object (" + excerpt(text) + ")");
            }
            return node;
        } catch (JsonProcessingException e) {
            malformed.incrementAndGet();
            throw new DiscoveryFailure("malformed discovery reply: not JSON (" + e.getOriginalMessage().lines()
                    .findFirst().orElse("") + "): " + excerpt(text));
        }
    }

    private static String excerpt(String text) {
        String flat = text.replaceAll("[\\r\\n\\t]+", " ").strip();
        return flat.length() <= EXCERPT ? "'" + flat + "'" : "'" + flat.substring(0, EXCERPT) + "...'";
    }

    private static String trimSlash(String address) {
        String a = address == null ? "" : address.strip();
        while (a.endsWith("/")) {
            a = a.substring(0, a.length() - 1);
        }
        return a;
    }

    /** Each address and where it stands, in address order; any thread. */
    public List<AddressStatus> status() {
        return status.values().stream().sorted((x, y) -> x.address().compareTo(y.address())).toList();
    }

    /** fetched / failed / malformed; any thread. */
    public Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("fetched", fetched.get());
        out.put("failed", failed.get());
        out.put("malformed", malformed.get());
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** Why one fetch failed, said for the log. */
    private static final class DiscoveryFailure extends Exception {
        private static final long serialVersionUID = 1L;

        DiscoveryFailure(String message) {
            super(message, null, false, false);
        }
    }
}
