package org.vipgate.federation.remote;

import java.net.URI;

/** One attempt to reach a remote platform as {@code <remote>.<localInstance>.<identity>}. */
@FunctionalInterface
public interface RemoteConnector {

    /** Never null; never throws for network or remote failures (they are {@link RemoteConnection.Failed}). */
    RemoteConnection connect(URI webAddress, String localInstance, String identity);
}
