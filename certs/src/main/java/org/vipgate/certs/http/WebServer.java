package org.vipgate.certs.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.PemException;
import org.vipgate.certs.PemTls;

/**
 * The HTTP(S) service that remote platforms and the administrator use: discovery, CSR and admin routes on one
 * port (certs-csr-discovery.md §6). Bootstrap only; the pipeline is {@link WebServerInitializer}'s and the
 * request logic {@link WebServerHandler}'s.
 *
 * <p>{@link #start()} either binds and returns the bound address, or throws and leaves nothing running:
 * {@link PemException} when the TLS files cannot be used, {@link IOException} when the address cannot be bound.
 * {@link #close()} stops accepting, closes every connection and stops the threads; it may be called more than
 * once.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    /** Event-loop threads for I/O; route work runs on the worker pool. */
    public static final int IO_THREADS = 2;
    /** Connections waiting in the kernel to be accepted. */
    public static final int ACCEPT_BACKLOG = 128;
    /** How long {@link #close()} waits for running routes to finish. */
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final WebServerConfig config;
    private final List<WebRoute> routes;
    private final WebServerStats stats = new WebServerStats();
    private EventLoopGroup acceptGroup;
    private EventLoopGroup ioGroup;
    private ThreadPoolExecutor workers;
    private ChannelGroup channels;
    private Channel serverChannel;

    /**
     * @param config how to listen
     * @param routes the routes, asked in this order; the first that matches a request answers it
     */
    public WebServer(WebServerConfig config, List<WebRoute> routes) {
        this.config = config;
        this.routes = List.copyOf(routes);
    }

    /**
     * Binds and starts serving.
     *
     * @return the bound address (the real port when the configuration asked for port 0)
     * @throws PemException  when TLS is configured and the certificate or key file is missing or unusable
     * @throws IOException   when the address cannot be bound (in use, not local, no permission)
     */
    public synchronized InetSocketAddress start() throws PemException, IOException {
        if (serverChannel != null) {
            throw new IllegalStateException("already started on " + serverChannel.localAddress());
        }
        SslContext tls = config.tls() ? serverTls(config) : null;
        acceptGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("vipgate-web-accept", true));
        ioGroup = new NioEventLoopGroup(IO_THREADS, new DefaultThreadFactory("vipgate-web-io", true));
        workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.workerQueue()), new DefaultThreadFactory("vipgate-web-worker", true),
                new ThreadPoolExecutor.AbortPolicy());
        channels = new DefaultChannelGroup("vipgate-web", GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new WebServerInitializer(config, tls, routes, workers, stats, channels));
        try {
            serverChannel = bootstrap.bind(config.bindAddress()).sync().channel();
        } catch (Exception e) {
            // sync() rethrows the bind failure (a checked BindException) as it is.
            close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot listen on " + config.bindAddress() + ": " + e.getMessage(), e);
        }
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        log.info("Web service listening on {}://{}:{} with {} route(s)", config.tls() ? "https" : "http",
                bound.getHostString(), bound.getPort(), routes.size());
        return bound;
    }

    /** The TLS context from the PEM files; PKCS#1 keys (VOLTTRON's) are read through BouncyCastle by PemTls. */
    private static SslContext serverTls(WebServerConfig config) throws PemException, IOException {
        PrivateKey key = PemTls.readPrivateKey(config.tlsPrivateKey());
        List<X509Certificate> chain = PemTls.readCertificates(config.tlsCertificate());
        try {
            return SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (SSLException e) {
            throw new IOException("cannot make a TLS context from " + config.tlsCertificate() + " and "
                    + config.tlsPrivateKey() + ": " + e.getMessage(), e);
        }
    }

    /** The configuration this server runs with. */
    public WebServerConfig config() {
        return config;
    }

    /**
     * Counters since start: {@code requests}, {@code responses_1xx} … {@code responses_5xx},
     * {@code malformed_requests}, {@code oversized_requests}, {@code overloaded_requests}, {@code route_failures},
     * {@code accepted_connections}, {@code rejected_connections}, {@code idle_connections_closed},
     * {@code tls_handshake_failures}, {@code open_connections}.
     */
    public Map<String, Long> stats() {
        return stats.snapshot();
    }

    /** Stops accepting, closes every open connection, stops the threads. */
    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
            log.info("Web service on {} stopped", serverChannel.localAddress());
            serverChannel = null;
        }
        if (channels != null) {
            channels.close().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
            channels = null;
        }
        if (workers != null) {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    log.warn("Web routes still running after {} ms at shutdown; interrupting them",
                            CLOSE_WAIT_MILLIS);
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                workers.shutdownNow();
                Thread.currentThread().interrupt();
            }
            workers = null;
        }
        for (EventLoopGroup group : new EventLoopGroup[] {acceptGroup, ioGroup}) {
            if (group != null) {
                group.shutdownGracefully(0, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS).awaitUninterruptibly();
            }
        }
        acceptGroup = null;
        ioGroup = null;
    }
}
