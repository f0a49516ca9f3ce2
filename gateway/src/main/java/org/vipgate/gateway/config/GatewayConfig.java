package org.vipgate.gateway.config;

import java.util.Objects;

/**
 * The configuration vipgate reads from a VOLTTRON_HOME: the platform config and the RabbitMQ settings.
 *
 * <p>{@link #load} succeeds when {@code config} and {@code rabbitmq_config.yml} both exist and are valid; it
 * throws the first {@link ConfigException} found otherwise ({@code config} is read first, since its instance
 * name is the default RabbitMQ user). Nothing is created or written.
 *
 * @param home     the VOLTTRON_HOME
 * @param platform {@code config}, section {@code [volttron]}
 * @param rabbit   {@code rabbitmq_config.yml}
 */
public record GatewayConfig(VolttronHome home, PlatformConfig platform, RabbitConfig rabbit) {

    public GatewayConfig {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(rabbit, "rabbit");
    }

    /**
     * Loads both files of {@code home}. {@code rabbitmq_config.yml} is required: vipgate bridges to RabbitMQ.
     *
     * @throws ConfigException when either file is missing, unreadable or invalid
     */
    public static GatewayConfig load(VolttronHome home) throws ConfigException {
        PlatformConfig platform = PlatformConfig.load(home.configFile());
        RabbitConfig rabbit = RabbitConfig.load(home.rabbitConfigFile(), platform.instanceName());
        return new GatewayConfig(home, platform, rabbit);
    }
}
