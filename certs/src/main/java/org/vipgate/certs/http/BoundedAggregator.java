package org.vipgate.certs.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * {@link HttpObjectAggregator} that, instead of writing its own empty 413, passes an over-size request on to
 * {@link WebServerHandler} as a body-less request marked with {@link BodyTooLarge}, so that the 413 carries a
 * reason and leaves in order with the connection's other responses. The rest of the body is discarded by the
 * aggregator.
 */
final class BoundedAggregator extends HttpObjectAggregator {

    /** The decoder failure that marks an over-size request. */
    static final class BodyTooLarge extends TooLongFrameException {
        private final int limit;
        private final boolean canKeepAlive;

        BodyTooLarge(int limit, boolean canKeepAlive) {
            super("request body larger than " + limit + " bytes");
            this.limit = limit;
            this.canKeepAlive = canKeepAlive;
        }

        int limit() {
            return limit;
        }

        /** False when part of the body was already taken in (chunked), so the connection cannot be reused. */
        boolean canKeepAlive() {
            return canKeepAlive;
        }
    }

    private final int maxBodyBytes;

    BoundedAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest request)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        boolean canKeepAlive = !(oversized instanceof FullHttpMessage) && HttpUtil.isKeepAlive(request);
        // The aggregator releases 'oversized' after this call: pass on a copy without body.
        DefaultFullHttpRequest marker = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri());
        marker.headers().set(request.headers());
        marker.setDecoderResult(DecoderResult.failure(new BodyTooLarge(maxBodyBytes, canKeepAlive)));
        ctx.fireChannelRead(marker);
    }
}
