package org.vipgate.certs.csr;

import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * An in-memory {@link CsrService} for the web tests: records every request it receives, keeps entries by CN, and
 * "signs" with a fixed fake certificate. The real store is tested on its own.
 */
public final class FakeCsrService implements CsrService {

    /** What {@link #requestNew} was called with. */
    public record Received(String csrPem, String remoteAddress) {
    }

    public static final String FAKE_CERT = "-----BEGIN CERTIFICATE-----\nZmFrZQ==\n-----END CERTIFICATE-----\n";

    private final Clock clock;
    private final Map<String, CsrRecord> records = new LinkedHashMap<>();
    private final List<Received> received = new ArrayList<>();

    public FakeCsrService(Clock clock) {
        this.clock = clock;
    }

    /** Adds an entry as if it had been requested. */
    public synchronized void add(String commonName, String remoteAddress, CsrStatus status) {
        records.put(commonName, new CsrRecord(commonName, remoteAddress, status, clock.instant()));
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public synchronized CsrReply requestNew(String csrPem, String remoteAddress) {
        received.add(new Received(csrPem, remoteAddress));
        String cn;
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            PKCS10CertificationRequest csr = (PKCS10CertificationRequest) parser.readObject();
            cn = IETFUtils.valueToString(csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue());
        } catch (Exception | Error e) {
            return new CsrReply.Error("cannot read the CSR: " + e);
        }
        CsrRecord existing = records.putIfAbsent(cn, new CsrRecord(cn, remoteAddress, CsrStatus.PENDING,
                clock.instant()));
        CsrStatus status = existing == null ? CsrStatus.PENDING : existing.status();
        return switch (status) {
            case PENDING -> new CsrReply.Pending();
            case APPROVED -> new CsrReply.Approved(FAKE_CERT);
            case DENIED -> new CsrReply.Denied();
        };
    }

    @Override
    public synchronized List<CsrRecord> list() {
        return List.copyOf(records.values());
    }

    @Override
    public synchronized CsrRecord approve(String commonName) throws CsrException {
        return set(commonName, CsrStatus.APPROVED);
    }

    @Override
    public synchronized CsrRecord deny(String commonName) throws CsrException {
        return set(commonName, CsrStatus.DENIED);
    }

    @Override
    public synchronized void delete(String commonName) throws CsrException {
        if (records.remove(commonName) == null) {
            throw new CsrException("unknown common name: " + commonName);
        }
    }

    @Override
    public synchronized Optional<String> certificate(String commonName) {
        CsrRecord r = records.get(commonName);
        return r != null && r.status() == CsrStatus.APPROVED ? Optional.of(FAKE_CERT) : Optional.empty();
    }

    private CsrRecord set(String commonName, CsrStatus status) throws CsrException {
        CsrRecord r = records.get(commonName);
        if (r == null) {
            throw new CsrException("unknown common name: " + commonName);
        }
        CsrRecord updated = new CsrRecord(commonName, r.remoteAddress(), status, r.requestedAt());
        records.put(commonName, updated);
        return updated;
    }
}
