package org.vipgate.certs.csr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.CertificateAuthority;
import org.vipgate.certs.InvalidCsrException;
import org.vipgate.certs.PemFiles;
import org.vipgate.certs.PkiException;

/**
 * The certificate-request store of an instance (certs-csr-discovery.md §2.2, §2.3), on the files of {@link CsrFiles}
 * and signed by the instance's {@link CertificateAuthority}.
 *
 * <p>{@link #requestNew} answers {@link CsrReply.Error}, and stores nothing, when the request is larger than
 * {@link #MAX_CSR_PEM_BYTES}, not a PEM PKCS#10 request, badly signed, without a CN, with a CN that is not a safe
 * file name, or with a CN that does not start with {@code "<instance>."} (VOLTTRON builds that error and then stores
 * the request anyway; vipgate returns it), or when {@code maxPending} requests are already pending. A CN already
 * stored keeps its stored CSR and gets its current status. In auto-allow mode a request is signed at once
 * ({@link CsrReply.Successful}), a DENIED one too, as VOLTTRON does.
 *
 * <p>Every approval fires a {@link CsrApproved} to the listeners, after the files are written and outside the lock; a
 * listener that throws is logged and does not affect the approval or the other listeners. All methods are
 * thread-safe.
 */
public final class CsrStore implements CsrService {

    /** Pending requests kept at most, by default; more are refused until an administrator acts. */
    public static final int DEFAULT_MAX_PENDING = 1_000;
    /** Largest CSR PEM accepted (a 2048-bit RSA request is about 1 KiB). */
    public static final int MAX_CSR_PEM_BYTES = 16 * 1024;
    /** Longest CN accepted: it becomes a file name and a RabbitMQ user name. */
    public static final int MAX_COMMON_NAME_LENGTH = 200;

    static final String TOO_MANY_PENDING =
            "too many pending certificate requests; ask the administrator to approve, deny or delete some";

    private static final Logger LOG = LoggerFactory.getLogger(CsrStore.class);

    private final CertificateAuthority ca;
    private final CsrFiles files;
    private final int maxPending;
    private final Clock clock;
    private final List<Consumer<CsrApproved>> listeners = new CopyOnWriteArrayList<>();
    private boolean autoAllow;

    /** A store with auto-allow off and {@link #DEFAULT_MAX_PENDING}. */
    public CsrStore(CertificateAuthority ca) {
        this(ca, false);
    }

    /** A store with {@link #DEFAULT_MAX_PENDING}. */
    public CsrStore(CertificateAuthority ca, boolean autoAllow) {
        this(ca, autoAllow, DEFAULT_MAX_PENDING);
    }

    /**
     * @param ca         the instance's CA: it signs, and its instance name is the required CN prefix
     * @param autoAllow  sign every valid request at once (VOLTTRON's {@code auto_allow_csr})
     * @param maxPending how many PENDING requests are kept at most
     */
    public CsrStore(CertificateAuthority ca, boolean autoAllow, int maxPending) {
        this(ca, autoAllow, maxPending, Clock.systemUTC());
    }

    CsrStore(CertificateAuthority ca, boolean autoAllow, int maxPending, Clock clock) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1: " + maxPending);
        }
        this.ca = Objects.requireNonNull(ca, "ca");
        this.files = new CsrFiles(ca.layout());
        this.autoAllow = autoAllow;
        this.maxPending = maxPending;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Turns auto-allow on or off (VOLTTRON's {@code platform_web.auto_allow_csr(bool)}, §2.2). */
    public synchronized void setAutoAllow(boolean autoAllow) {
        if (this.autoAllow != autoAllow) {
            LOG.warn("CSR auto-allow is now {} for instance '{}'{}", autoAllow ? "ON" : "off", ca.instanceName(),
                    autoAllow ? ": every valid request with the instance prefix is signed without review" : "");
        }
        this.autoAllow = autoAllow;
    }

    /** Calls {@code listener} after every approval, on the approving thread. */
    public void addApprovalListener(Consumer<CsrApproved> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The stored request for {@code commonName}, if any. */
    public synchronized Optional<CsrRecord> find(String commonName) {
        if (unsafeNameReason(commonName) != null) {
            return Optional.empty();
        }
        try {
            return files.read(commonName).map(CsrFiles.Stored::record);
        } catch (IOException e) {
            LOG.warn("cannot read the certificate request of '{}': {}", commonName, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public CsrReply requestNew(String csrPem, String remoteAddress) {
        Objects.requireNonNull(csrPem, "csrPem");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Outcome outcome;
        synchronized (this) {
            outcome = requestNewLocked(csrPem, remoteAddress);
        }
        fire(outcome.event());
        return outcome.reply();
    }

    private Outcome requestNewLocked(String csrPem, String remoteAddress) {
        int size = csrPem.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_CSR_PEM_BYTES) {
            return refuse(remoteAddress, "?", "the CSR is " + size + " bytes, larger than the "
                    + MAX_CSR_PEM_BYTES / 1024 + " KiB allowed");
        }
        PKCS10CertificationRequest request;
        try {
            request = PemFiles.parseCsr(csrPem);
            CertificateAuthority.verifySignature(request);
        } catch (InvalidCsrException e) {
            return refuse(remoteAddress, "?", e.getMessage());
        }
        String commonName = commonName(request);
        if (commonName == null) {
            return refuse(remoteAddress, "?", "the CSR subject has no common name (CN); expected CN="
                    + ca.instanceName() + ".<your instance>.<identity>");
        }
        String unsafe = unsafeNameReason(commonName);
        if (unsafe != null) {
            return refuse(remoteAddress, commonName, "the CSR common name cannot be used: " + unsafe);
        }
        // certs-csr-discovery.md §2.2: the CN must start with "<this_instance>."; VOLTTRON builds this error but
        // forgets to return it. Same message, returned.
        if (!commonName.startsWith(ca.instanceName() + ".")) {
            return refuse(remoteAddress, commonName, "CSR must start with instance name: " + ca.instanceName());
        }
        try {
            Optional<CsrFiles.Stored> existing = files.read(commonName);
            if (existing.isPresent()) {
                // §2.2: an existing entry is never overwritten; the stored CSR stays.
                return replyForExisting(existing.get().record());
            }
            if (!autoAllow && files.countPending() >= maxPending) {
                return refuse(remoteAddress, commonName, TOO_MANY_PENDING);
            }
            ca.layout().ensureDirectories();
            files.writeNew(commonName, csrPem, remoteAddress, CsrStatus.PENDING, clock.instant());
            if (autoAllow) {
                Approval approval = approveLocked(commonName);
                LOG.info("auto-allow: signed the certificate request of '{}' from {} at once", commonName,
                        remoteAddress);
                return new Outcome(new CsrReply.Successful(approval.certificatePem()), approval.event());
            }
            LOG.info("stored the certificate request of '{}' from {} as PENDING; an administrator approves it with"
                    + " 'vipgate auth remote approve {}' or denies it with 'vipgate auth remote deny {}'", commonName,
                    remoteAddress, commonName, commonName);
            return new Outcome(new CsrReply.Pending(), null);
        } catch (IOException | PkiException | CsrException e) {
            LOG.error("cannot store or sign the certificate request of '{}' from {}: {}", commonName, remoteAddress,
                    e.getMessage());
            return new Outcome(new CsrReply.Error("the server cannot process the request now: " + e.getMessage()),
                    null);
        }
    }

    private Outcome replyForExisting(CsrRecord existing) throws IOException, PkiException, CsrException {
        String cn = existing.commonName();
        switch (existing.status()) {
            case APPROVED -> {
                Optional<String> pem = files.readCertificate(cn);
                if (pem.isPresent()) {
                    return new Outcome(new CsrReply.Approved(pem.get()), null);
                }
                LOG.warn("the certificate request of '{}' is APPROVED but {} is missing; signing it again", cn,
                        ca.layout().remoteCertificate(cn));
                Approval approval = approveLocked(cn);
                return new Outcome(new CsrReply.Approved(approval.certificatePem()), approval.event());
            }
            case PENDING, DENIED -> {
                if (autoAllow) {
                    // §2.2: in auto-allow mode a stored request is signed at once, a DENIED one too.
                    Approval approval = approveLocked(cn);
                    LOG.info("auto-allow: signed the stored {} certificate request of '{}'", existing.status(), cn);
                    return new Outcome(new CsrReply.Successful(approval.certificatePem()), approval.event());
                }
                return new Outcome(existing.status() == CsrStatus.PENDING ? new CsrReply.Pending()
                        : new CsrReply.Denied(), null);
            }
            default -> throw new IllegalStateException("unknown status " + existing.status());
        }
    }

    private Outcome refuse(String remoteAddress, String commonName, String message) {
        LOG.warn("refused a certificate request from {} (CN '{}'): {}; nothing stored", remoteAddress, commonName,
                message);
        return new Outcome(new CsrReply.Error(message), null);
    }

    @Override
    public synchronized List<CsrRecord> list() {
        try {
            return List.copyOf(files.list());
        } catch (IOException e) {
            LOG.error("cannot list the certificate requests in {}: {}", ca.layout().pendingCsrDir(), e.getMessage());
            return List.of();
        }
    }

    @Override
    public CsrRecord approve(String commonName) throws CsrException {
        Approval approval;
        synchronized (this) {
            CsrRecord existing = require(commonName);
            try {
                if (existing.status() == CsrStatus.APPROVED && files.readCertificate(commonName).isPresent()) {
                    LOG.info("the certificate request of '{}' is already approved; nothing to do", commonName);
                    return existing;
                }
                approval = approveLocked(commonName);
            } catch (IOException | PkiException e) {
                throw new CsrException("cannot approve the certificate request of '" + commonName + "': "
                        + e.getMessage(), e);
            }
            LOG.info("approved the certificate request of '{}' (from {}): {}", commonName, existing.remoteAddress(),
                    ca.layout().remoteCertificate(commonName));
        }
        fire(approval.event());
        return approval.record();
    }

    /** Signs the stored CSR, writes the certificate, marks it APPROVED; the caller fires the event. */
    private Approval approveLocked(String commonName) throws IOException, PkiException, CsrException {
        CsrFiles.Stored stored = files.read(commonName)
                .orElseThrow(() -> unknown(commonName));
        X509Certificate certificate = ca.signCsr(stored.csrPem());
        ca.layout().ensureDirectories();
        PemFiles.writeCertificate(ca.layout().remoteCertificate(commonName), certificate);
        files.writeStatus(commonName, CsrStatus.APPROVED);
        CsrRecord record = new CsrRecord(commonName, stored.record().remoteAddress(), CsrStatus.APPROVED,
                stored.record().requestedAt());
        return new Approval(record, PemFiles.toPem(certificate), new CsrApproved(commonName, certificate));
    }

    @Override
    public synchronized CsrRecord deny(String commonName) throws CsrException {
        CsrRecord existing = require(commonName);
        try {
            // §2.3: deny removes the certificate and keeps the .csr, so that a later approve still works.
            Files.deleteIfExists(ca.layout().remoteCertificate(commonName));
            files.writeStatus(commonName, CsrStatus.DENIED);
        } catch (IOException e) {
            throw new CsrException("cannot deny the certificate request of '" + commonName + "': " + e, e);
        }
        LOG.info("denied the certificate request of '{}' (from {}); its certificate is removed", commonName,
                existing.remoteAddress());
        return new CsrRecord(commonName, existing.remoteAddress(), CsrStatus.DENIED, existing.requestedAt());
    }

    @Override
    public synchronized void delete(String commonName) throws CsrException {
        CsrRecord existing = require(commonName);
        try {
            // §2.3: delete removes the certificate and both pending_csr files, so that the client can resubmit.
            Files.deleteIfExists(ca.layout().remoteCertificate(commonName));
            Files.deleteIfExists(ca.layout().pendingCsr(commonName));
            Files.deleteIfExists(ca.layout().pendingCsrMetadata(commonName));
        } catch (IOException e) {
            throw new CsrException("cannot delete the certificate request of '" + commonName + "': " + e, e);
        }
        LOG.info("deleted the certificate request of '{}' (from {}, was {}); it may be sent again", commonName,
                existing.remoteAddress(), existing.status());
    }

    @Override
    public synchronized Optional<String> certificate(String commonName) {
        Optional<CsrRecord> record = find(commonName);
        if (record.isEmpty() || record.get().status() != CsrStatus.APPROVED) {
            return Optional.empty();
        }
        try {
            return files.readCertificate(commonName);
        } catch (IOException e) {
            LOG.warn("cannot read the certificate of '{}': {}", commonName, e.getMessage());
            return Optional.empty();
        }
    }

    private CsrRecord require(String commonName) throws CsrException {
        Objects.requireNonNull(commonName, "commonName");
        if (unsafeNameReason(commonName) != null) {
            throw unknown(commonName);
        }
        try {
            return files.read(commonName).map(CsrFiles.Stored::record).orElseThrow(() -> unknown(commonName));
        } catch (IOException e) {
            throw new CsrException("cannot read the certificate request of '" + commonName + "': " + e.getMessage(),
                    e);
        }
    }

    private CsrException unknown(String commonName) {
        return new CsrException("no certificate request with common name '" + commonName + "' in "
                + ca.layout().pendingCsrDir());
    }

    private void fire(CsrApproved event) {
        if (event == null) {
            return;
        }
        for (Consumer<CsrApproved> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.error("a listener failed on the approval of '{}' (the certificate is issued and stays; whatever"
                        + " that listener does, e.g. the RabbitMQ user, must be done by hand or by approving again"
                        + " after a delete)", event.commonName(), e);
            }
        }
    }

    /**
     * Why {@code commonName} is not a safe file name, or null when it is: no '/', '\', "..", control characters,
     * not empty, at most {@link #MAX_COMMON_NAME_LENGTH} characters. VOLTTRON writes {@code pending_csr/<CN>.json}
     * with any CN, so a CN with "../" escapes the folder.
     */
    static String unsafeNameReason(String commonName) {
        if (commonName == null || commonName.isEmpty()) {
            return "it is empty";
        }
        if (commonName.length() > MAX_COMMON_NAME_LENGTH) {
            return "it is " + commonName.length() + " characters long, more than " + MAX_COMMON_NAME_LENGTH;
        }
        if (commonName.contains("/") || commonName.contains("\\")) {
            return "it contains '/' or '\\'";
        }
        if (commonName.contains("..")) {
            return "it contains '..'";
        }
        for (int i = 0; i < commonName.length(); i++) {
            char c = commonName.charAt(i);
            if (Character.isISOControl(c)) {
                return "it contains the control character U+" + String.format("%04X", (int) c);
            }
        }
        return null;
    }

    /** The CSR's CN, or null when it has none or several. */
    private static String commonName(PKCS10CertificationRequest request) {
        RDN[] rdns = request.getSubject().getRDNs(BCStyle.CN);
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            return null;
        }
        return IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    private record Outcome(CsrReply reply, CsrApproved event) {
    }

    private record Approval(CsrRecord record, String certificatePem, CsrApproved event) {
    }
}
