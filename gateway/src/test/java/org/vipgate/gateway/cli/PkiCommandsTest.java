package org.vipgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vipgate.certs.CertificateAuthority;
import org.vipgate.certs.CertificateLayout;
import org.vipgate.certs.CertificateLifetimes;
import org.vipgate.certs.PemFiles;
import org.vipgate.certs.SubjectData;
import org.vipgate.certs.csr.CsrReply;
import org.vipgate.certs.csr.CsrStore;

/** {@code vipgate certs ...} and {@code vipgate auth remote ...} run in-process on a real home. */
class PkiCommandsTest {

    static final String CONFIG = "[volttron]\ninstance-name = v1\nmessage-bus = rmq\n";
    static final String RABBIT = "host: localhost\nssl: true\ncertificate-data:\n  country: US\n  state: WA\n"
            + "  location: Richland\n  organization: PNNL\n  organization-unit: VOLTTRON\n  common-name: v1-root-ca\n";
    static final String CN = "v1.v2.agent";

    @TempDir
    Path home;

    CertificateLayout layout;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @BeforeEach
    void writeHome() throws Exception {
        Files.writeString(home.resolve("config"), CONFIG);
        Files.writeString(home.resolve("rabbitmq_config.yml"), RABBIT);
        layout = CertificateLayout.ofVolttronHome(home);
    }

    private CsrStore storeWithRequest(String commonName) throws Exception {
        CertificateAuthority ca = CertificateAuthority.createOrLoad(layout, "v1",
                SubjectData.ofCommonName("unused"), CertificateLifetimes.defaults());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        String csr = PemFiles.toPem(new JcaPKCS10CertificationRequestBuilder(
                new X500Name("C=US,O=Other,CN=" + commonName), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        CsrStore store = new CsrStore(ca);
        assertThat(store.requestNew(csr, "10.0.0.7")).isEqualTo(new CsrReply.Pending());
        return store;
    }

    @Test
    void remoteListApproveDenyDelete() throws Exception {
        CliRun empty = run("auth", "remote", "list", "--home", home.toString());
        assertThat(empty.exitCode()).isZero();
        assertThat(empty.out()).contains("No certificate requests");

        storeWithRequest(CN);
        CliRun list = run("auth", "remote", "list", "--home", home.toString());
        assertThat(list.exitCode()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines.get(0)).startsWith("COMMON NAME").contains("REMOTE ADDRESS").contains("STATUS")
                .contains("REQUESTED AT");
        assertThat(lines.get(1)).startsWith(CN).contains("10.0.0.7").contains("PENDING");
        assertThat(run("auth", "remote", "list", "--home", home.toString(), "--status", "approved").out())
                .contains("No approved certificate requests");

        CliRun approve = run("auth", "remote", "approve", "--home", home.toString(), CN);
        assertThat(approve.exitCode()).as(approve.err()).isZero();
        assertThat(approve.out()).contains("Approved").contains("RabbitMQ user '" + CN + "'")
                .contains("running vipgate creates");
        assertThat(layout.remoteCertificate(CN)).exists();
        assertThat(run("auth", "remote", "list", "--home", home.toString(), "--status", "APPROVED").out())
                .contains(CN);

        CliRun deny = run("auth", "remote", "deny", "--home", home.toString(), CN);
        assertThat(deny.exitCode()).isZero();
        assertThat(deny.out()).contains("Denied");
        assertThat(layout.remoteCertificate(CN)).doesNotExist();
        assertThat(run("auth", "remote", "list", "--home", home.toString()).out()).contains("DENIED");

        CliRun delete = run("auth", "remote", "delete", "--home", home.toString(), CN);
        assertThat(delete.exitCode()).isZero();
        assertThat(delete.out()).contains("Deleted");
        assertThat(layout.pendingCsrMetadata(CN)).doesNotExist();
    }

    @Test
    void unknownCommonNameExitsTwoNamingIt() throws Exception {
        storeWithRequest(CN);
        for (String verb : List.of("approve", "deny", "delete")) {
            CliRun r = run("auth", "remote", verb, "--home", home.toString(), "v1.nobody");
            assertThat(r.exitCode()).as(verb).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).startsWith("vipgate: ").contains("v1.nobody");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void approveCreatesTheCaFromCertificateData() throws Exception {
        CliRun r = run("auth", "remote", "approve", "--home", home.toString(), CN);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE); // no such request, but the CA now exists
        CertificateAuthority ca = CertificateAuthority.load(layout, "v1", CertificateLifetimes.defaults());
        assertThat(ca.subject()).isEqualTo(new SubjectData("US", "WA", "Richland", "PNNL", "VOLTTRON", "v1-root-ca"));
    }

    @Test
    void certificateDataNamingAnExistingCaImportsIt() throws Exception {
        CertificateLayout elsewhere = CertificateLayout.ofVolttronHome(home.resolve("old-site"));
        CertificateAuthority existing = CertificateAuthority.createOrLoad(elsewhere, "old",
                SubjectData.ofCommonName("old-root-ca"), CertificateLifetimes.defaults());
        // certs-csr-discovery.md §1.2, as vcfg accepts it
        Files.writeString(home.resolve("rabbitmq_config.yml"), "host: localhost\nssl: true\ncertificate-data:\n"
                + "  ca-public-key: " + elsewhere.certificate("old-root-ca") + "\n"
                + "  ca-private-key: " + elsewhere.privateKey("old-root-ca") + "\n");

        CliRun r = run("auth", "remote", "approve", "--home", home.toString(), CN);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE); // no such request, but the CA is there
        CertificateAuthority ca = CertificateAuthority.load(layout, "v1", CertificateLifetimes.defaults());
        assertThat(ca.certificate()).isEqualTo(existing.certificate());

        Files.delete(layout.certificate("v1-root-ca"));
        Files.delete(layout.privateKey("v1-root-ca"));
        Files.writeString(home.resolve("rabbitmq_config.yml"), "host: localhost\ncertificate-data:\n"
                + "  ca-public-key: " + elsewhere.certificate("old-root-ca") + "\n");
        CliRun half = run("certs", "renew", "--home", home.toString());
        assertThat(half.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(half.err()).contains("ca-private-key");
    }

    @Test
    void noCaAndNoCertificateDataExits78NamingFileAndKey() throws Exception {
        Files.writeString(home.resolve("rabbitmq_config.yml"), "host: localhost\n");
        CliRun r = run("certs", "renew", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains(home.resolve("rabbitmq_config.yml").toString()).contains("certificate-data");

        Files.delete(home.resolve("rabbitmq_config.yml"));
        CliRun missing = run("auth", "remote", "approve", "--home", home.toString(), CN);
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(missing.err()).contains("rabbitmq_config.yml").contains("certificate-data");
    }

    @Test
    void certsListAndRenew() throws Exception {
        assertThat(run("certs", "list", "--home", home.toString()).out()).contains("No certificates");
        CertificateAuthority shortLived = CertificateAuthority.createOrLoad(layout, "v1",
                SubjectData.ofCommonName("v1-root-ca"), new CertificateLifetimes(3650, 10));
        shortLived.issueClient("v1.agent");

        CliRun list = run("certs", "list", "--home", home.toString());
        assertThat(list.exitCode()).isZero();
        assertThat(list.out().lines().toList().get(0)).startsWith("NAME").contains("COMMON NAME").contains("KIND")
                .contains("NOT AFTER").contains("DAYS LEFT");
        assertThat(list.out()).containsPattern("v1\\.agent\\s+v1\\.agent\\s+client\\s+certs\\s+\\S+ \\S+ UTC\\s+(9|10)")
                .containsPattern("v1-root-ca\\s+v1-root-ca\\s+ca");

        CliRun renew = run("certs", "renew", "--home", home.toString());
        assertThat(renew.exitCode()).as(renew.err()).isZero();
        assertThat(renew.out()).contains("renewed v1.agent");
        assertThat(run("certs", "list", "--home", home.toString()).out()).containsPattern("v1\\.agent.*\\s36[45]\\s*\\n");
        assertThat(run("certs", "renew", "--home", home.toString()).out()).contains("nothing renewed");
        assertThat(run("certs", "renew", "--home", home.toString(), "--within-days", "5000").out())
                .contains("not renewed v1-root-ca").contains("not renewed automatically");
    }

    @Test
    void helpListsTheNewCommands() {
        CliRun r = run("--help");
        assertThat(r.out()).contains("certs").contains("auth");
        assertThat(run("auth", "remote", "--help").out()).contains("approve").contains("deny").contains("delete")
                .contains("list");
    }
}
