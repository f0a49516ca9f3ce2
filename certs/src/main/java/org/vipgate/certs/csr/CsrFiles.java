package org.vipgate.certs.csr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.CertificateLayout;
import org.vipgate.certs.PemFiles;

/**
 * The stored certificate requests exactly as VOLTTRON keeps them (certs-csr-discovery.md §1.4, §2.2):
 * {@code pending_csr/<CN>.csr} (the PEM as received), {@code pending_csr/<CN>.json}
 * {@code {"remote_ip_address","identity","csr","status"}} plus vipgate's {@code "requested_at"} (ISO-8601; VOLTTRON
 * ignores extra keys), and {@code remote_certs/<CN>.crt}. Reading needs no CA, so {@code vipgate auth remote list}
 * can use this class alone. Not synchronized: {@link CsrStore} serializes the writes.
 */
public final class CsrFiles {

    static final String KEY_REMOTE_ADDRESS = "remote_ip_address";
    static final String KEY_IDENTITY = "identity";
    static final String KEY_CSR = "csr";
    static final String KEY_STATUS = "status";
    static final String KEY_REQUESTED_AT = "requested_at";

    private static final Logger LOG = LoggerFactory.getLogger(CsrFiles.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as stored, with its PEM. */
    record Stored(CsrRecord record, String csrPem) {
    }

    private final CertificateLayout layout;

    public CsrFiles(CertificateLayout layout) {
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    public CertificateLayout layout() {
        return layout;
    }

    /**
     * Every stored request, oldest first (then by CN). A metadata file that cannot be read is logged and left out.
     *
     * @throws IOException when {@code pending_csr/} cannot be listed
     */
    public List<CsrRecord> list() throws IOException {
        Path dir = layout.pendingCsrDir();
        List<CsrRecord> records = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return records;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String commonName = name.substring(0, name.length() - ".json".length());
                try {
                    read(commonName).ifPresent(stored -> records.add(stored.record()));
                } catch (IOException e) {
                    LOG.warn("skipping the certificate request {}: {}", file, e.getMessage());
                }
            }
        }
        records.sort(Comparator.comparing(CsrRecord::requestedAt).thenComparing(CsrRecord::commonName));
        return records;
    }

    /** How many stored requests are PENDING. */
    int countPending() throws IOException {
        return (int) list().stream().filter(r -> r.status() == CsrStatus.PENDING).count();
    }

    /**
     * The stored request for {@code commonName}, empty when there is no {@code pending_csr/<CN>.json}.
     *
     * @throws IOException when the metadata is unreadable or not VOLTTRON's format
     */
    Optional<Stored> read(String commonName) throws IOException {
        Path metadata = layout.pendingCsrMetadata(commonName);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(metadata, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            throw new IOException(metadata + ": not a JSON object; expected {\"remote_ip_address\",\"identity\","
                    + "\"csr\",\"status\"}");
        }
        String statusText = root.path(KEY_STATUS).asText("");
        CsrStatus status;
        try {
            status = CsrStatus.valueOf(statusText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IOException(metadata + ": key 'status': got '" + statusText + "'; expected PENDING, APPROVED"
                    + " or DENIED", e);
        }
        String csrPem = root.path(KEY_CSR).asText("");
        Path csrFile = layout.pendingCsr(commonName);
        if (Files.exists(csrFile)) {
            csrPem = Files.readString(csrFile, StandardCharsets.UTF_8);
        }
        String remote = root.path(KEY_REMOTE_ADDRESS).isTextual() ? root.get(KEY_REMOTE_ADDRESS).asText() : "";
        Instant requestedAt = requestedAt(root, metadata);
        return Optional.of(new Stored(new CsrRecord(commonName, remote, status, requestedAt), csrPem));
    }

    /** certs-csr-discovery.md §2.2: writes {@code <CN>.csr} and {@code <CN>.json} for a new request. */
    void writeNew(String commonName, String csrPem, String remoteAddress, CsrStatus status, Instant requestedAt)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put(KEY_REMOTE_ADDRESS, remoteAddress);
        root.put(KEY_IDENTITY, commonName);
        root.put(KEY_CSR, csrPem);
        root.put(KEY_STATUS, status.name());
        root.put(KEY_REQUESTED_AT, requestedAt.toString());
        PemFiles.writeAtomically(layout.pendingCsr(commonName), csrPem, PemFiles.PUBLIC_MODE);
        PemFiles.writeAtomically(layout.pendingCsrMetadata(commonName), JSON.writeValueAsString(root),
                PemFiles.PUBLIC_MODE);
    }

    /** Sets the status in {@code <CN>.json}, keeping every other key as it is. */
    void writeStatus(String commonName, CsrStatus status) throws IOException {
        Path metadata = layout.pendingCsrMetadata(commonName);
        JsonNode root = JSON.readTree(Files.readString(metadata, StandardCharsets.UTF_8));
        if (!(root instanceof ObjectNode object)) {
            throw new IOException(metadata + ": not a JSON object");
        }
        object.put(KEY_STATUS, status.name());
        PemFiles.writeAtomically(metadata, JSON.writeValueAsString(object), PemFiles.PUBLIC_MODE);
    }

    /** The issued certificate's PEM, empty when {@code remote_certs/<CN>.crt} does not exist. */
    Optional<String> readCertificate(String commonName) throws IOException {
        try {
            return Optional.of(Files.readString(layout.remoteCertificate(commonName), StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static Instant requestedAt(JsonNode root, Path metadata) throws IOException {
        JsonNode at = root.get(KEY_REQUESTED_AT);
        if (at != null && at.isTextual()) {
            try {
                return Instant.parse(at.asText());
            } catch (DateTimeParseException e) {
                LOG.debug("{}: key 'requested_at' is not ISO-8601 ('{}'); using the file's time", metadata,
                        at.asText());
            }
        }
        // Written by VOLTTRON, which records no time: the file's modification time is the best we know.
        return Files.getLastModifiedTime(metadata).toInstant();
    }
}
