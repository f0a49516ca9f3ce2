package org.vipgate.federation.remote;

import java.net.URI;

/**
 * The instance name of a remote platform, as its discovery ({@code GET /discovery/}, vip-rabbitmq.md §5.2 step 2)
 * reports it. Needed before a certificate is requested: the CN starts with it.
 */
@FunctionalInterface
public interface RemoteInstanceNames {

    /**
     * @param webAddress the remote platform's web address, {@code https://host:port}
     * @throws Exception when the platform cannot be asked or its answer has no instance name
     */
    String of(URI webAddress) throws Exception;
}
