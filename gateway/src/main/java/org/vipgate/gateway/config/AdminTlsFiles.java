package org.vipgate.gateway.config;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import org.vipgate.certs.PemException;
import org.vipgate.certs.PemTls;

/**
 * The PEM files vipgate uses with {@code ssl: true}, where VOLTTRON keeps them (certs-csr-discovery.md §1.4,
 * §1.5; vip-rabbitmq.md §7.3-§7.5). The client certificate is the instance's admin certificate, named after
 * the instance and not after {@code user} (VOLTTRON's {@code Certs.get_admin_cert_names(instance)}).
 *
 * @param instance    the instance name
 * @param caBundle    {@code certificates/certs/<instance>-trusted-cas.crt}: the broker's cacertfile (§7.2)
 * @param certificate {@code certificates/certs/<instance>-admin.crt}: the admin client certificate
 * @param privateKey  {@code certificates/private/<instance>-admin.pem}: its key, PKCS#1 and unencrypted
 */
public record AdminTlsFiles(String instance, Path caBundle, Path certificate, Path privateKey) {

    public static AdminTlsFiles of(VolttronHome home, String instance) {
        Path certs = home.certificatesDir("certs");
        return new AdminTlsFiles(instance, certs.resolve(instance + "-trusted-cas.crt"),
                certs.resolve(instance + "-admin.crt"),
                home.certificatesDir("private").resolve(instance + "-admin.pem"));
    }

    /** A context that presents the admin certificate and trusts only the CA bundle. */
    public SSLContext clientContext() throws ConfigException {
        try {
            return PemTls.clientContext(caBundle, certificate, privateKey);
        } catch (PemException e) {
            throw inHome(e);
        }
    }

    /**
     * The RabbitMQ user the broker takes from the certificate: its CN (vip-rabbitmq.md §7.2,
     * {@code ssl_cert_login_from = common_name}); several CNs are joined with commas, as RabbitMQ does.
     */
    public String user() throws ConfigException {
        X509Certificate own;
        try {
            own = PemTls.readCertificates(certificate).get(0);
        } catch (PemException e) {
            throw inHome(e);
        }
        String user = PemTls.commonName(own);
        if (user.isEmpty()) {
            throw new ConfigException(certificate, null, "the certificate '" + own.getSubjectX500Principal()
                    + "' has no CN, which RabbitMQ takes the user name from", purpose(certificate));
        }
        return user;
    }

    /** The PEM problem as a problem of a file in the home, adding what the file is and how to get it. */
    private ConfigException inHome(PemException e) {
        String expected = purpose(e.file());
        if (e.expected() != null) {
            expected = e.expected() + "; this file is " + expected;
        }
        return new ConfigException(e.file(), null, e.problem(), expected, e);
    }

    private String purpose(Path file) {
        String fix = ", which 'vcfg rabbitmq single' writes: run it, or copy ";
        if (file.equals(caBundle)) {
            return "the CA certificate of instance '" + instance + "' that signed the broker's certificate"
                    + " (PEM; a copy of certs/" + instance + "-root-ca.crt)" + fix
                    + "it from the instance's VOLTTRON_HOME";
        }
        if (file.equals(privateKey)) {
            return "the unencrypted private key (PEM) of the admin client certificate certs/" + instance
                    + "-admin.crt" + fix + "both from the instance's VOLTTRON_HOME";
        }
        return "the admin client certificate of instance '" + instance + "' (PEM; with ssl, RabbitMQ takes"
                + " the user from its CN)" + fix + "it and private/" + instance + "-admin.pem from the"
                + " instance's VOLTTRON_HOME";
    }
}
