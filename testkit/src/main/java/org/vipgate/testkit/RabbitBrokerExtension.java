package org.vipgate.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects {@link RabbitBrokers#shared()} into test constructors and methods that take a {@link RabbitBroker}:
 * {@code @ExtendWith(RabbitBrokerExtension.class)}.
 */
public final class RabbitBrokerExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RabbitBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return RabbitBrokers.shared();
    }
}
