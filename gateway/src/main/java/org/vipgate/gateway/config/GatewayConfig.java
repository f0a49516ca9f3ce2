package org.vipgate.gateway.config;

import java.nio.file.Files;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration vipgate reads from a VOLTTRON_HOME: the platform config and the RabbitMQ settings.
 *
 * <p>{@code config} is read first (its instance name is the default RabbitMQ user). {@code rabbitmq_config.yml} is
 * required when {@code message-bus = rmq}; with an explicit {@code message-bus = zmq} it is not used and vipgate
 * runs as a ZeroMQ platform only; without the key (VOLTTRON's default, zmq) its presence asks for the bridge.
 * {@link #load} throws the first {@link ConfigException} found. Nothing is created or written.
 *
 * @param home     the VOLTTRON_HOME
 * @param platform {@code config}, section {@code [volttron]}
 * @param rabbit   {@code rabbitmq_config.yml}, when there is a broker to bridge to
 * @param vipgate  {@code config}, section {@code [vipgate]}
 */
public record GatewayConfig(VolttronHome home, PlatformConfig platform, Optional<RabbitConfig> rabbit,
                            VipgateSettings vipgate) {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConfig.class);

    public GatewayConfig {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(rabbit, "rabbit");
        Objects.requireNonNull(vipgate, "vipgate");
    }

    /**
     * Loads the files of {@code home}.
     *
     * @throws ConfigException when a file is missing (rabbitmq_config.yml only for an rmq platform), unreadable or
     *                         invalid
     */
    public static GatewayConfig load(VolttronHome home) throws ConfigException {
        PlatformConfig platform = PlatformConfig.load(home.configFile());
        boolean needed = platform.messageBus() == MessageBus.RMQ;
        // An explicit 'message-bus = zmq' runs without any broker (a ZeroMQ-only site), even beside a
        // rabbitmq_config.yml; without the key, the file's presence asks for the bridge.
        boolean zmqOnly = platform.messageBus() == MessageBus.ZMQ && platform.settings().containsKey("message-bus");
        if (zmqOnly && Files.exists(home.rabbitConfigFile())) {
            LOG.info("{} says message-bus = zmq: running without RabbitMQ; {} is not used", home.configFile(),
                    home.rabbitConfigFile());
        }
        Optional<RabbitConfig> rabbit = needed || (!zmqOnly && Files.exists(home.rabbitConfigFile()))
                ? Optional.of(RabbitConfig.load(home.rabbitConfigFile(), platform.instanceName()))
                : Optional.empty();
        return new GatewayConfig(home, platform, rabbit, VipgateSettings.load(home.configFile()));
    }
}
