package org.vipgate.gateway.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.Gateway;
import org.vipgate.gateway.amqp.BrokerException;
import org.vipgate.gateway.amqp.VolttronTopology;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.config.GatewayConfig;
import org.vipgate.gateway.config.VolttronHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vipgate run}: runs the gateway on a VOLTTRON_HOME until SIGTERM or Ctrl-C.
 *
 * <p>Bad configuration exits with {@link ExitCodes#CONFIG} and one line on stderr naming the file and key;
 * an unreachable broker is retried with back-off; a broker that refuses exits with
 * {@link ExitCodes#BROKER_REFUSED} or {@link ExitCodes#BROKER_CONFLICT}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run vipgate on a VOLTTRON_HOME (like 'volttron' starting a platform).",
                "Reads config and rabbitmq_config.yml, creates missing home folders, declares VOLTTRON's"
                        + " exchanges on RabbitMQ, and runs until SIGTERM or Ctrl-C."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped normally (143 when stopped by SIGTERM)", "2:usage error",
                "74:the home could not be prepared", "76:the broker has conflicting exchanges",
                "77:the broker refused the credentials or vhost", "78:bad configuration"})
public final class RunCommand implements Callable<Integer> {

    /** How long a stop signal waits for the gateway to close. */
    static final long STOP_TIMEOUT_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--setup-mode",
            description = "First contact between platforms, as 'volttron --setup-mode': ask the web addresses of"
                    + " external_address.json for their keys, and add the platforms' CURVE keys to auth.json when"
                    + " they connect ([vipgate] setup-mode-accept = any: every unknown key, as VOLTTRON). Restart"
                    + " without it afterwards.")
    boolean setupMode;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        VolttronHome volttronHome = home.resolve();
        GatewayConfig config;
        try {
            config = GatewayConfig.load(volttronHome);
        } catch (ConfigException e) {
            err.println("vipgate: " + e.getMessage());
            err.flush();
            return ExitCodes.CONFIG;
        }
        LOG.info("starting instance '{}' ({} bus) with VOLTTRON_HOME {}", config.platform().instanceName(),
                config.platform().messageBus().configName(), volttronHome.root());

        CountDownLatch stopped = new CountDownLatch(1);
        Thread runner = Thread.currentThread();
        Thread hook = new Thread(() -> {
            LOG.info("stop requested; closing");
            runner.interrupt();
            awaitQuietly(stopped);
        }, "vipgate-stop");
        Runtime.getRuntime().addShutdownHook(hook);

        if (setupMode) {
            LOG.warn("setup mode: CURVE keys of the platforms discovered (or every unknown key with [vipgate]"
                    + " setup-mode-accept = any) will be added to {}; restart without --setup-mode afterwards",
                    volttronHome.authFile());
        }
        try (Gateway gateway = new Gateway(config, setupMode, runner::interrupt)) {
            Gateway.Ready ready = gateway.start();
            LOG.info("vipgate ready: instance '{}', VIP on {}{}, {}, home {}{}", ready.instance(),
                    ready.vipAddresses(), ready.serverKey().isEmpty() ? " (no auth)" : " serverkey "
                            + ready.serverKey(),
                    ready.amqpAddress().isEmpty() ? "no RabbitMQ" : "RabbitMQ " + ready.amqpAddress() + " as '"
                            + ready.user() + "', exchange '" + VolttronTopology.EXCHANGE + "' (alternate '"
                            + VolttronTopology.UNDELIVERABLE + "')" + (ready.vhostCreated() ? ", vhost created" : ""),
                    ready.home(), ready.webAddress().isEmpty() ? "" : ", web " + ready.webAddress());
            new CountDownLatch(1).await(); // until interrupted by the stop hook
            return ExitCodes.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.OK;
        } catch (ConfigException e) { // keystore, auth.json, certificates, or a vip-address in use
            err.println("vipgate: " + e.getMessage());
            err.flush();
            return ExitCodes.CONFIG;
        } catch (BrokerException e) {
            err.println("vipgate: " + e.getMessage());
            err.flush();
            return e.reason() == BrokerException.Reason.TOPOLOGY_CONFLICT
                    ? ExitCodes.BROKER_CONFLICT : ExitCodes.BROKER_REFUSED;
        } catch (IOException e) {
            err.println("vipgate: " + e);
            err.flush();
            return ExitCodes.IO;
        } finally {
            LOG.info("vipgate stopped");
            stopped.countDown();
            removeHook(hook);
        }
    }

    private static void awaitQuietly(CountDownLatch stopped) {
        try {
            if (!stopped.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("gateway did not close within {} s; exiting anyway", STOP_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down because of a signal: the hook is running, nothing to remove.
        }
    }
}
