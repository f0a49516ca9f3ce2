package org.vipgate.federation.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Optional;

/** Reads and writes the {@code certificates} block of vip-rabbitmq.md §5.1 and §6.1. */
final class Certificates {

    static final String KEY = "certificates";
    static final String REMOTE_CA = "remote_ca";
    static final String PUBLIC_CERT = "public_cert";
    static final String PRIVATE_KEY = "private_key";
    /** vip-rabbitmq.md §6.1: VOLTTRON's shovel example and docs say private_cert; its code reads private_key. */
    static final String PRIVATE_CERT = "private_cert";

    private Certificates() {
    }

    static Optional<CertificateFiles> read(YamlKeys keys, JsonNode owner, String at) throws LinkConfigException {
        Optional<ObjectNode> block = keys.optionalMapping(owner, KEY, at, "a mapping with remote_ca, public_cert and"
                + " private_key (file paths)");
        if (block.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode b = block.get();
        String remoteCa = keys.text(b, REMOTE_CA, at + "." + REMOTE_CA, "the path of the remote root CA (PEM)");
        String publicCert = keys.text(b, PUBLIC_CERT, at + "." + PUBLIC_CERT,
                "the path of the certificate the remote CA signed");
        Optional<String> key = keys.optionalText(b, PRIVATE_KEY, at + "." + PRIVATE_KEY, "the path of the private key");
        if (key.isEmpty()) {
            key = keys.optionalText(b, PRIVATE_CERT, at + "." + PRIVATE_CERT, "the path of the private key");
        }
        if (key.isEmpty()) {
            throw new LinkConfigException(keys.file(), at + "." + PRIVATE_KEY, "missing",
                    "the path of the private key (private_key; private_cert is accepted too)");
        }
        return Optional.of(new CertificateFiles(Path.of(remoteCa), Path.of(publicCert), Path.of(key.get())));
    }

    static ObjectNode toYaml(CertificateFiles files) {
        ObjectNode b = YamlKeys.YAML.createObjectNode();
        b.put(REMOTE_CA, files.remoteCa().toString());
        b.put(PUBLIC_CERT, files.publicCert().toString());
        b.put(PRIVATE_KEY, files.privateKey().toString());
        return b;
    }
}
