package io.flowguard.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.flowguard.engine.Engine;
import io.flowguard.engine.EngineException;
import io.flowguard.engine.MigrationReport;
import io.flowguard.http.SecurityAudit;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /flows/{name}/migrations}: an admin moves unfinished executions of one version of a
 * flow to a newer one, as the newer one declares ({@code @MigratesFrom}), a batch at a time; with
 * {@code dryRun} first, which writes nothing. {@code flow-admin} only: a migration rewrites other
 * owners' executions.
 */
@Path("/flows/{name}/migrations")
@Tag(name = "operations")
@RequestScoped
@RolesAllowed("flow-admin")
@Produces(MediaType.APPLICATION_JSON)
public class MigrationResource {

    @Inject
    JsonWebToken jwt;
    @Inject
    Engine engine;
    @Inject
    ApiJson json;
    @Inject
    SecurityAudit audit;
    @Context
    UriInfo uri;
    @Context
    Request request;

    /** Runs one batch of a declared migration, or its dry run. */
    @Operation(operationId = "migrateExecutions", summary = "Move executions of an older version of a flow to a newer one",
            description = "Role: flow-admin. Looks at up to `limit` unfinished executions of version `from` (in id "
                    + "order, after `after`) and moves each that can move to version `to`, which must declare the "
                    + "migration (@MigratesFrom): its steps renamed by the declared mapping, its open questions "
                    + "with them, its state the declared function of the old state (validated), under optimistic "
                    + "locking, one MIGRATED history event and one audit line each. With dryRun: true nothing is "
                    + "written and wouldMove lists what a real run would move now. An execution a worker is running "
                    + "now, whose step has no counterpart, whose new state is invalid or too large, or whose open "
                    + "question's role the new step does not ask stays, listed in cannot with its reason. Pass "
                    + "next as after for the following batch.",
            extensions = @Extension(name = "x-roles", value = "[\"flow-admin\"]", parseValue = true))
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "MigrationRequest")))
    @APIResponse(responseCode = "200", description = "what moved (or, dry run, would move), what cannot and why",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "MigrationReport")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "422", description = "unknown-flow: version `to` of the flow is not registered; "
            + "no-migration: it declares no migration from version `from`",
            content = @Content(mediaType = ExecutionResource.PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> migrate(@Parameter(ref = "FlowName") @PathParam("name") String name, String body) {
        if (name == null || name.length() > 100) {
            throw new EngineException(EngineException.Problem.NOT_FOUND, "no such flow");
        }
        MigrationRequest migration = json.readRequest(body == null ? "" : body, MigrationRequest.class);
        Caller caller = Caller.of(jwt, engine.flows().roles(), unknown -> audit.record(SecurityAudit.Kind.UNKNOWN_ROLE,
                Caller.unknownRoles(unknown), jwt.getName(), request.getMethod(), uri.getPath()));
        return view(engine.migrate(migration.batch(name), caller.subject()));
    }

    private static Map<String, Object> view(MigrationReport report) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("flow", report.flow());
        view.put("from", report.from());
        view.put("to", report.to());
        view.put("dryRun", report.dryRun());
        List<String> ids = report.moved().stream().map(Object::toString).toList();
        view.put("moved", report.dryRun() ? List.of() : ids);
        view.put("wouldMove", report.dryRun() ? ids : List.of());
        view.put("cannot", report.cannot().stream().map(u -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", u.id().toString());
            one.put("reason", u.reason());
            one.put("detail", u.detail());
            return one;
        }).toList());
        view.put("remaining", report.remaining());
        view.put("next", report.next() == null ? null : report.next().toString());
        return view;
    }
}
