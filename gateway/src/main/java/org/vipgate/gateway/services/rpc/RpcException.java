package org.vipgate.gateway.services.rpc;

/** A call fails with {@link #error()}, which goes back to the caller as the reply. */
public final class RpcException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient RpcError error;

    public RpcException(RpcError error) {
        super(error.detail());
        this.error = error;
    }

    public RpcError error() {
        return error;
    }
}
