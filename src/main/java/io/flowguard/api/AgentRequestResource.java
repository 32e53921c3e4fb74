package io.flowguard.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;


import io.flowguard.engine.EngineException;
import io.flowguard.engine.Engine;
import io.flowguard.engine.ExecutionSnapshot;
import io.flowguard.http.SecurityAudit;
import io.flowguard.engine.RequestSnapshot;
import io.flowguard.watch.ChangeSignals;
import io.flowguard.watch.LongPoll;
import io.helidon.security.annotations.Authenticated;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The agent inbox and answers, for callers holding a configured agent role ({@code agent:<role>};
 * without one: 403, unauthenticated: 401). What they see and may answer is limited to the agent
 * roles in their token: only the addressed role answers (another role's request is a 403: a role
 * check, which tells nothing about executions or their owners), and the answering subject is
 * recorded.
 */
@Path("/agent-requests")
@Tag(name = "agent requests")
@RequestScoped
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AgentRequestResource {

    private static final String AGENT_ROLES = "[\"agent:<role>\"]";

    @Inject
    JsonWebToken jwt;
    @Inject
    Engine engine;
    @Inject
    ApiJson json;
    @Inject
    SettleWait settleWait;
    @Inject
    SecurityAudit audit;
    @Inject
    LongPoll longPoll;
    @Context
    UriInfo uri;
    @Context
    Request request;

    private Caller caller;

    /**
     * Pending requests addressed to the caller's agent roles, optionally one execution's only.
     * With {@code Prefer: wait=N} an empty inbox is a long poll: the answer comes as soon as a
     * request for one of the caller's roles is created, or after N seconds (an empty list).
     */
    @Operation(operationId = "listAgentRequests", summary = "The caller's agent inbox, or wait for it to fill",
            description = "Role: agent:<role>, one of the configured ones (a token without one is 403). Shows only "
                    + "pending requests addressed to the agent roles in the token. execution=<id> narrows it to "
                    + "one execution. With Prefer: wait=N an empty inbox waits until a request arrives or N "
                    + "seconds passed; Preference-Applied: wait=N says it waited.",
            extensions = @Extension(name = "x-roles", value = AGENT_ROLES, parseValue = true))
    @APIResponse(responseCode = "200", description = "pending requests, oldest deadline first",
            headers = @Header(name = WaitPreference.APPLIED, ref = WaitPreference.APPLIED),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "AgentRequestList")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @GET
    public Response inbox(@Parameter(ref = "ExecutionFilter") @QueryParam("execution") String execution,
                          @Parameter(ref = "Prefer") @HeaderParam(WaitPreference.PREFER) List<String> prefer) {
        Caller caller = agent();
        UUID only = executionFilter(execution);
        Supplier<List<RequestSnapshot>> read = () -> engine.inbox(caller.agentRoles(), only, 200);
        Optional<Duration> wait = WaitPreference.of(prefer, longPoll.maxWait());
        List<RequestSnapshot> pending;
        boolean waited = false;
        if (wait.isPresent()) {
            // one execution's requests: woken by that execution's new requests only, not by every
            // request for the role (16 agents waiting on one role would each read again for every
            // request: the herd the benchmark showed) nor by its steps' other commits
            List<String> keys = only != null ? List.of(ChangeSignals.asked(only))
                    : caller.agentRoles().stream().sorted().map(ChangeSignals::role).toList();
            LongPoll.Outcome<List<RequestSnapshot>> outcome = longPoll.await(wait.get(), keys, read, list -> !list.isEmpty());
            pending = outcome.value();
            waited = outcome.waited();
        } else {
            pending = read.get();
        }
        Response.ResponseBuilder response = Response.ok(pending.stream().map(this::view).toList());
        if (waited) {
            response.header(WaitPreference.APPLIED, WaitPreference.applied(wait.get()));
        }
        return response.build();
    }

    private static UUID executionFilter(String execution) {
        if (execution == null) {
            return null;
        }
        try {
            if (execution.length() == 36) {
                return UUID.fromString(execution);
            }
        } catch (IllegalArgumentException notAnId) {
            // refused below
        }
        throw new EngineException(EngineException.Problem.INVALID_INPUT, "execution must be an execution id");
    }

    /** Answers a request addressed to one of the caller's roles. */
    @Operation(operationId = "answerAgentRequest", summary = "Answer an agent request",
            description = "Role: agent:<the request's role>. The body is a JSON object of the shape the asking step "
                    + "declared (feature-approval: {\"approved\": true, \"comment\": \"...\"}), at most 64 KiB. The "
                    + "answering subject is recorded in the history. With Prefer: wait=N the answer comes once the "
                    + "execution went as far as it goes on its own or N seconds passed, with executionStatus and "
                    + "waitingFor (its pending requests among the caller's roles; never its state); "
                    + "Preference-Applied: wait=N says so.",
            extensions = @Extension(name = "x-roles", value = AGENT_ROLES, parseValue = true))
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "AgentAnswer")))
    @APIResponse(responseCode = "200", description = "answered; the execution resumes",
            headers = @Header(name = WaitPreference.APPLIED, ref = WaitPreference.APPLIED),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Answered")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "403", description = "forbidden: no configured agent role, or the request is "
            + "addressed to another role",
            content = @Content(mediaType = ExecutionResource.PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "409", description = "conflict: already answered, timed out or cancelled; or the "
            + "execution cannot resume in this build of its flow and has failed (unknown_flow, unknown_step)",
            content = @Content(mediaType = ExecutionResource.PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @POST
    @Path("{id}/answer")
    @BodyLimit(65_536)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response answer(@Parameter(ref = "AgentRequestId") @PathParam("id") String id, String body,
                           @Parameter(ref = "Prefer") @HeaderParam(WaitPreference.PREFER) List<String> prefer) {
        Caller caller = agent();
        UUID requestId = ExecutionResource.parseId(id);
        ExecutionSnapshot resumed = engine.answer(requestId, caller.agentRoles(), caller.subject(),
                body == null ? "" : body);
        Map<String, Object> answered = new LinkedHashMap<>();
        answered.put("requestId", requestId.toString());
        answered.put("executionId", resumed.id().toString());
        answered.put("status", "ANSWERED");
        Optional<SettleWait.Settled> settled = settleWait.await(prefer, resumed,
                caller.agentRoles());
        if (settled.isEmpty()) {
            return Response.ok(answered).build();
        }
        // an agent sees where the execution stands and what it asks of the agent's roles, never its state
        answered.put("executionStatus", settled.get().execution().status().name());
        answered.put("waitingFor", settled.get().waiting());
        return Response.ok(answered).header(WaitPreference.APPLIED, WaitPreference.applied(settled.get().applied()))
                .build();
    }

    /**
     * The caller, who must hold a configured agent role: an inbox or an answer is an agent's
     * business, so a token without one (a plain flow-user, or only unknown roles such as
     * {@code agent:*}) is refused rather than shown an empty list.
     */
    private Caller agent() {
        Caller caller = caller();
        if (caller.agentRoles().isEmpty()) {
            throw new EngineException(EngineException.Problem.FORBIDDEN,
                    "the token carries no configured agent role (agent:<role>)");
        }
        return caller;
    }

    /** The caller, made once per request (so an unknown agent role is audited once, however often it is asked). */
    private Caller caller() {
        if (caller == null) {
            caller = Caller.of(jwt, engine.flows().roles(), unknown -> audit.record(
                    SecurityAudit.Kind.UNKNOWN_ROLE, Caller.unknownRoles(unknown), jwt.getName(), request.getMethod(),
                    uri.getPath()));
        }
        return caller;
    }

    private Map<String, Object> view(RequestSnapshot r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id().toString());
        m.put("executionId", r.executionId().toString());
        m.put("role", r.role());
        m.put("step", r.step());
        m.put("question", r.question());
        m.put("payload", r.payload() == null ? null : json.readStored(r.payload()));
        m.put("deadline", r.deadline().toString());
        m.put("status", r.status().name());
        return m;
    }
}
