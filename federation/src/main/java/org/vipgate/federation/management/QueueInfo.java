package org.vipgate.federation.management;

/** A queue as the management API reports it: durability and how many messages wait in it. */
public record QueueInfo(String vhost, String name, boolean durable, boolean autoDelete, long messages) {
}
