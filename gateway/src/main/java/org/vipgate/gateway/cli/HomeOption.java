package org.vipgate.gateway.cli;

import java.nio.file.Path;
import org.vipgate.gateway.config.VolttronHome;
import picocli.CommandLine.Option;

/** The {@code --home} option every command shares (a picocli mixin), resolved as VOLTTRON resolves its home. */
final class HomeOption {

    @Option(names = "--home", paramLabel = "DIR",
            description = "The VOLTTRON_HOME (default: $VOLTTRON_HOME, else ~/.volttron).")
    Path home;

    /** {@code --home}, else {@code $VOLTTRON_HOME}, else {@code ~/.volttron}. */
    VolttronHome resolve() {
        return VolttronHome.resolve(home, System.getenv());
    }
}
