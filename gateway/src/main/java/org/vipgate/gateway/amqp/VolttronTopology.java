package org.vipgate.gateway.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Map;

/**
 * The broker objects every VOLTTRON instance shares (vip-rabbitmq.md §1.1): the durable topic exchange
 * {@value #EXCHANGE} whose alternate exchange is the durable fanout {@value #UNDELIVERABLE}.
 *
 * <p>{@link #declare(Connection, String)} is idempotent: declaring over objects that already match changes
 * nothing. Objects that exist with other properties are never deleted or changed; the call fails with a
 * {@link BrokerException} that names the object, what the broker said, and what to do.
 */
public final class VolttronTopology {

    /** vip-rabbitmq.md §1.1: all VIP traffic goes through this exchange (the name is hard-coded by agents). */
    public static final String EXCHANGE = "volttron";
    /** vip-rabbitmq.md §1.1: where messages that match no binding go. */
    public static final String UNDELIVERABLE = "undeliverable";
    /** The argument that ties them together. */
    public static final String ALTERNATE_EXCHANGE_ARG = "alternate-exchange";

    private VolttronTopology() {
    }

    /**
     * Declares {@value #UNDELIVERABLE} first (so that the alternate exists before anything can be routed to it),
     * then {@value #EXCHANGE}, each on a channel of its own so that a conflict names the right object.
     */
    public static void declare(Connection connection, String vhost) throws IOException, BrokerException {
        declareOne(connection, vhost, UNDELIVERABLE, BuiltinExchangeType.FANOUT, Map.of(),
                "a durable fanout exchange");
        declareOne(connection, vhost, EXCHANGE, BuiltinExchangeType.TOPIC,
                Map.of(ALTERNATE_EXCHANGE_ARG, UNDELIVERABLE),
                "a durable topic exchange with alternate-exchange=" + UNDELIVERABLE);
    }

    private static void declareOne(Connection connection, String vhost, String name, BuiltinExchangeType type,
                                   Map<String, Object> arguments, String expected)
            throws IOException, BrokerException {
        try (Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(name, type, true, false, arguments);
        } catch (IOException e) {
            ShutdownSignalException signal = shutdownSignal(e);
            if (signal == null) {
                throw e;
            }
            throw refusal(signal, vhost, name, expected);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("closing the channel that declared exchange '" + name + "' timed out", e);
        } catch (ShutdownSignalException e) {
            // Closing a channel that the broker already closed reports the same refusal.
            throw refusal(e, vhost, name, expected);
        }
    }

    private static BrokerException refusal(ShutdownSignalException signal, String vhost, String name,
                                           String expected) {
        int code = replyCode(signal);
        String said = replyText(signal);
        if (code == AMQP.PRECONDITION_FAILED) {
            return new BrokerException(BrokerException.Reason.TOPOLOGY_CONFLICT,
                    "exchange '" + name + "' in vhost '" + vhost + "' exists with other properties (broker said: "
                            + said + "). VOLTTRON agents need " + expected + " (vip-rabbitmq.md §1.1). vipgate does"
                            + " not change existing exchanges: delete it (rabbitmqctl -p " + vhost
                            + " delete_exchange " + name + ", or the management UI) and start vipgate again",
                    signal);
        }
        if (code == AMQP.ACCESS_REFUSED) {
            return new BrokerException(BrokerException.Reason.ACCESS,
                    "declaring exchange '" + name + "' in vhost '" + vhost + "' was refused (broker said: " + said
                            + "). Give the user configure and write permission on the vhost", signal);
        }
        return new BrokerException(BrokerException.Reason.ACCESS,
                "declaring exchange '" + name + "' in vhost '" + vhost + "' failed with " + code + ": " + said,
                signal);
    }

    static ShutdownSignalException shutdownSignal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException s) {
                return s;
            }
        }
        return null;
    }

    static int replyCode(ShutdownSignalException signal) {
        return signal.getReason() instanceof AMQP.Channel.Close close ? close.getReplyCode()
                : signal.getReason() instanceof AMQP.Connection.Close cc ? cc.getReplyCode() : -1;
    }

    static String replyText(ShutdownSignalException signal) {
        return signal.getReason() instanceof AMQP.Channel.Close close ? close.getReplyText()
                : signal.getReason() instanceof AMQP.Connection.Close cc ? cc.getReplyText() : signal.getMessage();
    }
}
