package org.vipgate.federation.link;

import java.nio.file.Path;

/** The amqps URI of vip-rabbitmq.md §5.3, used by federation upstreams and by both ends of shovels (§6.2). */
public final class AmqpsUri {

    private AmqpsUri() {
    }

    /**
     * {@code amqps://<host>:<port>/<vhost>?cacertfile=..&certfile=..&keyfile=..&verify=verify_peer
     * &fail_if_no_peer_cert=true&auth_mechanism=external&server_name_indication=<host>}: one line, no user or
     * password (the broker takes the user from the certificate's CN). Paths are written as they are, as VOLTTRON does.
     */
    public static String of(String host, int port, String vhost, Path caCert, Path cert, Path key) {
        // vip-rabbitmq.md §5.3 (auth_rmq.py L248-298)
        return "amqps://" + host + ":" + port + "/" + vhost.replace("/", "%2F")
                + "?cacertfile=" + caCert + "&certfile=" + cert + "&keyfile=" + key
                + "&verify=verify_peer&fail_if_no_peer_cert=true&auth_mechanism=external"
                + "&server_name_indication=" + host;
    }

    /** As {@link #of(String, int, String, Path, Path, Path)} with the files of a {@code certificates} block. */
    public static String of(String host, int port, String vhost, CertificateFiles files) {
        return of(host, port, vhost, files.remoteCa(), files.publicCert(), files.privateKey());
    }
}
