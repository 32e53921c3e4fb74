package io.flowguard.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.flowguard.engine.EngineComponents;
import io.flowguard.engine.ExecutionEngine;
import io.flowguard.store.AgentRequest;
import io.helidon.security.annotations.Authenticated;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The agent inbox and answers. Any authenticated caller may ask (an unauthenticated one gets 401);
 * what they see and may answer
 * is limited to the agent roles in their token ({@code agent:<role>}): only the addressed role
 * answers, and the answering subject is recorded.
 */
@Path("/agent-requests")
@RequestScoped
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AgentRequestResource {

    @Inject
    JsonWebToken jwt;
    @Inject
    ExecutionEngine engine;
    @Inject
    EngineComponents components;

    /** Pending requests addressed to the caller's agent roles. */
    @GET
    public List<Map<String, Object>> inbox() {
        Caller caller = Caller.of(jwt, components.registry().roles());
        return engine.inbox(caller.agentRoles(), 200).stream().map(this::view).toList();
    }

    /** Answers a request addressed to one of the caller's roles. */
    @POST
    @Path("{id}/answer")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> answer(@PathParam("id") String id, String body) {
        Caller caller = Caller.of(jwt, components.registry().roles());
        UUID requestId = ExecutionResource.parseId(id);
        UUID execution = engine.answer(requestId, caller.agentRoles(), caller.subject(), body == null ? "" : body);
        return Map.of("requestId", requestId.toString(), "executionId", execution.toString(), "status", "ANSWERED");
    }

    private Map<String, Object> view(AgentRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id().toString());
        m.put("executionId", r.executionId().toString());
        m.put("role", r.role());
        m.put("step", r.step());
        m.put("question", r.question());
        m.put("payload", r.payload() == null ? null : components.codec().readAny(r.payload()));
        m.put("deadline", r.deadline().toString());
        m.put("status", r.status().name());
        return m;
    }
}
