package org.vipgate.federation.link;

import java.nio.file.Path;
import java.util.List;
import org.vipgate.federation.management.ManagementException;

/**
 * What federation (vip-rabbitmq.md §5) and shovel (§6) links have in common: a VOLTTRON YAML file read into a
 * config, applied idempotently, read back as link states, and removed.
 *
 * @param <C> the file's config
 */
public interface LinkApplier<C> {

    /** Reads and checks the file; the message of the exception names the file and the key. */
    C load(Path file) throws LinkConfigException;

    /** Creates or updates what the file asks for; never deletes. */
    ApplyReport apply(C config) throws ManagementException;

    /** Every link of the file with its state; links the file names but the broker lacks show as missing. */
    List<LinkStatus> status(C config) throws ManagementException;

    /** Deletes what the file's links made; certificates too when {@code deleteCertificates}. */
    ApplyReport remove(C config, boolean deleteCertificates) throws ManagementException;
}
