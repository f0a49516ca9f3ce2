package org.vipgate.certs.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** {@link WebServerHandler} alone, in an {@link EmbeddedChannel}. */
class WebServerHandlerTest {

    private static final WebRoute HELLO = new WebRoute() {
        public boolean matches(WebRequest r) {
            return r.path().equals("/hello");
        }

        public WebResponse handle(WebRequest r) {
            return WebResponse.text(HttpResponseStatus.OK, "hello " + r.remoteAddress());
        }
    };

    private static FullHttpResponse exchange(Executor workers, String uri) {
        WebServerStats stats = new WebServerStats();
        EmbeddedChannel channel = new EmbeddedChannel(new WebServerHandler(List.of(HELLO), workers, stats, false));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri,
                Unpooled.EMPTY_BUFFER));
        channel.runPendingTasks();
        FullHttpResponse response = channel.readOutbound();
        channel.finishAndReleaseAll();
        return response;
    }

    @Test
    void routeAnswerGetsLengthAndSecurityHeaders() {
        FullHttpResponse r = exchange(Runnable::run, "/hello");
        try {
            assertThat(r.status()).isEqualTo(HttpResponseStatus.OK);
            assertThat(r.headers().getInt("Content-Length")).isEqualTo(r.content().readableBytes());
            assertThat(r.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.headers().get("Cache-Control")).isEqualTo("no-store");
            assertThat(r.headers().get("X-Frame-Options")).isEqualTo("DENY");
            assertThat(r.headers().get("Content-Security-Policy")).contains("default-src 'none'");
        } finally {
            r.release();
        }
    }

    @Test
    void noRouteIs404() {
        FullHttpResponse r = exchange(Runnable::run, "/other");
        assertThat(r.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        r.release();
    }

    @Test
    void fullWorkerQueueIs503WithRetryAfter() {
        Executor full = task -> {
            throw new RejectedExecutionException("full");
        };
        FullHttpResponse r = exchange(full, "/hello");
        assertThat(r.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(r.headers().get("Retry-After")).isEqualTo("1");
        assertThat(r.content().toString(StandardCharsets.UTF_8)).contains("busy");
        r.release();
    }
}
