package org.vipgate.certs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * VOLTTRON's CA database (certs-csr-discovery.md §1.3 {@code update_ca_db}): {@code ca_db/<ca>-cadb.json} maps each
 * subject to {@code {"status":"valid","expiry":"%Y-%m-%d %H:%M:%S.%f","serial_number":<int>}}, and
 * {@code ca_db/<ca>-serial} holds the last serial + 1. Written on every signing; serials still come from the clock.
 */
final class CaDatabase {

    /** Python's {@code %Y-%m-%d %H:%M:%S.%f}, in UTC as {@code not_valid_after} is. */
    private static final DateTimeFormatter EXPIRY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path database;
    private final Path serialFile;

    CaDatabase(CertificateLayout layout, String caName) {
        this.database = layout.caDatabase(caName);
        this.serialFile = layout.caSerial(caName);
    }

    /** Records a certificate just signed. */
    synchronized void record(SubjectData subject, Instant notAfter, BigInteger serial) throws IOException {
        Map<String, Object> entries = read();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("status", "valid");
        entry.put("expiry", EXPIRY.format(notAfter));
        entry.put("serial_number", serial);
        entries.put(subject.caDatabaseKey(), entry);
        PemFiles.writeAtomically(database, JSON.writeValueAsString(entries) + "\n", PemFiles.PUBLIC_MODE);
        // §1.3: the -serial file holds serial + 1 (written, never read by VOLTTRON).
        PemFiles.writeAtomically(serialFile, serial.add(BigInteger.ONE).toString(), PemFiles.PUBLIC_MODE);
    }

    private Map<String, Object> read() throws IOException {
        if (!Files.exists(database) || Files.size(database) == 0) {
            return new LinkedHashMap<>();
        }
        return JSON.readValue(database.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
    }
}
