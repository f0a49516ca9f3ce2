package org.vipgate.certs;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * TLS contexts from PEM files, as VOLTTRON keeps them: a CA bundle, a certificate chain and an unencrypted
 * private key (certs-csr-discovery.md §1.1, §1.4).
 *
 * <p>{@link #clientContext} succeeds when the CA bundle holds at least one certificate, the chain file holds at
 * least one certificate (the first is the client's own, valid now), and the key file holds exactly one
 * unencrypted RSA, EC or EdDSA private key, in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, VOLTTRON's form), SEC1
 * ({@code BEGIN EC PRIVATE KEY}) or PKCS#8 ({@code BEGIN PRIVATE KEY}) form, that belongs to that certificate.
 * {@link #trustContext} needs only the CA bundle. Otherwise they throw a {@link PemException} that names the file
 * and what is wrong with it; nothing is logged or retried.
 *
 * <p>The contexts negotiate TLS 1.3 or TLS 1.2 (VOLTTRON's broker offers {@code tlsv1.3} and {@code tlsv1.2},
 * vip-rabbitmq.md §7.2; Java 17 disables the older versions by default through
 * {@code jdk.tls.disabledAlgorithms}) and trust only the CA bundle, not the JDK's default CAs. They do not
 * check the server's host name by themselves: the connection does (amqp-client's
 * {@code enableHostnameVerification()}, the JDK's {@code HttpClient} by default).
 */
public final class PemTls {

    /** Key algorithms (as {@link PrivateKey#getAlgorithm()} names them) and how to test that a pair matches. */
    private static final Map<String, String> SIGNATURE_FOR_KEY = Map.of(
            "RSA", "SHA256withRSA",
            "EC", "SHA256withECDSA",
            "EdDSA", "EdDSA",
            "Ed25519", "EdDSA",
            "Ed448", "EdDSA");
    private static final byte[] PROBE = "vipgate: does this key belong to this certificate?"
            .getBytes(StandardCharsets.US_ASCII);
    /** The in-memory key store's password; the store never leaves this class. */
    private static final char[] STORE_PASSWORD = new char[0];
    private static final String EXPECTED_CERTIFICATES = "one or more '-----BEGIN CERTIFICATE-----' blocks";
    private static final String EXPECTED_KEY = "one unencrypted '-----BEGIN RSA PRIVATE KEY-----',"
            + " '-----BEGIN PRIVATE KEY-----' or '-----BEGIN EC PRIVATE KEY-----' block";

    private PemTls() {
    }

    /**
     * A context that trusts the certificates of {@code caBundle} and presents the certificate chain of
     * {@code certificateChain} with the key of {@code privateKey} when the server asks for a client certificate.
     *
     * @param caBundle         PEM file with the CA certificate(s) that signed the server's certificate
     * @param certificateChain PEM file with the client's certificate first, optionally followed by issuers
     * @param privateKey       PEM file with the client certificate's private key, unencrypted
     * @throws PemException when a file is missing or unreadable, holds no certificate or key, holds an
     *                      encrypted or unsupported key, the key does not belong to the certificate, or the
     *                      certificate has expired or is not valid yet
     */
    public static SSLContext clientContext(Path caBundle, Path certificateChain, Path privateKey)
            throws PemException {
        List<X509Certificate> trusted = readCertificates(caBundle);
        List<X509Certificate> chain = readCertificates(certificateChain);
        PrivateKey key = readPrivateKey(privateKey);
        X509Certificate own = chain.get(0);
        if (!belongsTo(key, own)) {
            throw new PemException(privateKey, PemException.Reason.KEY_MISMATCH, "the private key does not match"
                    + " the certificate '" + subject(own) + "' in " + certificateChain,
                    "the key that certificate was issued for", null);
        }
        checkValidNow(certificateChain, own);
        return context(keyManagers(chain, key), trustManagers(trusted));
    }

    /**
     * A context that trusts the certificates of {@code caBundle} and has no client certificate.
     *
     * @throws PemException when the file is missing or unreadable, or holds no certificate
     */
    public static SSLContext trustContext(Path caBundle) throws PemException {
        return context(null, trustManagers(readCertificates(caBundle)));
    }

    /**
     * Every certificate of a PEM file, in file order. Blocks of other kinds (a key in a combined file) are
     * skipped.
     *
     * @throws PemException when the file is missing or unreadable, a block is damaged, or there is no
     *                      certificate in it
     */
    public static List<X509Certificate> readCertificates(Path file) throws PemException {
        List<Object> blocks = readBlocks(file);
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object block : blocks) {
            X509CertificateHolder holder = block instanceof X509CertificateHolder h ? h
                    : block instanceof X509TrustedCertificateBlock t ? t.getCertificateHolder() : null;
            if (holder == null) {
                continue;
            }
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (CertificateException e) {
                throw new PemException(file, PemException.Reason.MALFORMED, "certificate " + (certificates.size()
                        + 1) + " cannot be read (" + e.getMessage() + ")", "valid X.509 certificates", e);
            }
        }
        if (certificates.isEmpty()) {
            throw new PemException(file, PemException.Reason.NO_CERTIFICATE, "no certificate in it ("
                    + contents(blocks) + ")", EXPECTED_CERTIFICATES, null);
        }
        return List.copyOf(certificates);
    }

    /**
     * The one private key of a PEM file: PKCS#1, SEC1 or PKCS#8, unencrypted; RSA, EC or EdDSA. Blocks of other
     * kinds (a certificate in a combined file, EC parameters) are skipped.
     *
     * @throws PemException when the file is missing or unreadable, a block is damaged, there is no key or more
     *                      than one, or the key is encrypted or of another algorithm
     */
    public static PrivateKey readPrivateKey(Path file) throws PemException {
        List<Object> blocks = readBlocks(file);
        List<Object> keys = blocks.stream().filter(PemTls::isPrivateKey).toList();
        if (keys.isEmpty()) {
            throw new PemException(file, PemException.Reason.NO_PRIVATE_KEY, "no private key in it ("
                    + contents(blocks) + ")", EXPECTED_KEY, null);
        }
        if (keys.size() > 1) {
            throw new PemException(file, PemException.Reason.NO_PRIVATE_KEY, keys.size() + " private keys in it",
                    EXPECTED_KEY, null);
        }
        Object block = keys.get(0);
        if (block instanceof PEMEncryptedKeyPair || block instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new PemException(file, PemException.Reason.ENCRYPTED_KEY, "the private key is encrypted with a"
                    + " passphrase, which is not supported", "an unencrypted key, as VOLTTRON writes them (decrypt"
                    + " it with 'openssl pkey -in " + file + " -out <new file>')", null);
        }
        PrivateKey key;
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            // Only the private half: a SEC1 EC key may lack its public key (the certificate has it).
            key = converter.getPrivateKey(block instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
                    : (PrivateKeyInfo) block);
        } catch (org.bouncycastle.openssl.PEMException e) {
            boolean unknownAlgorithm = e.getCause() instanceof NoSuchAlgorithmException;
            throw new PemException(file, unknownAlgorithm ? PemException.Reason.UNSUPPORTED_KEY
                    : PemException.Reason.MALFORMED, "the private key cannot be read (" + e.getMessage() + ")",
                    "an RSA, EC or EdDSA key", e);
        }
        if (!SIGNATURE_FOR_KEY.containsKey(key.getAlgorithm())) {
            throw new PemException(file, PemException.Reason.UNSUPPORTED_KEY, "the private key is a "
                    + key.getAlgorithm() + " key", "an RSA, EC or EdDSA key", null);
        }
        return key;
    }

    private static boolean isPrivateKey(Object block) {
        return block instanceof PEMKeyPair || block instanceof PrivateKeyInfo
                || block instanceof PEMEncryptedKeyPair || block instanceof PKCS8EncryptedPrivateKeyInfo;
    }

    /** The PEM blocks of the file, parsed; text outside blocks is ignored, as OpenSSL does. */
    private static List<Object> readBlocks(Path file) throws PemException {
        String text = readText(file);
        List<Object> blocks = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                blocks.add(block);
            }
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            // PEMParser reports damaged base64 (DecoderException) and DER as these.
            throw new PemException(file, PemException.Reason.MALFORMED, "PEM block " + (blocks.size() + 1)
                    + " cannot be read (" + e.getMessage() + ")", "valid PEM", e);
        }
        return blocks;
    }

    private static String readText(Path file) throws PemException {
        if (Files.isDirectory(file)) {
            throw new PemException(file, PemException.Reason.UNREADABLE, "is a directory", "a PEM file", null);
        }
        try {
            // PEM is ASCII; ISO-8859-1 decodes any byte, so a binary file fails below as "no certificate".
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new PemException(file, PemException.Reason.MISSING_FILE, "missing file", null, e);
        } catch (AccessDeniedException e) {
            throw new PemException(file, PemException.Reason.UNREADABLE, "cannot read the file (permission"
                    + " denied)", null, e);
        } catch (IOException e) {
            throw new PemException(file, PemException.Reason.UNREADABLE, "cannot read the file (" + e + ")", null,
                    e);
        }
    }

    /** What a file holds instead, for messages: e.g. {@code found: a private key}. */
    private static String contents(List<Object> blocks) {
        if (blocks.isEmpty()) {
            return "the file holds no PEM block";
        }
        Set<String> kinds = new LinkedHashSet<>();
        for (Object block : blocks) {
            kinds.add(kind(block));
        }
        return "found: " + String.join(", ", kinds);
    }

    private static String kind(Object block) {
        if (block instanceof X509CertificateHolder || block instanceof X509TrustedCertificateBlock) {
            return "a certificate";
        }
        if (isPrivateKey(block)) {
            return "a private key";
        }
        if (block instanceof SubjectPublicKeyInfo) {
            return "a public key";
        }
        if (block instanceof ASN1ObjectIdentifier) {
            return "EC parameters";
        }
        String name = block.getClass().getSimpleName().replace("Holder", "");
        return name.startsWith("PKCS10") ? "a certificate request" : name.toLowerCase(Locale.ROOT);
    }

    /**
     * True when {@code key} is the private half of the certificate's public key: a signature made with it
     * verifies with the certificate. Works for every algorithm of {@link #SIGNATURE_FOR_KEY}.
     */
    private static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
        String algorithm = SIGNATURE_FOR_KEY.get(key.getAlgorithm());
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            // The certificate's key is of another algorithm or curve: that is the answer, not a failure.
            return false;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK lacks " + algorithm + ", which Java 17 always has", e);
        }
    }

    private static void checkValidNow(Path file, X509Certificate certificate) throws PemException {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new PemException(file, PemException.Reason.CERTIFICATE_NOT_VALID, "the certificate '"
                    + subject(certificate) + "' expired on " + certificate.getNotAfter().toInstant(),
                    "a certificate valid now (renew it)", e);
        } catch (CertificateNotYetValidException e) {
            throw new PemException(file, PemException.Reason.CERTIFICATE_NOT_VALID, "the certificate '"
                    + subject(certificate) + "' is not valid before " + certificate.getNotBefore().toInstant(),
                    "a certificate valid now (check this machine's clock)", e);
        }
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    private static KeyManager[] keyManagers(List<X509Certificate> chain, PrivateKey key) {
        try {
            KeyStore store = emptyStore();
            store.setKeyEntry("client", key, STORE_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, STORE_PASSWORD);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot hold a checked key and certificate in an in-memory key store",
                    e);
        }
    }

    private static TrustManager[] trustManagers(List<X509Certificate> trusted) {
        try {
            KeyStore store = emptyStore();
            for (int i = 0; i < trusted.size(); i++) {
                store.setCertificateEntry("ca-" + i, trusted.get(i));
            }
            TrustManagerFactory factory =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot hold checked CA certificates in an in-memory trust store", e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    /**
     * The certificate's common name: the value of its CN attribute, or the values of several joined with commas
     * in the certificate's order; empty when it has none.
     */
    public static String commonName(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        List<String> names = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(subject).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            throw new IllegalStateException("the JDK wrote a subject it cannot parse: " + subject, e);
        }
        return String.join(",", names);
    }

    private static SSLContext context(KeyManager[] keys, TrustManager[] trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make a TLS context", e);
        }
    }
}
