package org.vipgate.certs.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logic of one connection: turns each aggregated request into a {@link WebRequest}, runs the first matching
 * {@link WebRoute} on the worker executor (never on the event loop), and writes its {@link WebResponse} with
 * {@code Content-Length}, keep-alive and the security headers. Requests are answered one at a time and in order;
 * pipelined ones wait in a small bounded queue.
 *
 * <p>Answers it makes itself: 400 for a request the codec could not parse (then closes), 413 for an over-size
 * body, 404 when no route matches, 503 with {@code Retry-After} when the worker queue is full, 500 when a route
 * throws (logged with the path and the peer).
 */
final class WebServerHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(WebServerHandler.class);

    /** Requests a client may send ahead of their answers on one connection; more close the connection. */
    static final int MAX_PIPELINED = 8;
    /** Seconds a client is told to wait when the workers are saturated. */
    static final String RETRY_AFTER_SECONDS = "1";
    /**
     * Same-origin scripts, styles, images and fetches only; no inline code, no framing, no plugins
     * (the admin pages are built for it).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** One request waiting for its answer: a request for a route, or an answer already made (400, 413). */
    private record Pending(WebRequest request, WebResponse ready, boolean keepAlive, HttpVersion version,
                           String path) {
    }

    private final List<WebRoute> routes;
    private final Executor workers;
    private final WebServerStats stats;
    private final boolean tls;
    /** Event-loop confined. */
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    /** Event-loop confined: a request is being answered. */
    private boolean busy;

    WebServerHandler(List<WebRoute> routes, Executor workers, WebServerStats stats, boolean tls) {
        super(FullHttpRequest.class, true);
        this.routes = List.copyOf(routes);
        this.workers = workers;
        this.stats = stats;
        this.tls = tls;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        stats.requests.incrementAndGet();
        Pending pending = toPending(ctx, msg);
        if (!busy) {
            dispatch(ctx, pending);
        } else if (waiting.size() < MAX_PIPELINED) {
            waiting.add(pending);
        } else {
            stats.overloaded.incrementAndGet();
            log.warn("Client {} pipelined more than {} requests on one connection; closing it. The client should"
                    + " wait for answers.", peer(ctx), MAX_PIPELINED);
            waiting.clear();
            ctx.close();
        }
    }

    /** Copies what a route needs out of the request (which is released after this call). */
    private Pending toPending(ChannelHandlerContext ctx, FullHttpRequest msg) {
        HttpVersion version = msg.protocolVersion();
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        String uri = msg.uri();
        if (msg.decoderResult().isFailure()) {
            Throwable cause = msg.decoderResult().cause();
            if (cause instanceof BoundedAggregator.BodyTooLarge tooLarge) {
                stats.oversizedRequests.incrementAndGet();
                log.info("Request {} {} from {}: body larger than {} bytes; answered 413", msg.method(), uri,
                        peer(ctx), tooLarge.limit());
                return new Pending(null, WebResponse.text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        "request body larger than " + tooLarge.limit() + " bytes; send at most " + tooLarge.limit()
                                + " bytes\n"), keepAlive && tooLarge.canKeepAlive(), version, uri);
            }
            stats.malformedRequests.incrementAndGet();
            String reason = cause == null ? "unparseable request" : String.valueOf(cause.getMessage());
            log.info("Malformed HTTP request from {}: {}; answered 400 and closed the connection", peer(ctx),
                    reason);
            return new Pending(null, WebResponse.text(HttpResponseStatus.BAD_REQUEST, "bad HTTP request: " + reason
                    + "\n"), false, HttpVersion.HTTP_1_1, uri);
        }
        byte[] body = new byte[msg.content().readableBytes()];
        msg.content().getBytes(msg.content().readerIndex(), body);
        try {
            WebRequest request = WebRequest.of(msg.method(), uri, msg.headers().copy(), body, remote(ctx));
            return new Pending(request, null, keepAlive, version, request.path());
        } catch (IllegalArgumentException e) {
            // QueryStringDecoder: bad %-escape or similar.
            stats.malformedRequests.incrementAndGet();
            log.info("Malformed request URI from {}: {}; answered 400", peer(ctx), e.getMessage());
            return new Pending(null, WebResponse.text(HttpResponseStatus.BAD_REQUEST, "bad request URI: "
                    + e.getMessage() + "\n"), keepAlive, version, uri);
        }
    }

    private void dispatch(ChannelHandlerContext ctx, Pending pending) {
        busy = true;
        if (pending.ready() != null) {
            write(ctx, pending, pending.ready());
            return;
        }
        try {
            workers.execute(() -> {
                WebResponse response = answer(pending);
                ctx.executor().execute(() -> write(ctx, pending, response));
            });
        } catch (RejectedExecutionException e) {
            stats.overloaded.incrementAndGet();
            log.warn("All web workers busy and their queue full: answered 503 to {} {} from {}. If this repeats,"
                    + " raise workerThreads/workerQueue or find the slow route.", pending.request().method(),
                    pending.path(), peer(ctx));
            write(ctx, pending, WebResponse.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "server busy; retry in " + RETRY_AFTER_SECONDS + " s\n")
                    .withHeader("Retry-After", RETRY_AFTER_SECONDS));
        }
    }

    /** Runs on a worker thread. */
    private WebResponse answer(Pending pending) {
        WebRequest request = pending.request();
        try {
            for (WebRoute route : routes) {
                if (route.matches(request)) {
                    WebResponse response = route.handle(request);
                    if (response == null) {
                        throw new IllegalStateException(route.getClass().getName() + " answered null");
                    }
                    return response;
                }
            }
            return WebResponse.text(HttpResponseStatus.NOT_FOUND, "no such path: " + request.path() + "\n");
        } catch (Exception e) {
            stats.routeFailures.incrementAndGet();
            log.error("Route failed on {} {} from {}: answered 500. This is a bug or a broken store; the"
                    + " stack trace says where.", request.method(), request.path(), request.remoteAddress(), e);
            return WebResponse.text(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "internal error; the server log has the details\n");
        }
    }

    /** On the event loop: writes the answer, then takes the next waiting request. */
    private void write(ChannelHandlerContext ctx, Pending pending, WebResponse response) {
        FullHttpResponse res = new DefaultFullHttpResponse(pending.version(), response.status(),
                Unpooled.wrappedBuffer(response.body()));
        HttpHeaders h = res.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        h.set("X-Content-Type-Options", "nosniff");
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        h.set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY");
        h.set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
        h.set("Referrer-Policy", "no-referrer");
        if (tls) {
            h.set("Strict-Transport-Security", "max-age=31536000");
        }
        for (Map.Entry<String, String> e : response.headers().entrySet()) {
            h.set(e.getKey(), e.getValue());
        }
        HttpUtil.setContentLength(res, response.body().length);
        boolean keepAlive = pending.keepAlive() && ctx.channel().isActive();
        if (keepAlive) {
            if (!pending.version().isKeepAliveDefault()) {
                h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        } else {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        stats.responded(response.status().code());
        if (!keepAlive) {
            waiting.clear();
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(res).addListener(f -> {
            if (!f.isSuccess()) {
                log.debug("Could not write the answer to {}: {}", peer(ctx), f.cause().toString());
                ctx.close();
                return;
            }
            busy = false;
            Pending next = waiting.poll();
            if (next != null) {
                dispatch(ctx, next);
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!busy) {
                stats.idleClosed.incrementAndGet();
                log.debug("Closing idle connection from {}", peer(ctx));
                ctx.close();
            }
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            stats.tlsHandshakeFailures.incrementAndGet();
            log.info("TLS handshake with {} failed: {}. The client may not trust this server's certificate, or"
                    + " it speaks plain HTTP to the HTTPS port.", peer(ctx), handshake.cause().toString());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause.getCause() instanceof SSLException) {
            log.debug("Connection from {} failed: {}", peer(ctx), cause.toString());
        } else {
            log.warn("Unexpected error on the connection from {}; closing it", peer(ctx), cause);
        }
        ctx.close();
    }

    private static InetSocketAddress remote(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a
                : InetSocketAddress.createUnresolved("unknown", 0);
    }

    private static String peer(ChannelHandlerContext ctx) {
        return String.valueOf(ctx.channel().remoteAddress());
    }
}
