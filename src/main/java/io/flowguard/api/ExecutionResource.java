package io.flowguard.api;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.flowguard.engine.EngineComponents;
import io.flowguard.engine.EngineException;
import io.flowguard.engine.ExecutionEngine;
import io.flowguard.engine.ExecutionLifecycle;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.FlowExecution;
import jakarta.annotation.security.RolesAllowed;
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
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Executions: start, read, list, history, cancel. Users see and act on their own executions
 * only (another owner's is 403); admins on all.
 */
@Path("/executions")
@RequestScoped
@RolesAllowed({"flow-user", "flow-admin"})
@Produces(MediaType.APPLICATION_JSON)
public class ExecutionResource {

    @Inject
    JsonWebToken jwt;
    @Inject
    ExecutionEngine engine;
    @Inject
    EngineComponents components;
    @Inject
    ExecutionStreams streams;

    private Caller caller() {
        return Caller.of(jwt, components.registry().roles());
    }

    /** Starts an execution; with an {@code Idempotency-Key}, at most once per key. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(String body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        StartRequest request = components.codec().readRequest(body == null ? "" : body, StartRequest.class);
        ExecutionLifecycle.Started started = engine.start(request.flow(), components.codec().write(request.input()),
                caller().subject(), idempotencyKey);
        FlowExecution e = started.execution();
        Response.ResponseBuilder response = started.replayed()
                ? Response.ok().header("Idempotency-Replayed", "true")
                : Response.created(URI.create("/executions/" + e.id()));
        return response.tag(etag(e)).entity(ExecutionView.of(e, components.codec())).build();
    }

    /** One execution, with its version as the ETag. */
    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        FlowExecution e = owned(id);
        return Response.ok(ExecutionView.of(e, components.codec())).tag(etag(e)).build();
    }

    /** The caller's executions (an admin's: all), newest first. */
    @GET
    public List<Map<String, Object>> list(@QueryParam("status") String status, @QueryParam("limit") String limit,
                                          @QueryParam("offset") String offset) {
        ExecutionStatus filter = null;
        if (status != null) {
            try {
                filter = ExecutionStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw new EngineException(EngineException.Problem.INVALID_INPUT,
                        "status must be one of " + java.util.Arrays.toString(ExecutionStatus.values()));
            }
        }
        int pageSize = QueryParams.intIn("limit", limit, 1, 500, 50);
        int skip = QueryParams.intIn("offset", offset, 0, 1_000_000, 0);
        Caller caller = caller();
        return engine.list(caller.admin() ? null : caller.subject(), filter, pageSize, skip).stream()
                .map(e -> ExecutionView.of(e, components.codec())).toList();
    }

    /** The execution's history, oldest first, up to 1000 events after {@code after}. */
    @GET
    @Path("{id}/events")
    public List<Map<String, Object>> events(@PathParam("id") String id, @QueryParam("after") String after) {
        FlowExecution e = owned(id);
        return engine.history(e.id(), QueryParams.intIn("after", after, 0, Integer.MAX_VALUE, 0), 1000).stream()
                .map(EventView::of).toList();
    }

    /**
     * The execution's new history events as Server-Sent Events, each with its sequence number as
     * the event id; resumes after {@code Last-Event-ID}. Ends with an {@code end} event once the
     * execution has finished.
     */
    @GET
    @Path("{id}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
                       @Context SseEventSink sink, @Context Sse sse) {
        FlowExecution e = owned(id);
        int after = lastEventId(lastEventId);
        String subject = caller().subject();
        streams.reserve(subject);
        streams.stream(e.id(), after, subject, sink, sse);
    }

    private static int lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        try {
            int seq = Integer.parseInt(header.strip());
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException tooLongOrNotANumber) {
            // refused below
        }
        throw new EngineException(EngineException.Problem.INVALID_INPUT,
                "Last-Event-ID must be an event sequence number this stream sent");
    }

    /**
     * Cancels; honours {@code If-Match} with the version (ETag) the caller last saw. The body is
     * optional: {@code {"reason": "..."}} goes into the history.
     */
    @POST
    @Path("{id}/cancel")
    public Response cancel(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, String body) {
        FlowExecution e = owned(id);
        CancelRequest request = body == null || body.isBlank() ? new CancelRequest(null)
                : components.codec().readRequest(body, CancelRequest.class);
        FlowExecution cancelled = engine.cancel(e.id(), caller().subject(), expectedVersion(ifMatch), request.reason());
        return Response.ok(ExecutionView.of(cancelled, components.codec())).tag(etag(cancelled)).build();
    }

    private FlowExecution owned(String id) {
        FlowExecution e = engine.get(parseId(id))
                .orElseThrow(() -> new EngineException(EngineException.Problem.NOT_FOUND, "no such execution"));
        if (!caller().mayAccess(e.owner())) {
            throw new EngineException(EngineException.Problem.FORBIDDEN, "this execution belongs to another owner");
        }
        return e;
    }

    static UUID parseId(String id) {
        if (id == null || id.length() != 36) {
            throw new EngineException(EngineException.Problem.NOT_FOUND, "no such resource");
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new EngineException(EngineException.Problem.NOT_FOUND, "no such resource");
        }
    }

    private static Long expectedVersion(String ifMatch) {
        if (ifMatch == null) {
            return null;
        }
        String v = ifMatch.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, "If-Match must be a version ETag");
        }
    }

    private static EntityTag etag(FlowExecution e) {
        return new EntityTag(Long.toString(e.version()));
    }
}
