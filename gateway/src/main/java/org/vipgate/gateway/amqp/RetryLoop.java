package org.vipgate.gateway.amqp;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries until done, waiting per {@link Backoff} between attempts and logging each failure with its cause, the
 * attempt number and what to check. Stops when the thread is interrupted (vipgate is stopping).
 */
public final class RetryLoop {

    /** One try. Throws {@link BrokerException} for failures that retrying cannot fix. */
    @FunctionalInterface
    public interface Try<T> {
        Attempt<T> attempt() throws BrokerException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(RetryLoop.class);

    private final Backoff backoff;

    public RetryLoop(Backoff backoff) {
        this.backoff = backoff;
    }

    /**
     * Runs {@code attempt} until it is done.
     *
     * @param what a name for logs, e.g. {@code RabbitMQ at amqp://host:5672/volttron}
     * @param hint what an operator should check, appended to each failure line
     */
    public <T> T run(String what, String hint, Try<T> attempt) throws BrokerException, InterruptedException {
        for (int n = 1; ; n++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("stopped while connecting to " + what);
            }
            Attempt<T> outcome = attempt.attempt();
            if (outcome instanceof Attempt.Done<T> done) {
                if (n > 1) {
                    LOG.info("{} reachable after {} attempts", what, n);
                }
                return done.value();
            }
            Attempt.Retry<T> retry = (Attempt.Retry<T>) outcome;
            Duration wait = backoff.delay(n);
            LOG.warn("{} unreachable: {}; attempt {} failed, next in {} s. {}", what, retry.cause(), n,
                    wait.toMillis() / 1000.0, hint);
            Thread.sleep(wait.toMillis());
        }
    }
}
