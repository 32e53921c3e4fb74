package io.flowguard.api;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The REST application. Every resource in it authenticates callers with MicroProfile JWT
 * (bearer tokens only: no cookie or session ever authenticates).
 */
@ApplicationScoped
@LoginConfig(authMethod = "MP-JWT")
public class FlowguardApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(HealthResource.class, MetricsResource.class, FlowResource.class, ExecutionResource.class, AgentRequestResource.class,
                EngineExceptionMapper.class, WebApplicationExceptionMapper.class, UnexpectedExceptionMapper.class, ProblemBodyFilter.class,
                TokenPolicyFilter.class, RequestSizeFilter.class,
                RateLimitFilters.ByAddress.class, RateLimitFilters.BySubject.class);
    }
}
