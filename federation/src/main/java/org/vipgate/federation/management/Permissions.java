package org.vipgate.federation.management;

import java.util.Objects;

/** A user's permissions on one vhost: regular expressions over resource names. */
public record Permissions(String configure, String write, String read) {

    /** Everything, as VOLTTRON grants its admin and router users (vip-rabbitmq.md §1.1). */
    public static final Permissions ALL = new Permissions(".*", ".*", ".*");

    public Permissions {
        Objects.requireNonNull(configure, "configure");
        Objects.requireNonNull(write, "write");
        Objects.requireNonNull(read, "read");
    }
}
