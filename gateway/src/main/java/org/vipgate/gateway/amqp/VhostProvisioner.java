package org.vipgate.gateway.amqp;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.federation.Causes;
import org.vipgate.federation.management.ManagementClient;
import org.vipgate.federation.management.ManagementException;
import org.vipgate.federation.management.Permissions;

/**
 * Makes sure the vhost of {@code rabbitmq_config.yml} exists, creating it through the management API as
 * {@code vcfg} does (vip-rabbitmq.md §1.1), and giving the configured user full permissions on a vhost it
 * created. An existing vhost and its permissions are left as they are.
 */
public final class VhostProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(VhostProvisioner.class);

    private final ManagementClient management;
    private final Backoff backoff;
    private final Path configFile;

    public VhostProvisioner(ManagementClient management, Backoff backoff, Path configFile) {
        this.management = management;
        this.backoff = backoff;
        this.configFile = configFile;
    }

    /**
     * @return true when this call created the vhost
     * @throws BrokerException      the management API refused the user, or answered with an error
     * @throws InterruptedException vipgate is stopping
     */
    public boolean ensure(String vhost, String user) throws BrokerException, InterruptedException {
        String what = "RabbitMQ management API at " + management.endpoint().baseUri();
        String port = "https".equals(management.endpoint().baseUri().getScheme()) ? "mgmt-port-ssl" : "mgmt-port";
        String hint = "Is the rabbitmq_management plugin enabled? Check host and " + port + " in " + configFile;
        return new RetryLoop(backoff).run(what, hint, () -> attempt(vhost, user));
    }

    private Attempt<Boolean> attempt(String vhost, String user) throws BrokerException {
        try {
            if (management.vhostExists(vhost)) {
                return new Attempt.Done<>(false);
            }
            management.createVhost(vhost);
            if (management.permissions(vhost, user).isEmpty()) {
                management.setPermissions(vhost, user, Permissions.ALL);
            }
            LOG.info("created vhost '{}' on {} and gave user '{}' permissions on it", vhost,
                    management.endpoint().baseUri(), user);
            return new Attempt.Done<>(true);
        } catch (ManagementException.Unreachable e) {
            BrokerException untrusted = TlsTrust.refusal("RabbitMQ management API at "
                    + management.endpoint().baseUri(), e, management.endpoint().baseUri().getHost(), configFile);
            if (untrusted != null) {
                throw untrusted;
            }
            return new Attempt.Retry<>(Causes.describe(e.getCause() != null ? e.getCause() : e));
        } catch (ManagementException.Unauthorized e) {
            throw new BrokerException(BrokerException.Reason.AUTHENTICATION, e.getMessage()
                    + " (user and pass in " + configFile + ")", e);
        } catch (ManagementException e) { // Failed: any other answer
            throw new BrokerException(BrokerException.Reason.ACCESS, "cannot make sure vhost '" + vhost
                    + "' exists: " + e.getMessage(), e);
        }
    }
}
