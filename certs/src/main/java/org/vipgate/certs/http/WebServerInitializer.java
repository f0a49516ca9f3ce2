package org.vipgate.certs.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of one connection, nothing else: the connection bound, TLS (when configured), the idle timer,
 * the HTTP codec with the line and header bounds, the body-bounded aggregator, and {@link WebServerHandler}.
 */
final class WebServerInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger log = LoggerFactory.getLogger(WebServerInitializer.class);
    /** Netty's default chunk size; the aggregator bounds the whole body anyway. */
    private static final int MAX_CHUNK_BYTES = 8192;

    private final WebServerConfig config;
    private final SslContext tls;
    private final List<WebRoute> routes;
    private final Executor workers;
    private final WebServerStats stats;
    private final ChannelGroup channels;

    /** @param tls the server's TLS context, or null for plain HTTP */
    WebServerInitializer(WebServerConfig config, SslContext tls, List<WebRoute> routes, Executor workers,
                         WebServerStats stats, ChannelGroup channels) {
        this.config = config;
        this.tls = tls;
        this.routes = List.copyOf(routes);
        this.workers = workers;
        this.stats = stats;
        this.channels = channels;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (stats.openConnections.incrementAndGet() > config.maxConnections()) {
            stats.openConnections.decrementAndGet();
            stats.rejectedConnections.incrementAndGet();
            log.warn("Refused connection from {}: {} connections already open (maxConnections). Raise the bound"
                    + " or look for a client that leaks connections.", ch.remoteAddress(), config.maxConnections());
            ch.close();
            return;
        }
        ch.closeFuture().addListener(f -> stats.openConnections.decrementAndGet());
        stats.acceptedConnections.incrementAndGet();
        channels.add(ch);

        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        p.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("http", new HttpServerCodec(config.maxInitialLineBytes(), config.maxHeaderBytes(),
                MAX_CHUNK_BYTES));
        p.addLast("aggregate", new BoundedAggregator(config.maxBodyBytes()));
        p.addLast("routes", new WebServerHandler(routes, workers, stats, tls != null));
    }
}
