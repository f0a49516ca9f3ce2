package org.vipgate.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.testcontainers.containers.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A broker in a Docker container through Testcontainers' RabbitMQ module, for machines with a Docker engine.
 */
final class ContainerBroker implements RabbitBroker {

    /** The image, overridable with {@code VIPGATE_TEST_RABBITMQ_IMAGE}. */
    static final String DEFAULT_IMAGE = "rabbitmq:3.13-management";
    private static final int AMQPS_PORT = 5671;

    private final RabbitMQContainer container;
    private final boolean tls;

    private ContainerBroker(RabbitMQContainer container, boolean tls) {
        this.container = container;
        this.tls = tls;
    }

    /** True when a Docker engine answers. Never throws. */
    static boolean dockerAvailable() {
        if ("false".equalsIgnoreCase(System.getenv("VIPGATE_TEST_DOCKER"))) {
            return false;
        }
        // Without a socket, DOCKER_HOST or a Testcontainers configuration there is nothing to ask; skipping
        // the probe spares every test run a page of Testcontainers errors on machines without Docker.
        boolean hint = java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"),
                        ".testcontainers.properties"));
        if (!hint) {
            return false;
        }
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static ContainerBroker start(NodeOptions options) {
        String image = System.getenv().getOrDefault("VIPGATE_TEST_RABBITMQ_IMAGE", DEFAULT_IMAGE);
        RabbitMQContainer container = new RabbitMQContainer(DockerImageName.parse(image)
                .asCompatibleSubstituteFor("rabbitmq"))
                .withStartupTimeout(options.startTimeout());
        options.tls().ifPresent(files -> container.withSSL(
                MountableFile.forHostPath(files.privateKey()),
                MountableFile.forHostPath(files.certificate()),
                MountableFile.forHostPath(files.caCertificate()),
                files.verifyPeer() ? RabbitMQContainer.SslVerification.VERIFY_PEER
                        : RabbitMQContainer.SslVerification.VERIFY_NONE,
                files.failIfNoPeerCert()));
        container.start();
        try {
            List<String> command = new ArrayList<>(List.of("rabbitmq-plugins", "enable"));
            command.addAll(PrivateNode.PLUGINS);
            var result = container.execInContainer(command.toArray(String[]::new));
            if (result.getExitCode() != 0) {
                container.stop();
                throw new IllegalStateException("enabling plugins in " + image + " failed: " + result.getStderr());
            }
        } catch (java.io.IOException e) {
            container.stop();
            throw new java.io.UncheckedIOException("cannot enable plugins in " + image, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            container.stop();
            throw new IllegalStateException("interrupted while enabling plugins in " + image, e);
        }
        ContainerBroker broker = new ContainerBroker(container, options.tls().isPresent());
        NodeReaper.register(broker);
        return broker;
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int amqpPort() {
        return container.getAmqpPort();
    }

    @Override
    public OptionalInt amqpsPort() {
        return tls ? OptionalInt.of(container.getMappedPort(AMQPS_PORT)) : OptionalInt.empty();
    }

    @Override
    public int managementPort() {
        return container.getHttpPort();
    }

    @Override
    public String username() {
        return container.getAdminUsername();
    }

    @Override
    public String password() {
        return container.getAdminPassword();
    }

    @Override
    public String describe() {
        return "RabbitMQ container " + container.getDockerImageName() + " (amqp " + host() + ":" + amqpPort()
                + ", management " + managementPort() + ")";
    }

    @Override
    public void close() {
        container.stop();
        NodeReaper.unregister(this);
    }
}
