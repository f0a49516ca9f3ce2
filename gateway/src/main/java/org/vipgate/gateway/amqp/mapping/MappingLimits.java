package org.vipgate.gateway.amqp.mapping;

/**
 * Size bounds applied by {@link VipToAmqp} and {@link AmqpToVip}; anything larger fails with
 * {@link MappingException.Reason#BODY_TOO_LARGE} or {@link MappingException.Reason#TOO_MANY_ELEMENTS}.
 *
 * @param maxBodyBytes largest AMQP body, in bytes, that is accepted or produced
 * @param maxElements  largest number of ARGS (elements of the JSON array body)
 */
public record MappingLimits(int maxBodyBytes, int maxElements) {

    /** 64 MiB bodies, 1,024 elements. */
    public static final MappingLimits DEFAULTS = new MappingLimits(64 * 1024 * 1024, 1_024);

    public MappingLimits {
        if (maxBodyBytes <= 0 || maxElements <= 0) {
            throw new IllegalArgumentException("limits must be positive: maxBodyBytes=" + maxBodyBytes
                    + ", maxElements=" + maxElements);
        }
    }
}
