package org.vipgate.federation.link;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.federation.management.ManagementClient;
import org.vipgate.federation.management.ManagementException;
import org.vipgate.federation.management.Permissions;
import org.vipgate.federation.management.Policy;
import org.vipgate.federation.management.RuntimeParameter;

/**
 * Converging writes of single broker objects: each reads what is there, compares it with what is wanted, and writes
 * only when they differ, so that running apply twice changes nothing the second time.
 */
final class BrokerObjects {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerObjects.class);

    private final ManagementClient management;

    BrokerObjects(ManagementClient management) {
        this.management = management;
    }

    ManagementClient management() {
        return management;
    }

    ObjectOutcome parameter(String component, String vhost, String name, JsonNode value) throws ManagementException {
        String object = "parameter " + component + "/" + name;
        Optional<RuntimeParameter> current = management.parameter(component, vhost, name);
        if (current.isPresent() && current.get().value().equals(value)) {
            return new ObjectOutcome.Unchanged(object);
        }
        management.putParameter(component, vhost, name, value);
        LOG.info("{} {} in vhost '{}' of {}", current.isPresent() ? "updated" : "created", object, vhost,
                management.endpoint().baseUri());
        return current.isPresent() ? new ObjectOutcome.Updated(object) : new ObjectOutcome.Created(object);
    }

    ObjectOutcome deleteParameter(String component, String vhost, String name) throws ManagementException {
        String object = "parameter " + component + "/" + name;
        if (management.parameter(component, vhost, name).isEmpty()) {
            return new ObjectOutcome.Absent(object);
        }
        management.deleteParameter(component, vhost, name);
        LOG.info("deleted {} in vhost '{}' of {}", object, vhost, management.endpoint().baseUri());
        return new ObjectOutcome.Deleted(object);
    }

    ObjectOutcome policy(String vhost, Policy wanted) throws ManagementException {
        String object = "policy " + wanted.name();
        Optional<Policy> current = management.policy(vhost, wanted.name());
        if (current.isPresent() && current.get().equals(wanted)) {
            return new ObjectOutcome.Unchanged(object);
        }
        management.putPolicy(vhost, wanted);
        LOG.info("{} {} in vhost '{}' of {}", current.isPresent() ? "updated" : "created", object, vhost,
                management.endpoint().baseUri());
        return current.isPresent() ? new ObjectOutcome.Updated(object) : new ObjectOutcome.Created(object);
    }

    ObjectOutcome deletePolicy(String vhost, String name) throws ManagementException {
        String object = "policy " + name;
        if (management.policy(vhost, name).isEmpty()) {
            return new ObjectOutcome.Absent(object);
        }
        management.deletePolicy(vhost, name);
        LOG.info("deleted {} in vhost '{}' of {}", object, vhost, management.endpoint().baseUri());
        return new ObjectOutcome.Deleted(object);
    }

    ObjectOutcome durableQueue(String vhost, String name) throws ManagementException {
        String object = "queue " + name;
        var current = management.queue(vhost, name);
        if (current.isPresent()) {
            if (!current.get().durable() || current.get().autoDelete()) {
                return new ObjectOutcome.Failed(object, "exists but is not durable or is auto-delete; delete it"
                        + " (it may hold messages) and apply again");
            }
            return new ObjectOutcome.Unchanged(object);
        }
        management.declareDurableQueue(vhost, name);
        LOG.info("created durable {} in vhost '{}'", object, vhost);
        return new ObjectOutcome.Created(object);
    }

    ObjectOutcome binding(String vhost, String exchange, String queue, String key) throws ManagementException {
        String object = "binding " + exchange + " -> " + queue + " '" + key + "'";
        if (management.bindingKeys(vhost, exchange, queue).contains(key)) {
            return new ObjectOutcome.Unchanged(object);
        }
        management.bind(vhost, exchange, queue, key);
        LOG.info("created {} in vhost '{}'", object, vhost);
        return new ObjectOutcome.Created(object);
    }

    /** A certificate-only user (no password, no tags) with exactly these permissions on the vhost. */
    ObjectOutcome certificateUser(String vhost, String user, Permissions permissions) throws ManagementException {
        String object = "user " + user;
        boolean exists = management.userExists(user);
        if (!exists) {
            management.createCertificateUser(user, "");
        }
        Optional<Permissions> current = management.permissions(vhost, user);
        if (exists && current.isPresent() && current.get().equals(permissions)) {
            return new ObjectOutcome.Unchanged(object);
        }
        management.setPermissions(vhost, user, permissions);
        LOG.info("{} {} with permissions {} on vhost '{}'", exists ? "updated" : "created", object, permissions,
                vhost);
        return exists ? new ObjectOutcome.Updated(object) : new ObjectOutcome.Created(object);
    }
}
