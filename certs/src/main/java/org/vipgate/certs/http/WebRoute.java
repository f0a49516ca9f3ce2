package org.vipgate.certs.http;

/**
 * One part of the web service (discovery, CSR, admin). The server asks each route in order whether it
 * {@link #matches} a request and gives the request to the first that does; none matching gives 404.
 *
 * <p>{@link #handle} runs on a worker thread, never on a Netty event loop, so it may read and write files or call
 * other services. It must not throw for bad input: a bad request is answered with a 4xx {@link WebResponse} that says
 * what is wrong. Anything it throws is logged by the server and answered with 500.
 */
public interface WebRoute {

    /** True when this route serves the request's path (whatever its method: the route answers 405 itself). */
    boolean matches(WebRequest request);

    /** Answers the request. */
    WebResponse handle(WebRequest request) throws Exception;
}
