package org.vipgate.certs.http;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the web service listens, and the bound of every buffer, queue and timer it has. Start from
 * {@link #plain(InetSocketAddress)}, add TLS with {@link #withTls(Path, Path)} and change a bound with the other
 * {@code with…} methods; every default is a named constant below.
 *
 * @param bindAddress         host and port to listen on (port 0 picks a free port)
 * @param tlsCertificate      PEM certificate chain for HTTPS (server certificate first), or null for plain HTTP
 * @param tlsPrivateKey       PEM private key of that certificate (PKCS#1 as VOLTTRON writes it, or PKCS#8), or
 *                            null for plain HTTP; given together with {@code tlsCertificate} or not at all
 * @param maxBodyBytes        largest request body; a larger one is answered 413
 * @param maxHeaderBytes      largest header block; a larger one is answered 400
 * @param maxInitialLineBytes largest request line; a longer one is answered 400
 * @param idleTimeout         a connection with no request in progress and no traffic for this long is closed
 * @param maxConnections      open connections at once; more are closed at once and counted
 * @param workerThreads       threads that run the routes
 * @param workerQueue         requests waiting for a worker; more are answered 503
 */
public record WebServerConfig(InetSocketAddress bindAddress, Path tlsCertificate, Path tlsPrivateKey,
                              int maxBodyBytes, int maxHeaderBytes, int maxInitialLineBytes, Duration idleTimeout,
                              int maxConnections, int workerThreads, int workerQueue) {

    /** 64 KiB: a CSR is about 1 KiB, an admin form far less. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    /** 8 KiB, as most servers. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;
    /** 8 KiB. */
    public static final int DEFAULT_MAX_INITIAL_LINE_BYTES = 8 * 1024;
    /** 30 seconds. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** 256 connections. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** 4 route threads: routes read files and hash passwords, they do not wait long. */
    public static final int DEFAULT_WORKER_THREADS = 4;
    /** 256 waiting requests. */
    public static final int DEFAULT_WORKER_QUEUE = 256;

    public WebServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and a private key file, got certificate "
                    + tlsCertificate + " and key " + tlsPrivateKey);
        }
        positive("maxBodyBytes", maxBodyBytes);
        positive("maxHeaderBytes", maxHeaderBytes);
        positive("maxInitialLineBytes", maxInitialLineBytes);
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
        }
        positive("maxConnections", maxConnections);
        positive("workerThreads", workerThreads);
        positive("workerQueue", workerQueue);
    }

    /** Plain HTTP on {@code bindAddress} with every default bound. */
    public static WebServerConfig plain(InetSocketAddress bindAddress) {
        return new WebServerConfig(bindAddress, null, null, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEADER_BYTES,
                DEFAULT_MAX_INITIAL_LINE_BYTES, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_WORKER_THREADS,
                DEFAULT_WORKER_QUEUE);
    }

    /** The same with HTTPS from these PEM files (VOLTTRON's {@code web-ssl-cert} and {@code web-ssl-key}, §6). */
    public WebServerConfig withTls(Path certificate, Path privateKey) {
        return new WebServerConfig(bindAddress, Objects.requireNonNull(certificate, "certificate"),
                Objects.requireNonNull(privateKey, "privateKey"), maxBodyBytes, maxHeaderBytes, maxInitialLineBytes,
                idleTimeout, maxConnections, workerThreads, workerQueue);
    }

    public WebServerConfig withMaxBodyBytes(int bytes) {
        return new WebServerConfig(bindAddress, tlsCertificate, tlsPrivateKey, bytes, maxHeaderBytes,
                maxInitialLineBytes, idleTimeout, maxConnections, workerThreads, workerQueue);
    }

    public WebServerConfig withIdleTimeout(Duration timeout) {
        return new WebServerConfig(bindAddress, tlsCertificate, tlsPrivateKey, maxBodyBytes, maxHeaderBytes,
                maxInitialLineBytes, timeout, maxConnections, workerThreads, workerQueue);
    }

    public WebServerConfig withMaxConnections(int connections) {
        return new WebServerConfig(bindAddress, tlsCertificate, tlsPrivateKey, maxBodyBytes, maxHeaderBytes,
                maxInitialLineBytes, idleTimeout, connections, workerThreads, workerQueue);
    }

    public WebServerConfig withWorkers(int threads, int queue) {
        return new WebServerConfig(bindAddress, tlsCertificate, tlsPrivateKey, maxBodyBytes, maxHeaderBytes,
                maxInitialLineBytes, idleTimeout, maxConnections, threads, queue);
    }

    /** True when the server speaks HTTPS. */
    public boolean tls() {
        return tlsCertificate != null;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
