package io.flowguard.api;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The REST application. Every resource in it authenticates callers with MicroProfile JWT
 * (bearer tokens only: no cookie or session ever authenticates).
 */
@ApplicationScoped
@LoginConfig(authMethod = "MP-JWT")
public class FlowguardApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(HealthResource.class, MetricsResource.class, FlowResource.class, MigrationResource.class, ExecutionResource.class, AgentRequestResource.class,
                EngineExceptionMapper.class, WebApplicationExceptionMapper.class, UnexpectedExceptionMapper.class, ProblemBodyFilter.class,
                TokenPolicyFilter.class, RequestSizeFilter.class, FramedBodyFilter.class,
                JsonBodyFilter.class, QueryStringFilter.class, SingleValueHeaders.class,
                RateLimitFilters.ByAddress.class, RateLimitFilters.BySubject.class);
    }

    /**
     * Jersey would make a relative {@code Location} absolute against the request's base URI, which
     * it builds from the {@code Host} header the caller wrote; {@link Links} decides it instead.
     */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);
    }
}
