package org.vipgate.federation.management;

import java.util.Objects;

/** A user's permissions on one vhost: regular expressions over resource names. */
public record Permissions(String configure, String write, String read) {

    /** Everything, as VOLTTRON grants its admin and router users (vip-rabbitmq.md §1.1). */
    public static final Permissions ALL = new Permissions(".*", ".*", ".*");

    /**
     * What vipgate grants an agent user {@code <inst>.<id>}: VOLTTRON's default agent permissions
     * (vip-rabbitmq.md §7.4: {@code u|u.pubsub.*|u.zmq.*|amq.*}, read and write also {@code volttron}), but anchored
     * and with the user's own characters quoted. VOLTTRON's unanchored {@code u} would also match any name that merely
     * contains it (RabbitMQ searches the expression anywhere in the name), e.g. another agent's queue.
     */
    public static Permissions agentDefault(String user) {
        return agent(user, true);
    }

    /**
     * The permissions VOLTTRON's router gives an agent that says hello without any (vip-rabbitmq.md §4.5): as
     * {@link #agentDefault} without {@code amq.*}; anchored and quoted likewise.
     */
    public static Permissions helloDefault(String user) {
        return agent(user, false);
    }

    private static Permissions agent(String user, boolean amq) {
        String u = quote(user);
        String own = u + "|" + u + "\\.pubsub\\..*|" + u + "\\.zmq\\..*" + (amq ? "|amq\\..*" : "");
        String withExchange = "^(volttron|" + own + ")$";
        return new Permissions("^(" + own + ")$", withExchange, withExchange);
    }

    /** Quotes every character that means something in a regular expression (PCRE, as RabbitMQ uses). */
    static String quote(String literal) {
        StringBuilder out = new StringBuilder(literal.length() + 8);
        for (char c : literal.toCharArray()) {
            if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    public Permissions {
        Objects.requireNonNull(configure, "configure");
        Objects.requireNonNull(write, "write");
        Objects.requireNonNull(read, "read");
    }
}
