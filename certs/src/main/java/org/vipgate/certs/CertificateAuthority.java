package org.vipgate.certs;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance's root CA in VOLTTRON's layout (certs-csr-discovery.md §1.1-§1.5): {@code certs/<instance>-root-ca.crt},
 * {@code private/<instance>-root-ca.pem}, a copy in {@code certs/<instance>-trusted-cas.crt}, and the CA database
 * in {@code ca_db/}. It issues server and client certificates, signs remote platforms' CSRs and makes CSRs for
 * local keys. Every key is RSA 2048 (e = 65537) and every signature SHA256withRSA.
 *
 * <p>Where vipgate differs from VOLTTRON on purpose: leaves live {@link CertificateLifetimes#DEFAULT_LEAF_DAYS} days
 * (not 3650) and never beyond the CA; a CSR's signature is verified ({@link InvalidCsrException} otherwise); serials
 * never repeat within the process; server certificates may carry IP SANs.
 *
 * <p>Thread-safe: issuing methods are synchronized, so the CA database is updated one signing at a time.
 */
public final class CertificateAuthority {

    /** certs-csr-discovery.md §1.5: the root CA's file stem is {@code <instance>-root-ca}. */
    public static final String ROOT_CA_SUFFIX = "-root-ca";
    /** certs-csr-discovery.md §1.2: the CA copy RabbitMQ and local clients trust, {@code <instance>-trusted-cas}. */
    public static final String TRUSTED_CAS_SUFFIX = "-trusted-cas";

    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthority.class);
    // certs-csr-discovery.md §1.1: RSA 2048, e = 65537, SHA256withRSA.
    private static final int KEY_BITS = 2048;
    private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    // certs-csr-discovery.md §1.2: BasicConstraints CA:TRUE pathLen=1.
    private static final int CA_PATH_LENGTH = 1;

    private final CertificateLayout layout;
    private final String instanceName;
    private final X509Certificate certificate;
    private final X509CertificateHolder holder;
    private final PrivateKey privateKey;
    private final CertificateLifetimes lifetimes;
    private final Clock clock;
    private final CaDatabase database;

    private CertificateAuthority(CertificateLayout layout, String instanceName, X509Certificate certificate,
                                 PrivateKey privateKey, CertificateLifetimes lifetimes, Clock clock) {
        this.layout = layout;
        this.instanceName = instanceName;
        this.certificate = certificate;
        this.holder = holderOf(certificate);
        this.privateKey = privateKey;
        this.lifetimes = lifetimes;
        this.clock = clock;
        this.database = new CaDatabase(layout, name(instanceName));
    }

    /**
     * certs-csr-discovery.md §1.2: {@code certificate-data} may name an existing CA instead of a subject
     * ({@code ca-public-key}, {@code ca-private-key}); its files are copied in as {@code <instance>-root-ca} (the key
     * as PKCS#1, mode 0600) and as {@code <instance>-trusted-cas.crt}. Unlike VOLTTRON, nothing else in
     * {@code certs/}, {@code private/} or {@code ca_db/} is deleted, and an instance that already has a CA keeps it.
     *
     * @throws PkiException when a file is unreadable, the certificate is not a CA, the key does not belong to it, the
     *                      instance already has a CA, or the files cannot be written
     */
    public static CertificateAuthority importExisting(CertificateLayout layout, String instanceName, Path certificate,
                                                      Path privateKey, CertificateLifetimes lifetimes)
            throws PkiException {
        if (Files.exists(layout.certificate(name(instanceName))) || Files.exists(layout.privateKey(name(instanceName)))) {
            throw new PkiException("instance '" + instanceName + "' already has a root CA ("
                    + layout.certificate(name(instanceName)) + "); not importing " + certificate);
        }
        X509Certificate caCert;
        PrivateKey key;
        try {
            caCert = PemTls.readCertificates(certificate).get(0);
            key = PemTls.readPrivateKey(privateKey);
        } catch (PemException e) {
            throw new PkiException("cannot import the CA: " + e.getMessage(), e);
        }
        checkPair(instanceName, caCert, key, certificate, privateKey);
        layout.ensureDirectories();
        try {
            PemFiles.writePrivateKey(layout.privateKey(name(instanceName)), key);
            PemFiles.writeCertificate(layout.certificate(name(instanceName)), caCert);
            PemFiles.writeCertificate(layout.certificate(instanceName + TRUSTED_CAS_SUFFIX), caCert);
        } catch (IOException e) {
            throw new PkiException("cannot write the imported root CA into " + layout.root() + ": " + e, e);
        }
        LOG.info("imported root CA '{}' ({}) from {} and {}; valid until {}", name(instanceName),
                caCert.getSubjectX500Principal().getName(), certificate, privateKey, caCert.getNotAfter().toInstant());
        return load(layout, instanceName, lifetimes);
    }

    /** The certificate must be a CA and the key its RSA key. */
    private static void checkPair(String instanceName, X509Certificate caCert, PrivateKey key, Path certFile,
                                  Path keyFile) throws PkiException {
        if (caCert.getBasicConstraints() < 0) {
            throw new PkiException(certFile + ": not a CA certificate (no BasicConstraints CA:TRUE); expected the"
                    + " root CA of instance '" + instanceName + "'");
        }
        if (!(key instanceof RSAPrivateCrtKey rsa) || !(caCert.getPublicKey() instanceof RSAPublicKey pub)
                || !rsa.getModulus().equals(pub.getModulus())) {
            throw new PkiException(keyFile + ": the private key does not belong to the CA certificate " + certFile
                    + "; expected the RSA key the CA was made with");
        }
    }

    /** {@code <instance>-root-ca}. */
    public static String name(String instanceName) {
        return instanceName + ROOT_CA_SUFFIX;
    }

    /** True when both the CA certificate and its key file exist. */
    public static boolean exists(CertificateLayout layout, String instanceName) {
        String name = name(instanceName);
        return Files.exists(layout.certificate(name)) && Files.exists(layout.privateKey(name));
    }

    /**
     * Loads the CA when its files exist, else creates it: a new RSA key, a self-signed certificate with
     * {@code subject} (CN {@code <instance>-root-ca} when it has none), the copy {@code <instance>-trusted-cas.crt},
     * and the missing certificate directories.
     *
     * @throws PkiException when only one of the two CA files exists, a file is unreadable or damaged, or the files
     *                      cannot be written
     */
    public static CertificateAuthority createOrLoad(CertificateLayout layout, String instanceName, SubjectData subject,
                                                    CertificateLifetimes lifetimes) throws PkiException {
        return createOrLoad(layout, instanceName, subject, lifetimes, Clock.systemUTC());
    }

    static CertificateAuthority createOrLoad(CertificateLayout layout, String instanceName, SubjectData subject,
                                             CertificateLifetimes lifetimes, Clock clock) throws PkiException {
        Objects.requireNonNull(subject, "subject");
        String name = name(instanceName);
        boolean certExists = Files.exists(layout.certificate(name));
        boolean keyExists = Files.exists(layout.privateKey(name));
        if (certExists || keyExists) {
            return load(layout, instanceName, lifetimes, clock);
        }
        layout.ensureDirectories();
        SubjectData caSubject = subject.commonName() == null ? subject.withCommonName(name) : subject;
        KeyPair keys = newKeyPair();
        Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notBefore.plus(lifetimes.ca());
        BigInteger serial = SerialNumbers.forCa(clock);
        X500Name dn = caSubject.toX500Name();
        X509Certificate caCert;
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(dn, serial, Date.from(notBefore),
                    Date.from(notAfter), dn, keys.getPublic());
            // certs-csr-discovery.md §1.2: BasicConstraints CA pathLen 1 critical; KeyUsage keyCertSign + cRLSign
            // critical; SKI RFC 5280 method 1 (SHA-1 of the public key), non-critical; no AKI.
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(CA_PATH_LENGTH));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(keys.getPublic()));
            caCert = toCertificate(builder.build(signer(keys.getPrivate())));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot make the root CA certificate " + name + ": " + e.getMessage(), e);
        }
        Path keyFile = layout.privateKey(name);
        Path certFile = layout.certificate(name);
        try {
            PemFiles.writePrivateKey(keyFile, keys.getPrivate());
            PemFiles.writeCertificate(certFile, caCert);
            // certs-csr-discovery.md §1.2: the CA is copied to <instance>-trusted-cas.crt.
            PemFiles.writeCertificate(layout.certificate(instanceName + TRUSTED_CAS_SUFFIX), caCert);
        } catch (IOException e) {
            throw new PkiException("cannot write the root CA " + certFile + " / " + keyFile + ": " + e, e);
        }
        CertificateAuthority ca = new CertificateAuthority(layout, instanceName, caCert, keys.getPrivate(),
                lifetimes, clock);
        ca.recordInDatabase(caCert);
        LOG.info("created root CA '{}' ({}), valid until {}: {}; trust anchor {}", name, dn, notAfter, certFile,
                layout.certificate(instanceName + TRUSTED_CAS_SUFFIX));
        return ca;
    }

    /**
     * Loads an existing CA; recreates {@code <instance>-trusted-cas.crt} when it is missing.
     *
     * @throws PkiException when a file is missing, unreadable or damaged, the key does not belong to the certificate,
     *                      or the certificate is not a CA
     */
    public static CertificateAuthority load(CertificateLayout layout, String instanceName,
                                            CertificateLifetimes lifetimes) throws PkiException {
        return load(layout, instanceName, lifetimes, Clock.systemUTC());
    }

    static CertificateAuthority load(CertificateLayout layout, String instanceName, CertificateLifetimes lifetimes,
                                     Clock clock) throws PkiException {
        String name = name(instanceName);
        Path certFile = layout.certificate(name);
        Path keyFile = layout.privateKey(name);
        X509Certificate caCert;
        PrivateKey key;
        try {
            caCert = PemTls.readCertificates(certFile).get(0);
            key = PemTls.readPrivateKey(keyFile);
        } catch (PemException e) {
            throw new PkiException("cannot load the root CA of instance '" + instanceName + "': " + e.getMessage(), e);
        }
        checkPair(instanceName, caCert, key, certFile, keyFile);
        layout.ensureDirectories();
        Path trusted = layout.certificate(instanceName + TRUSTED_CAS_SUFFIX);
        if (!Files.exists(trusted)) {
            try {
                PemFiles.writeCertificate(trusted, caCert);
                LOG.info("wrote missing trust anchor {} (a copy of {})", trusted, certFile);
            } catch (IOException e) {
                throw new PkiException("cannot write the trust anchor " + trusted + ": " + e, e);
            }
        }
        LOG.debug("loaded root CA '{}' from {}", name, certFile);
        return new CertificateAuthority(layout, instanceName, caCert, key, lifetimes, clock);
    }

    /** {@code <instance>-root-ca}. */
    public String name() {
        return name(instanceName);
    }

    public String instanceName() {
        return instanceName;
    }

    public CertificateLayout layout() {
        return layout;
    }

    public CertificateLifetimes lifetimes() {
        return lifetimes;
    }

    /** The CA certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate as PEM (discovery's {@code rmq-ca-cert}, §3.1). */
    public String certificatePem() {
        return PemFiles.toPem(certificate);
    }

    /** The CA's subject attributes: leaves copy them with CN replaced (§1.3). */
    public SubjectData subject() {
        return SubjectData.fromX500Name(holder.getSubject());
    }

    /** {@code certs/<instance>-trusted-cas.crt}. */
    public Path trustedCasFile() {
        return layout.certificate(instanceName + TRUSTED_CAS_SUFFIX);
    }

    /**
     * Issues a server certificate {@code certs/<name>.crt} with a new key {@code private/<name>.pem}
     * (certs-csr-discovery.md §1.3): CN = the first host name, SANs = every host name (critical); names that are IP
     * literals become IP SANs (VOLTTRON has none; clients of {@code https://127.0.0.1} need them).
     *
     * @param hostNames host names and addresses, at least one; VOLTTRON puts the short host name first, then the fqdn
     */
    public synchronized IssuedCertificate issueServer(String name, List<String> hostNames) throws PkiException {
        if (hostNames.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one host name");
        }
        List<GeneralName> names = new ArrayList<>();
        for (String host : hostNames) {
            names.add(IPAddress.isValid(host) ? new GeneralName(GeneralName.iPAddress, host)
                    : new GeneralName(GeneralName.dNSName, host));
        }
        Extension san;
        try {
            san = new Extension(Extension.subjectAlternativeName, true,
                    new GeneralNames(names.toArray(new GeneralName[0])).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the SANs " + hostNames, e);
        }
        return issueWithNewKey(name, subject().withCommonName(hostNames.get(0)), CertificateKind.SERVER, san);
    }

    /**
     * Issues a client certificate {@code certs/<name>.crt} with a new key {@code private/<name>.pem}
     * (certs-csr-discovery.md §1.3): subject = the CA subject with CN = {@code name}.
     */
    public synchronized IssuedCertificate issueClient(String name) throws PkiException {
        return issueWithNewKey(name, subject().withCommonName(name), CertificateKind.CLIENT, null);
    }

    /**
     * Signs a remote platform's PKCS#10 request (certs-csr-discovery.md §1.3): a client certificate whose subject is
     * the request's, verbatim; the request's extensions are ignored. Unlike VOLTTRON the request's signature must
     * verify. Nothing is written but the CA database.
     *
     * @throws InvalidCsrException when the PEM holds no request or its signature is bad
     */
    public X509Certificate signCsr(String csrPem) throws PkiException {
        return signCsr(PemFiles.parseCsr(csrPem));
    }

    /** As {@link #signCsr(String)}, for a parsed request. */
    public synchronized X509Certificate signCsr(PKCS10CertificationRequest request) throws PkiException {
        verifySignature(request);
        X509Certificate issued = sign(request.getSubject(), request.getSubjectPublicKeyInfo(), CertificateKind.CLIENT,
                null);
        LOG.info("signed the CSR of '{}' as client certificate serial {}, valid until {}", request.getSubject(),
                issued.getSerialNumber(), issued.getNotAfter().toInstant());
        return issued;
    }

    /**
     * Checks a request's signature with its own public key.
     *
     * @throws InvalidCsrException when it does not verify
     */
    public static void verifySignature(PKCS10CertificationRequest request) throws InvalidCsrException {
        try {
            boolean valid = request.isSignatureValid(
                    new JcaContentVerifierProviderBuilder().build(request.getSubjectPublicKeyInfo()));
            if (!valid) {
                throw new InvalidCsrException("the CSR signature does not verify with its public key");
            }
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new InvalidCsrException("the CSR signature cannot be checked (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A PKCS#10 request, PEM, for the local key {@code private/<localKeyName>.pem} (certs-csr-discovery.md §2.1 step
     * 4): subject = this CA's subject with CN = {@code commonName} (all six attributes when the CA has them, §7.6), no
     * extensions, signed SHA-256 with that key, so that the remote-issued certificate shares the local key.
     *
     * @throws PkiException when the key file is missing, unreadable or not an RSA key
     */
    public String createCsr(String localKeyName, String commonName) throws PkiException {
        Path keyFile = layout.privateKey(localKeyName);
        PrivateKey key;
        try {
            key = PemTls.readPrivateKey(keyFile);
        } catch (PemException e) {
            throw new PkiException("cannot make a CSR for '" + commonName + "': " + e.getMessage(), e);
        }
        if (!(key instanceof RSAPrivateCrtKey rsa)) {
            throw new PkiException(keyFile + ": a " + key.getAlgorithm() + " key; expected an RSA key (PKCS#1)");
        }
        try {
            PublicKey publicKey = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                    subject().withCommonName(commonName).toX500Name(), publicKey).build(signer(key));
            return PemFiles.toPem(request);
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot make a CSR for '" + commonName + "' with " + keyFile + ": " + e, e);
        }
    }

    /**
     * A new certificate for the same subject, public key and kind (and SANs) as {@code existing}, valid from now for
     * the leaf lifetime. Nothing is written but the CA database; the caller replaces the file.
     *
     * @throws PkiException when {@code existing} was not issued by this CA, or is a CA certificate (the root CA is
     *                      not renewed automatically: make a new one and redistribute it)
     */
    public synchronized X509Certificate renew(X509Certificate existing) throws PkiException {
        if (!issued(existing)) {
            throw new PkiException("'" + existing.getSubjectX500Principal() + "' was not issued by the CA "
                    + name() + "; renew it where it was issued");
        }
        CertificateKind kind = CertificateKind.of(existing);
        if (kind == CertificateKind.CA) {
            throw new PkiException("'" + existing.getSubjectX500Principal() + "' is a CA certificate; the root CA is"
                    + " not renewed automatically");
        }
        X509CertificateHolder old = holderOf(existing);
        Extension san = old.getExtension(Extension.subjectAlternativeName);
        X509Certificate renewed = sign(old.getSubject(), old.getSubjectPublicKeyInfo(), kind, san);
        LOG.info("renewed {} certificate '{}': serial {} valid until {} (was until {})", kind.label(),
                old.getSubject(), renewed.getSerialNumber(), renewed.getNotAfter().toInstant(),
                existing.getNotAfter().toInstant());
        return renewed;
    }

    /** True when {@code candidate} names this CA as issuer and its signature verifies with the CA key. */
    public boolean issued(X509Certificate candidate) {
        if (!candidate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
            return false;
        }
        try {
            candidate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private IssuedCertificate issueWithNewKey(String name, SubjectData subject, CertificateKind kind, Extension san)
            throws PkiException {
        KeyPair keys = newKeyPair();
        X509Certificate issued = sign(subject.toX500Name(), SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()),
                kind, san);
        Path keyFile = layout.privateKey(name);
        Path certFile = layout.certificate(name);
        try {
            layout.ensureDirectories();
            PemFiles.writePrivateKey(keyFile, keys.getPrivate());
            PemFiles.writeCertificate(certFile, issued);
        } catch (IOException e) {
            throw new PkiException("cannot write the certificate " + certFile + " or its key " + keyFile + ": " + e,
                    e);
        }
        LOG.info("issued {} certificate '{}' ({}), serial {}, valid until {}: {}", kind.label(), name,
                subject.toX500Name(), issued.getSerialNumber(), issued.getNotAfter().toInstant(), certFile);
        return new IssuedCertificate(name, issued, certFile, keyFile);
    }

    /** certs-csr-discovery.md §1.3: a leaf signed by this CA, recorded in the CA database. */
    private X509Certificate sign(X500Name subject, SubjectPublicKeyInfo publicKey, CertificateKind kind, Extension san)
            throws PkiException {
        Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notBefore.plus(lifetimes.leaf());
        Instant caNotAfter = certificate.getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            LOG.warn("the CA {} expires on {}, before the {} days a new certificate for '{}' would get; it ends with"
                    + " the CA. Make a new CA before then.", name(), caNotAfter, lifetimes.leafDays(), subject);
            notAfter = caNotAfter;
        }
        // certs-csr-discovery.md §1.3: serial = epoch seconds x 10 000 (strictly increasing here).
        BigInteger serial = SerialNumbers.forLeaf(clock);
        X509Certificate issued;
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(holder.getSubject(), serial,
                    Date.from(notBefore), Date.from(notAfter), subject, publicKey);
            // certs-csr-discovery.md §1.3: AKI = keyid from the issuer's public key, non-critical.
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(certificate.getPublicKey()));
            // certs-csr-discovery.md §1.3: KeyUsage digitalSignature + keyEncipherment, critical, for client and server.
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            // certs-csr-discovery.md §1.3: EKU clientAuth or serverAuth, non-critical.
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    kind == CertificateKind.SERVER ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
            if (san != null) {
                // certs-csr-discovery.md §1.3: SAN DNS names, critical.
                builder.addExtension(san);
            }
            issued = toCertificate(builder.build(signer(privateKey)));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot sign a certificate for '" + subject + "': " + e.getMessage(), e);
        }
        recordInDatabase(issued);
        return issued;
    }

    private void recordInDatabase(X509Certificate issued) throws PkiException {
        try {
            database.record(SubjectData.fromX500Name(holderOf(issued).getSubject()), issued.getNotAfter().toInstant(),
                    issued.getSerialNumber());
        } catch (IOException e) {
            throw new PkiException("signed serial " + issued.getSerialNumber() + " but cannot update the CA database "
                    + layout.caDatabase(name()) + ": " + e, e);
        }
    }


    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(KEY_BITS, RSAKeyGenParameterSpec.F4));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make RSA 2048 keys, which Java 17 always can", e);
        }
    }

    private static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with " + SIGNATURE_ALGORITHM + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate toCertificate(X509CertificateHolder built) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(built);
    }

    private static X509CertificateHolder holderOf(X509Certificate certificate) {
        try {
            return new JcaX509CertificateHolder(certificate);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate cannot be re-encoded", e);
        }
    }
}
