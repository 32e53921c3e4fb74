package io.flowguard.api;

import java.util.List;

import io.flowguard.engine.EngineException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses a request that gives a header the service acts on, and that holds one value only,
 * more than once ({@code Idempotency-Key}, {@code Last-Event-ID}): 400, before any resource reads
 * it.
 *
 * <p>Why: of two lines JAX-RS binds the first while a proxy or a cache in front may read the last,
 * so two readers would act on different keys (the same reason as a query parameter given twice,
 * {@link QueryStringFilter}).
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 20)
public class SingleValueHeaders implements ContainerRequestFilter {

    /** Headers that carry exactly one value (list-valued ones such as {@code If-Match} are not here). */
    static final List<String> SINGLE = List.of("Idempotency-Key", "Last-Event-ID");

    @Override
    public void filter(ContainerRequestContext request) {
        for (String name : SINGLE) {
            List<String> values = request.getHeaders().get(name);
            if (values != null && values.size() > 1) {
                throw new EngineException(EngineException.Problem.INVALID_INPUT,
                        "header " + name + " is given more than once");
            }
        }
    }
}
