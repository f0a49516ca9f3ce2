package org.vipgate.gateway.services.auth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vipgate.gateway.zmq.pubsub.ProtectedTopics;

/**
 * The two checks an Eclipse VOLTTRON agent asks {@code platform.auth} for, answered from the VOLTTRON 9 model in
 * auth.json and protected_topics.json (vipgate keeps one authorization model for both kinds of agent).
 */
public final class EclipseAuthorization {

    private static final Logger LOG = LoggerFactory.getLogger(EclipseAuthorization.class);

    private EclipseAuthorization() {
    }

    /**
     * {@code check_rpc_authorization(identity, method_name, method_args)}.
     *
     * <p>{@code method_name} is {@code <callee identity>.<method>}; the callee is the longest identity with an
     * enabled allow entry that, followed by a dot, starts the name (identities and method names may both hold
     * dots). The method is protected when that entry's {@code rpc_method_authorizations} lists capabilities for
     * it (not empty, not only {@code ""}). A method that is not protected, or a callee vipgate does not know, is
     * allowed. Otherwise the caller (a user id, which is the VIP identity for installed agents) must hold every
     * listed capability, and the parameter restrictions of those capabilities must hold for {@code method_args}
     * as in {@link CapabilityCheck}. An unknown caller holds nothing.
     *
     * @return {@link RpcAuthorization.Denied} with {@code User <identity> does not have access to call
     *         <method_name> } (with the trailing space Eclipse VOLTTRON prints) or a parameter-restriction text
     */
    public static RpcAuthorization checkRpc(AuthModel model, String identity, String methodName,
                                            Map<String, Object> methodArgs) {
        Objects.requireNonNull(model, "model");
        if (methodName == null) {
            return RpcAuthorization.ALLOWED;
        }
        String callee = null;
        for (String candidate : model.identities()) {
            if (methodName.startsWith(candidate + ".") && (callee == null || candidate.length() > callee.length())) {
                callee = candidate;
            }
        }
        if (callee == null) {
            return RpcAuthorization.ALLOWED;
        }
        String method = methodName.substring(callee.length() + 1);
        List<String> caps = model.rpcMethodAuthorizations(callee).get(method);
        if (!AuthModel.requiresSomething(caps)) {
            return RpcAuthorization.ALLOWED;
        }
        Set<String> required = new LinkedHashSet<>(caps);
        Map<String, Object> userCaps = model.capabilitiesOf(identity);
        if (!userCaps.keySet().containsAll(required)) {
            LOG.debug("{} may not call {}: it needs {}, has {}", identity, methodName, required, userCaps.keySet());
            return new RpcAuthorization.Denied("User " + identity + " does not have access to call " + methodName
                    + " ");
        }
        Optional<String> restriction = CapabilityCheck.restrictionDenial(identity, methodName, required, userCaps,
                methodArgs);
        if (restriction.isPresent()) {
            LOG.debug("{} may not call {}: {}", identity, methodName, restriction.get());
            return new RpcAuthorization.Denied(restriction.get());
        }
        return RpcAuthorization.ALLOWED;
    }

    /**
     * {@code check_pubsub_authorization(identity, topic_pattern, access)}.
     *
     * <p>{@code subscribe} is always allowed: protected topics restrict publishing only, as in VOLTTRON 9 (where
     * the router checks publishes and never subscriptions). Anything else ({@code publish}, {@code pubsub}, or an
     * unknown value) is checked as a publish: allowed when the topic is not protected (exact, then prefix, then
     * {@code /regex/} entry of protected_topics.json), else only when the user holds every capability the topic
     * requires. Unlike the VOLTTRON 9 router, a user that is not in auth.json is refused on a protected topic.
     */
    public static boolean checkPubsub(AuthModel model, ProtectedTopics topics, String identity, String topicPattern,
                                      String access) {
        Objects.requireNonNull(model, "model");
        if ("subscribe".equals(access)) {
            return true;
        }
        List<String> required = topics == null ? List.of()
                : topics.requiredCapabilities(topicPattern == null ? "" : topicPattern);
        if (required.isEmpty()) {
            return true;
        }
        boolean allowed = model.capabilitiesOf(identity).keySet().containsAll(required);
        if (!allowed) {
            LOG.debug("{} may not publish to protected topic '{}': it needs {}, has {}", identity, topicPattern,
                    required, model.capabilitiesOf(identity).keySet());
        }
        return allowed;
    }
}
