package io.flowguard.engine;

import io.flowguard.json.StrictJson;
import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.flow.ServiceCallException;
import io.flowguard.flow.ServiceCalls;
import io.flowguard.flow.ServiceReply;


/**
 * The outbound calls one step run may make: only to services its flow declares, with the
 * payload written and the reply read by the engine's JSON codec (fixed types, limits and
 * validation, as for any input from outside).
 */
final class StepServiceCalls implements ServiceCalls {

    private final FlowDefinition flow;
    private final ServiceCaller services;
    private final StateCodec codec;

    StepServiceCalls(FlowDefinition flow, ServiceCaller services, StateCodec codec) {
        this.flow = flow;
        this.services = services;
        this.codec = codec;
    }

    @Override
    public ServiceReply call(String service, String path, Object payload, String idempotencyKey) {
        if (service == null || !flow.services().contains(service)) {
            throw new ServiceCallException(String.valueOf(service), 0, 0, "service "
                    + StrictJson.shown(String.valueOf(service)) + " is not declared by flow " + flow.name());
        }
        return services.post(service, path, codec.write(payload), idempotencyKey);
    }

    @Override
    public <T> T read(ServiceReply reply, Class<T> type) {
        try {
            return codec.readReply(reply.body(), type);
        } catch (EngineException unreadable) {
            throw new ServiceCallException(reply.service(), 0, reply.status(), "service " + reply.service()
                    + " replied with a body that does not read as " + type.getSimpleName() + ": "
                    + unreadable.getMessage());
        }
    }
}
