package org.vipgate.federation.remote;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.PemException;
import org.vipgate.certs.PemFiles;
import org.vipgate.certs.PemTls;

/**
 * Remote root CAs trusted on first use, one file per remote instance: {@code <dir>/<remote>_ca.crt}, the very file
 * VOLTTRON writes after approval (certs-csr-discovery.md §1.6), mode 0644. Once a CA is here it is the only trust
 * anchor for that instance; deleting the file re-pins on the next discovery. Thread-safe.
 */
public final class PinnedCas {

    /** §1.5: the remote root CA is stored as {@code <remote_instance>_ca}. */
    public static final String CA_SUFFIX = "_ca.crt";
    /** Instance names become file names: letters, digits, '_', '-', '.', not starting with a dot. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}");

    private static final Logger LOG = LoggerFactory.getLogger(PinnedCas.class);

    private final Path directory;

    public PinnedCas(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** True when {@code name} may be used as (part of) a file name in the directory. */
    public static boolean isSafeName(String name) {
        return name != null && SAFE_NAME.matcher(name).matches() && !name.contains("..");
    }

    public Path directory() {
        return directory;
    }

    /** {@code <dir>/<instance>_ca.crt}. */
    public Path file(String instanceName) {
        if (!isSafeName(instanceName)) {
            throw new IllegalArgumentException("not a usable instance name: '" + instanceName + "'");
        }
        return directory.resolve(instanceName + CA_SUFFIX);
    }

    /** The CA pinned for the instance, if any. */
    public synchronized Optional<X509Certificate> pinned(String instanceName) throws PemException {
        Path file = file(instanceName);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(PemTls.readCertificates(file).get(0));
    }

    /** Every pinned CA (the trust anchors a pinned server may present a chain to). Unreadable files are skipped. */
    public synchronized List<X509Certificate> all() {
        List<X509Certificate> all = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + CA_SUFFIX)) {
            for (Path file : files) {
                try {
                    all.addAll(PemTls.readCertificates(file));
                } catch (PemException e) {
                    LOG.warn("skipping the pinned remote CA {}: {}; delete it to pin the CA again on the next"
                            + " discovery", file, e.getMessage());
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            LOG.warn("cannot list the pinned remote CAs in {}: {}", directory, e.toString());
        }
        return all;
    }

    /** Pins {@code ca} for the instance (trust on first use, §1.6), unless one is already pinned. */
    public synchronized Path pin(String instanceName, X509Certificate ca, URI fromAddress) throws IOException {
        Path file = file(instanceName);
        Files.createDirectories(directory);
        if (Files.exists(file)) {
            return file;
        }
        PemFiles.writeCertificate(file, ca);
        LOG.warn("pinned the root CA of remote instance '{}' ('{}', serial {}) first seen at {} (trust on first use)"
                        + " in {}; later discovery answers must carry this CA; delete the file to trust another one",
                instanceName, ca.getSubjectX500Principal().getName(), ca.getSerialNumber(), fromAddress, file);
        return file;
    }
}
