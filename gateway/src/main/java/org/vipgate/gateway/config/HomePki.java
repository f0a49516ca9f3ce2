package org.vipgate.gateway.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.certs.CertificateAuthority;
import org.vipgate.certs.CertificateLayout;
import org.vipgate.certs.CertificateLifetimes;
import org.vipgate.certs.PkiException;
import org.vipgate.certs.SubjectData;

/**
 * The PKI of a VOLTTRON_HOME for the commands that work on its files directly: the instance name from
 * {@code config}, and the root CA, created on first need from {@code certificate-data} of
 * {@code rabbitmq_config.yml} (certs-csr-discovery.md §1.2) when it does not exist yet.
 */
public final class HomePki {

    /** The key of rabbitmq_config.yml that holds the CA subject (§1.2). */
    public static final String CERTIFICATE_DATA = "certificate-data";
    /** §1.2: the keys of {@code certificate-data} that name an existing CA's files instead of a subject. */
    public static final String CA_PUBLIC_KEY = "ca-public-key";
    public static final String CA_PRIVATE_KEY = "ca-private-key";

    private static final Logger LOG = LoggerFactory.getLogger(HomePki.class);
    private static final String CERTIFICATE_DATA_EXPECTED = "a mapping '" + CERTIFICATE_DATA + ":' with"
            + " country, state, location, organization, organization-unit and common-name (as 'vcfg --rabbitmq"
            + " single' writes it), or an existing CA certificate and key";

    private final VolttronHome home;
    private final String instanceName;
    private final CertificateLayout layout;

    private HomePki(VolttronHome home, String instanceName) {
        this.home = home;
        this.instanceName = instanceName;
        this.layout = CertificateLayout.ofVolttronHome(home.root());
    }

    /**
     * Reads the instance name of {@code home}.
     *
     * @throws ConfigException when {@code config} is missing or bad
     */
    public static HomePki of(VolttronHome home) throws ConfigException {
        return new HomePki(home, PlatformConfig.load(home.configFile()).instanceName());
    }

    public String instanceName() {
        return instanceName;
    }

    public CertificateLayout layout() {
        return layout;
    }

    /**
     * The instance's root CA: loaded when {@code certs/<instance>-root-ca.crt} or its key exists, else created from
     * {@code certificate-data}.
     *
     * @throws ConfigException when there is no CA and rabbitmq_config.yml or its {@code certificate-data} is missing
     *                         or not a mapping
     * @throws PkiException    when the CA files are damaged or cannot be written
     */
    public CertificateAuthority certificateAuthority() throws ConfigException, PkiException {
        CertificateLifetimes lifetimes = VipgateSettings.load(home.configFile()).lifetimes();
        String caName = CertificateAuthority.name(instanceName);
        if (Files.exists(layout.certificate(caName)) || Files.exists(layout.privateKey(caName))) {
            return CertificateAuthority.load(layout, instanceName, lifetimes);
        }
        Path file = home.rabbitConfigFile();
        String where = "key '" + CERTIFICATE_DATA + "'";
        if (!Files.exists(file)) {
            throw new ConfigException(file, where, "missing file, and there is no CA yet ("
                    + layout.certificate(caName) + ")", CERTIFICATE_DATA_EXPECTED);
        }
        Object data = RabbitConfig.load(file, instanceName).settings().get(CERTIFICATE_DATA);
        if (!(data instanceof Map<?, ?> map)) {
            throw ConfigException.invalid(file, where, data == null ? "missing, and there is no CA yet ("
                    + layout.certificate(caName) + ")" : "not a mapping", CERTIFICATE_DATA_EXPECTED);
        }
        Object caCert = map.get(CA_PUBLIC_KEY);
        Object caKey = map.get(CA_PRIVATE_KEY);
        if (caCert != null || caKey != null) {
            // certs-csr-discovery.md §1.2: an existing CA named by its two files, copied in
            if (!(caCert instanceof String certPath) || !(caKey instanceof String keyPath)) {
                throw ConfigException.invalid(file, where, "names only one of " + CA_PUBLIC_KEY + " and "
                        + CA_PRIVATE_KEY + ", or not as file paths", "both, as paths of PEM files");
            }
            for (String path : List.of(certPath, keyPath)) {
                if (!Files.isReadable(Path.of(path))) {
                    throw ConfigException.invalid(file, where, "'" + path + "' cannot be read",
                            "the CA certificate and key files, readable by vipgate");
                }
            }
            LOG.info("no root CA for instance '{}' yet; importing {} and {} named by {} in {}", instanceName,
                    certPath, keyPath, CERTIFICATE_DATA, file);
            return CertificateAuthority.importExisting(layout, instanceName, Path.of(certPath), Path.of(keyPath),
                    lifetimes);
        }
        @SuppressWarnings("unchecked")
        SubjectData subject = SubjectData.fromCertificateData((Map<String, ?>) map);
        LOG.info("no root CA for instance '{}' yet; creating {} from {} in {}", instanceName, caName,
                CERTIFICATE_DATA, file);
        return CertificateAuthority.createOrLoad(layout, instanceName, subject, lifetimes);
    }
}
