package org.vipgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.vipgate.gateway.config.ConfigException;
import org.vipgate.gateway.services.config.ConfigStoreService;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vipgate config store|get|list|delete|edit}: the configuration store of the running gateway, as
 * {@code vctl config} works on VOLTTRON's (docs/protocol/platform-services.md, "vipgate config"). Every command talks
 * to the gateway over VIP, so a change is written to the store and pushed to the agent at once if it is connected.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Work on the configuration store of the vipgate running on a VOLTTRON_HOME, like 'vctl config'.",
                "Changes reach a connected agent at once (config.update)."},
        subcommands = {ConfigCommand.Store.class, ConfigCommand.Get.class, ConfigCommand.ListConfigs.class,
                ConfigCommand.Delete.class, ConfigCommand.Edit.class})
public final class ConfigCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The store's type options, as vctl's. */
    static final class TypeOption {
        @Option(names = "--json", description = "the contents are JSON (the default)")
        boolean json;
        @Option(names = "--csv", description = "the contents are CSV (a list of rows keyed by the header)")
        boolean csv;
        @Option(names = "--raw", description = "the contents are kept as text")
        boolean raw;

        String type() {
            return csv ? "csv" : raw ? "raw" : "json";
        }
    }

    /** The {@code IDENTITY NAME} arguments of store, get and edit. */
    static final class ConfigName {
        @Parameters(index = "0", paramLabel = "IDENTITY", description = "the agent's VIP identity")
        String identity;
        @Parameters(index = "1", paramLabel = "NAME", description = "the configuration's name")
        String name;
    }

    /** What every subcommand shares: the home, the time-out, one call to the store. */
    abstract static class StoreCall implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
                description = "give up after this many seconds (default: ${DEFAULT-VALUE})")
        long timeoutSeconds;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        @Override
        public Integer call() {
            try (PlatformRpc rpc = PlatformRpc.connect(home.resolve(), Duration.ofSeconds(timeoutSeconds))) {
                return run(rpc);
            } catch (ConfigException e) {
                return CliOutput.fail(err(), e.getMessage(), ExitCodes.CONFIG);
            } catch (PlatformRpc.Failure e) {
                return CliOutput.fail(err(), e.getMessage(), e.error() == null ? ExitCodes.UNAVAILABLE
                        : ExitCodes.FAILURE);
            } catch (IOException e) {
                return CliOutput.fail(err(), e.getMessage(), ExitCodes.IO);
            }
        }

        abstract int run(PlatformRpc rpc) throws PlatformRpc.Failure, IOException;

        static JsonNode store(PlatformRpc rpc, String method, ObjectNode kwargs) throws PlatformRpc.Failure {
            return rpc.call(ConfigStoreService.IDENTITY, method, kwargs);
        }

        static ObjectNode args(String identity) {
            return JSON.createObjectNode().put("identity", identity);
        }
    }

    @Command(name = "store", mixinStandardHelpOptions = true,
            description = "Store a configuration (from FILE, or standard input) and push it to the agent.")
    static final class Store extends StoreCall {
        @Mixin
        ConfigName config;
        @Parameters(index = "2", arity = "0..1", paramLabel = "FILE")
        Path file;
        @ArgGroup(exclusive = true)
        TypeOption type = new TypeOption();

        @Override
        int run(PlatformRpc rpc) throws PlatformRpc.Failure, IOException {
            String contents = file == null ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(file);
            store(rpc, "set_config", args(config.identity).put("config_name", config.name).put("raw_contents", contents)
                    .put("config_type", type.type()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print a stored configuration.")
    static final class Get extends StoreCall {
        @Mixin
        ConfigName config;
        @Option(names = "--raw", description = "print the contents as stored, not parsed")
        boolean raw;

        @Override
        int run(PlatformRpc rpc) throws PlatformRpc.Failure, IOException {
            JsonNode v = store(rpc, "get_config", args(config.identity).put("config_name", config.name).put("raw", raw));
            out().println(v.isTextual() ? v.textValue() : JSON.writeValueAsString(v));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the identities with a store, or the configurations of IDENTITY.")
    static final class ListConfigs extends StoreCall {
        @Parameters(index = "0", arity = "0..1", paramLabel = "IDENTITY")
        String identity;

        @Override
        int run(PlatformRpc rpc) throws PlatformRpc.Failure {
            JsonNode v = identity == null ? store(rpc, "list_stores", JSON.createObjectNode())
                    : store(rpc, "list_configs", args(identity));
            v.forEach(n -> out().println(n.asText()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a configuration, or with --all the whole store of IDENTITY.")
    static final class Delete extends StoreCall {
        @Parameters(index = "0", paramLabel = "IDENTITY")
        String identity;
        @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
        String name;
        @Option(names = "--all", description = "delete every configuration of IDENTITY")
        boolean all;

        @Override
        int run(PlatformRpc rpc) throws PlatformRpc.Failure {
            if (all == (name != null)) {
                return CliOutput.fail(err(), "name a configuration or give --all (not both)", ExitCodes.USAGE);
            }
            if (all) {
                store(rpc, "delete_store", args(identity));
            } else {
                store(rpc, "delete_config", args(identity).put("config_name", name));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "edit", mixinStandardHelpOptions = true,
            description = {"Edit a configuration in $EDITOR (default vi) and store it if it changed.",
                    "A configuration that does not exist yet is created with the type given (default json)."})
    static final class Edit extends StoreCall {
        @Mixin
        ConfigName config;
        @Option(names = "--new", description = "start from an empty configuration even if one exists")
        boolean fresh;
        @ArgGroup(exclusive = true)
        TypeOption type = new TypeOption();

        @Override
        int run(PlatformRpc rpc) throws PlatformRpc.Failure, IOException {
            String text = "";
            String configType = type.type();
            if (!fresh) {
                try {
                    JsonNode meta = store(rpc, "get_metadata", args(config.identity).put("config_name", config.name));
                    text = meta.path("data").asText("");
                    configType = meta.path("type").asText(configType);
                } catch (PlatformRpc.Failure e) {
                    if (e.error() == null || !e.getMessage().contains("No configuration file")) {
                        throw e;
                    }
                }
            }
            Path tmp = Files.createTempFile("vipgate-config-", "." + configType);
            try {
                Files.writeString(tmp, text);
                String editor = System.getenv().getOrDefault("EDITOR", "vi");
                Process p = new ProcessBuilder(List.of("sh", "-c", editor + " \"$0\"", tmp.toString()))
                        .inheritIO().start();
                int rc;
                try {
                    rc = p.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroy();
                    return CliOutput.fail(err(), "interrupted while the editor ran; nothing stored", ExitCodes.FAILURE);
                }
                if (rc != 0) {
                    return CliOutput.fail(err(), "the editor '" + editor + "' exited with " + rc + "; nothing stored",
                            ExitCodes.FAILURE);
                }
                String edited = Files.readString(tmp);
                if (edited.equals(text)) {
                    out().println("unchanged; nothing stored");
                    return ExitCodes.OK;
                }
                store(rpc, "set_config", args(config.identity).put("config_name", config.name).put("raw_contents", edited)
                        .put("config_type", configType));
                return ExitCodes.OK;
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
