package io.flowguard.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;


import io.flowguard.engine.EngineException;
import io.flowguard.engine.Engine;
import io.flowguard.engine.ExecutionSnapshot;
import io.flowguard.http.SecurityAudit;
import io.flowguard.security.TokenShape;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.watch.ChangeSignals;
import io.flowguard.watch.LongPoll;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.links.Link;
import org.eclipse.microprofile.openapi.annotations.links.LinkParameter;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Executions: start, read, list, history, cancel. Users see and act on their own executions
 * only (another owner's is a 404, as if it did not exist); admins on all.
 */
@Path("/executions")
@Tag(name = "executions")
@RequestScoped
@RolesAllowed({"flow-user", "flow-admin"})
@Produces(MediaType.APPLICATION_JSON)
public class ExecutionResource {

    /** A flow name as flows are registered (any name stored matches it). */
    private static final java.util.regex.Pattern FLOW_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

    static final String PROBLEM = "application/problem+json";
    static final String USER_ROLES = "[\"flow-user\", \"flow-admin\"]";
    /** The link from a start to the JSON Schema its input had to match, the started flow's. */
    private static final String FLOW_SCHEMAS = "flowSchemas";
    private static final String STARTED_FLOW = "The started flow's graph and shapes: its versions[].input is the JSON "
            + "Schema a start's input must match (the newest version's).";
    static final String REPLAYED = "Idempotency-Replayed";
    static final String RETRY_AFTER = "Retry-After";
    private static final String NO_SUCH_EXECUTION = "no such execution";

    @Inject
    JsonWebToken jwt;
    @Inject
    Engine engine;
    @Inject
    ApiJson json;
    @Inject
    SettleWait settleWait;
    @Inject
    ExecutionStreams streams;
    @Inject
    LongPoll longPoll;

    @Inject
    SecurityAudit audit;
    @Inject
    Links links;
    @Context
    UriInfo uri;
    @Context
    Request request;

    private Caller caller;

    /** The caller, made once per request (so an unknown agent role is audited once, however often it is asked). */
    private Caller caller() {
        if (caller == null) {
            caller = Caller.of(jwt, engine.flows().roles(), unknown -> audit.record(
                    SecurityAudit.Kind.UNKNOWN_ROLE, Caller.unknownRoles(unknown), jwt.getName(), request.getMethod(),
                    uri.getPath()));
        }
        return caller;
    }

    /** Starts an execution; with an {@code Idempotency-Key}, at most once per key. */
    @Operation(operationId = "startExecution", summary = "Start an execution of a registered flow",
            description = "Roles: flow-user, flow-admin. With an Idempotency-Key a repeat with the same body returns "
                    + "the same execution (200, Idempotency-Replayed: true). With Prefer: wait=N the answer comes "
                    + "once the execution went as far as it goes on its own (it waits for an agent, or it finished) "
                    + "or N seconds passed, with waitingFor listing the requests it waits on; Preference-Applied: "
                    + "wait=N says so. The body is at most 16 KiB plus flowguard.state.max-bytes.",
            extensions = @Extension(name = "x-roles", value = USER_ROLES, parseValue = true))
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "StartRequest")))
    @APIResponse(responseCode = "201", description = "started",
            headers = {@Header(name = HttpHeaders.LOCATION, ref = HttpHeaders.LOCATION),
                       @Header(name = HttpHeaders.ETAG, ref = HttpHeaders.ETAG),
                       @Header(name = WaitPreference.APPLIED, ref = WaitPreference.APPLIED)},
            links = @Link(name = FLOW_SCHEMAS, operationId = "getFlow", description = STARTED_FLOW,
                    parameters = @LinkParameter(name = "name", expression = "$request.body#/flow")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Execution")))
    @APIResponse(responseCode = "200", description = "replayed: this key already started it",
            headers = {@Header(name = REPLAYED, ref = REPLAYED),
                       @Header(name = HttpHeaders.ETAG, ref = HttpHeaders.ETAG),
                       @Header(name = WaitPreference.APPLIED, ref = WaitPreference.APPLIED)},
            links = @Link(name = FLOW_SCHEMAS, operationId = "getFlow", description = STARTED_FLOW,
                    parameters = @LinkParameter(name = "name", expression = "$request.body#/flow")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Execution")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "413", description = "payload-too-large: a body over its limit; state-too-large: "
            + "the input makes a state over flowguard.state.max-bytes",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "422", description = "unknown-flow: no registered flow of that name; "
            + "idempotency-key-reused: the key started an execution with another body",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "429", description = "quota-exceeded: the owner has "
            + "flowguard.quota.max-active-executions unfinished executions; rate-limited (with Retry-After)",
            headers = @Header(name = RETRY_AFTER, ref = "Retry-After-When-Rate-Limited"),
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "500", ref = "InternalError")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @BodyLimit(value = 16_384, plusStateCap = true)
    public Response start(String body, @Parameter(ref = "IdempotencyKey") @HeaderParam("Idempotency-Key") String idempotencyKey,
                          @Parameter(ref = "Prefer") @HeaderParam(WaitPreference.PREFER) List<String> prefer) {
        StartRequest request = json.readRequest(body == null ? "" : body, StartRequest.class);
        Engine.Started started = engine.start(request.flow(), request.input(),
                caller().subject(), idempotencyKey);
        ExecutionSnapshot e = started.execution();
        Response.ResponseBuilder response = started.replayed()
                ? Response.ok().header(REPLAYED, "true")
                : Response.status(201).header(HttpHeaders.LOCATION, links.execution(e.id()));
        Optional<SettleWait.Settled> settled = settleWait.await(prefer, e,
                engine.flows().roles().all());
        if (settled.isEmpty()) {
            return response.tag(etag(e)).entity(ExecutionView.of(e, json)).build();
        }
        ExecutionSnapshot now = settled.get().execution();
        Map<String, Object> view = ExecutionView.of(now, json);
        view.put("waitingFor", settled.get().waiting());
        return response.tag(etag(now)).entity(view)
                .header(WaitPreference.APPLIED, WaitPreference.applied(settled.get().applied())).build();
    }

    /**
     * One execution, with its version as the ETag. With {@code If-None-Match} it is a conditional
     * read (304 while the version is the one named); adding {@code Prefer: wait=N} makes it a long
     * poll: the answer comes as soon as the execution changes, or after N seconds (304), so a
     * client waiting for an outcome asks once per change instead of polling.
     */
    @Operation(operationId = "getExecution", summary = "Read an execution, or wait for it to change",
            description = "Roles: flow-user (own), flow-admin (any). ETag: the version. If-None-Match with the "
                    + "version last seen answers 304 while it is unchanged; with Prefer: wait=N as well, the answer "
                    + "waits until the execution changes (200) or N seconds passed (304); Preference-Applied: wait=N "
                    + "says the wait was honoured. A finished execution never changes, so it answers at once.",
            extensions = @Extension(name = "x-roles", value = USER_ROLES, parseValue = true))
    @APIResponse(responseCode = "200", description = "the execution",
            headers = {@Header(name = HttpHeaders.ETAG, ref = HttpHeaders.ETAG),
                       @Header(name = WaitPreference.APPLIED, ref = WaitPreference.APPLIED)},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Execution")))
    @APIResponse(responseCode = "304", description = "not modified: still the version named in If-None-Match",
            headers = {@Header(name = HttpHeaders.ETAG, ref = HttpHeaders.ETAG),
                       @Header(name = WaitPreference.APPLIED, ref = WaitPreference.APPLIED)})
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @GET
    @Path("{id}")
    public Response get(@Parameter(ref = "ExecutionId") @PathParam("id") String id,
                        @Parameter(ref = "IfNoneMatch") @HeaderParam("If-None-Match") String ifNoneMatch,
                        @Parameter(ref = "Prefer") @HeaderParam(WaitPreference.PREFER) List<String> prefer) {
        ExecutionSnapshot e = owned(id);
        VersionMatch seen = VersionMatch.parse(ifNoneMatch);
        if (!seen.matches(e.version())) {
            return Response.ok(ExecutionView.of(e, json)).tag(etag(e)).build();
        }
        Optional<Duration> wait = WaitPreference.of(prefer, longPoll.maxWait());
        ExecutionSnapshot now = e;
        boolean waited = false;
        if (wait.isPresent() && !e.status().isTerminal()) {
            long version = e.version();
            LongPoll.Outcome<Optional<ExecutionSnapshot>> outcome = longPoll.await(wait.get(),
                    List.of(ChangeSignals.execution(e.id())), () -> engine.get(e.id()),
                    read -> read.isEmpty() || read.get().version() != version);
            now = outcome.value().orElseThrow(
                    () -> new EngineException(EngineException.Problem.NOT_FOUND, NO_SUCH_EXECUTION));
            waited = outcome.waited();
        }
        Response.ResponseBuilder response = now.version() == e.version()
                ? Response.notModified(etag(now))
                : Response.ok(ExecutionView.of(now, json)).tag(etag(now));
        if (waited) {
            response.header(WaitPreference.APPLIED, WaitPreference.applied(wait.get()));
        }
        return response.build();
    }

    /** The caller's executions (an admin's: all), newest first. */
    @Operation(operationId = "listExecutions", summary = "List executions, newest first",
            description = "Roles: flow-user (own), flow-admin (all, or one owner's with owner=; a user naming "
                    + "another owner is 403). Filtered by status, flow and version (any flow or version stored, "
                    + "registered or not). Paged with limit and offset.",
            extensions = @Extension(name = "x-roles", value = USER_ROLES, parseValue = true))
    @APIResponse(responseCode = "200", description = "a page of executions",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ExecutionList")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @GET
    public List<Map<String, Object>> list(@Parameter(ref = "StatusFilter") @QueryParam("status") String status,
                                          @Parameter(ref = "Limit") @QueryParam("limit") String limit,
                                          @Parameter(ref = "Offset") @QueryParam("offset") String offset,
                                          @Parameter(ref = "OwnerFilter") @QueryParam("owner") String owner,
                                          @Parameter(ref = "FlowFilter") @QueryParam("flow") String flow,
                                          @Parameter(ref = "VersionFilter") @QueryParam("version") String version) {
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
        if (flow != null && !FLOW_NAME.matcher(flow).matches()) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT,
                    "flow is a flow name: 1 to 100 of a-z, 0-9 and -, starting with a letter or digit");
        }
        if (version != null && flow == null) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, "version filters one flow: give flow too");
        }
        Integer flowVersion = version == null ? null : QueryParams.intIn("version", version, 1, Integer.MAX_VALUE, 1);
        Caller caller = caller();
        if (owner != null && !caller.admin() && !owner.equals(caller.subject())) {
            throw new EngineException(EngineException.Problem.FORBIDDEN, "only admins list other owners' executions");
        }
        if (owner != null && (owner.isEmpty() || owner.length() > TokenShape.MAX_SUBJECT_CHARACTERS)) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT,
                    "owner is 1 to " + TokenShape.MAX_SUBJECT_CHARACTERS + " characters");
        }
        String only = caller.admin() ? owner : caller.subject();
        return engine.list(only, filter, flow, flowVersion, pageSize, skip).stream()
                .map(e -> ExecutionView.of(e, json)).toList();
    }

    /** The execution's history, oldest first, up to 1000 events after {@code after}. */
    @Operation(operationId = "listExecutionEvents", summary = "An execution's history, oldest first",
            description = "Roles: flow-user (own), flow-admin (any). Up to 1000 events after `after`; ask again "
                    + "with the last seq for more.",
            extensions = @Extension(name = "x-roles", value = USER_ROLES, parseValue = true))
    @APIResponse(responseCode = "200", description = "up to 1000 events after `after`",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "EventList")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @GET
    @Path("{id}/events")
    public List<Map<String, Object>> events(@Parameter(ref = "ExecutionId") @PathParam("id") String id,
                                            @Parameter(ref = "After") @QueryParam("after") String after) {
        ExecutionSnapshot e = owned(id);
        return engine.history(e.id(), QueryParams.intIn("after", after, 0, Integer.MAX_VALUE, 0), 1000).stream()
                .map(EventView::of).toList();
    }

    /**
     * The execution's new history events as Server-Sent Events, each with its sequence number as
     * the event id; resumes after {@code Last-Event-ID}. Ends with an {@code end} event once the
     * execution has finished.
     */
    @Operation(operationId = "streamExecutionEvents", summary = "Live history as Server-Sent Events",
            description = "Roles: flow-user (own), flow-admin (any). One SSE event per history event: its id is "
                    + "the seq, its name the type, its data the Event as JSON; reconnect with Last-Event-ID to "
                    + "resume. Ends with an `end` event when the execution finishes. At most "
                    + "flowguard.stream.max-per-subject (10) open streams per subject.",
            extensions = @Extension(name = "x-roles", value = USER_ROLES, parseValue = true))
    @APIResponse(responseCode = "200", description = "the stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING,
                    description = "text/event-stream: `id: <seq>`, `event: <type>`, `data: <Event as JSON>`; "
                            + "at the end `event: end` with `data: {\"status\": <the final status>}`")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "429", description = "too-many-streams: the subject has "
            + "flowguard.stream.max-per-subject streams open; rate-limited (with Retry-After)",
            headers = @Header(name = RETRY_AFTER, ref = "Retry-After-When-Rate-Limited"),
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "500", ref = "InternalError")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @GET
    @Path("{id}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@Parameter(ref = "ExecutionId") @PathParam("id") String id,
                       @Parameter(ref = "LastEventId") @HeaderParam("Last-Event-ID") String lastEventId,
                       @Context SseEventSink sink, @Context Sse sse) {
        ExecutionSnapshot e = owned(id);
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
    @Operation(operationId = "cancelExecution", summary = "Cancel an execution",
            description = "Roles: flow-user (own), flow-admin (any). If-Match with the version the caller last saw; "
                    + "an optional body {\"reason\": \"...\"} (at most 500 characters) goes into the history.",
            extensions = @Extension(name = "x-roles", value = USER_ROLES, parseValue = true))
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "CancelRequest")))
    @APIResponse(responseCode = "200", description = "cancelled",
            headers = @Header(name = HttpHeaders.ETAG, ref = HttpHeaders.ETAG),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Execution")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "409", description = "conflict: the execution already finished",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "412", ref = "StaleVersion")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response cancel(@Parameter(ref = "ExecutionId") @PathParam("id") String id,
                           @Parameter(ref = "IfMatch") @HeaderParam("If-Match") String ifMatch, String body) {
        ExecutionSnapshot e = owned(id);
        CancelRequest request = body == null || body.isBlank() ? new CancelRequest(null)
                : json.readRequest(body, CancelRequest.class);
        ExecutionSnapshot cancelled = engine.cancel(e.id(), caller().subject(), VersionMatch.expected(ifMatch), request.reason());
        return Response.ok(ExecutionView.of(cancelled, json)).tag(etag(cancelled)).build();
    }

    /**
     * The execution, when the caller may act on it. Another owner's answers exactly as an id
     * that does not exist (404, same detail), so ids cannot be probed for existence; the attempt
     * is still audited as forbidden.
     */
    private ExecutionSnapshot owned(String id) {
        ExecutionSnapshot e = engine.get(parseId(id))
                .orElseThrow(() -> new EngineException(EngineException.Problem.NOT_FOUND, NO_SUCH_EXECUTION));
        Caller caller = caller();
        if (!caller.mayAccess(e.owner())) {
            audit.record(SecurityAudit.Kind.FORBIDDEN, "another owner's execution", caller.subject(),
                    request.getMethod(), uri.getPath());
            throw new EngineException(EngineException.Problem.NOT_FOUND, NO_SUCH_EXECUTION);
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

    private static EntityTag etag(ExecutionSnapshot e) {
        return new EntityTag(Long.toString(e.version()));
    }
}
