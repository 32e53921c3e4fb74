package io.flowguard.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.flowguard.engine.Engine;
import io.flowguard.engine.EngineException;
import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.engine.graph.FlowRegistry;
import io.flowguard.engine.graph.StepDefinition;
import io.flowguard.schema.FlowSchemas;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.links.Link;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /flows} and {@code GET /flows/{name}}: the registered flows (the whitelist) and
 * their graphs, for any authenticated user. Only names the registry holds resolve; the graph
 * shows step names, kinds, triggers, labels and asked roles, never a class or method name.
 */
@Path("/flows")
@Tag(name = "flows")
@ApplicationScoped
@RolesAllowed({"flow-user", "flow-admin"})
@Produces(MediaType.APPLICATION_JSON)
public class FlowResource {

    @Inject
    FlowRegistry registry;
    @Inject
    FlowSchemas schemas;

    @Inject
    Engine engine;

    /**
     * Every registered flow: its newest version with its step names, and every registered version
     * with its count of unfinished executions (one grouped read of the database, shared by every
     * caller until it is 20 times as old as it took, see {@link Engine#unfinished()}), so an
     * operator sees when an old version may go.
     */
    @Operation(operationId = "listFlows", summary = "The registered flows",
            description = "Roles: flow-user, flow-admin. Each flow's newest version and step names, and every "
                    + "registered version, oldest first, with its count of unfinished executions (PENDING, RUNNING, "
                    + "WAITING_AGENT), read again once the last read is 20 times as old as it took (0.25 s to 30 s): "
                    + "a version may leave the build once its count is 0.",
            extensions = @Extension(name = "x-roles", value = ExecutionResource.USER_ROLES, parseValue = true))
    @APIResponse(responseCode = "200", description = "every flow this instance serves",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "FlowSummaryList")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @GET
    public List<Map<String, Object>> flows() {
        Map<String, Long> unfinished = new HashMap<>();
        engine.unfinished().forEach(u -> unfinished.put(u.flow() + " v" + u.version(), u.count()));
        return registry.flows().stream().map(flow -> summary(flow, unfinished)).toList();
    }

    /**
     * The newest registered version of one flow, as a graph of steps and edges, and the JSON
     * Schemas of every registered version's input, answers and state (built once at startup).
     */
    @Operation(operationId = "getFlow", summary = "One flow's graph, and the shapes of its input and answers",
            description = "Roles: flow-user, flow-admin. The graph (steps, edges) of the newest registered version, "
                    + "which new executions start on; versions lists every registered version, oldest first, with "
                    + "the JSON Schema (Draft 2020-12) of its input (a start's input), of each asking step's answer "
                    + "(the body of an answer to a request of that step) and of its state.",
            extensions = @Extension(name = "x-roles", value = ExecutionResource.USER_ROLES, parseValue = true))
    @APIResponse(responseCode = "200", description = "the newest registered version's graph, and every version's shapes",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "FlowGraph")),
            links = {
                @Link(name = "start", operationId = "startExecution", description = "Starts this flow (its newest "
                        + "version): the body's input must match versions[-1].input, the last version listed."),
                @Link(name = "answer", operationId = "answerAgentRequest", description = "Answers a request asked by "
                        + "step S of an execution of this flow on version V: the body must match the answers.S of "
                        + "the versions entry whose version is V.")})
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @GET
    @Path("{name}")
    public Map<String, Object> flow(@Parameter(ref = "FlowName") @PathParam("name") String name) {
        FlowDefinition flow = (name == null || name.length() > 100 ? java.util.Optional.<FlowDefinition>empty()
                : registry.latest(name))
                .orElseThrow(() -> new EngineException(EngineException.Problem.NOT_FOUND, "no such flow"));
        Map<String, Object> graph = new LinkedHashMap<>();
        graph.put("name", flow.name());
        graph.put("version", flow.version());
        graph.put("startSteps", flow.startSteps());
        graph.put("steps", flow.steps().values().stream().map(FlowResource::step).toList());
        graph.put("edges", edges(flow));
        graph.put("versions", schemas.versions(flow.name()).stream().map(FlowResource::shapes).toList());
        return graph;
    }

    private static Map<String, Object> shapes(FlowSchemas.VersionSchemas v) {
        Map<String, Object> shapes = new LinkedHashMap<>();
        shapes.put("version", v.version());
        shapes.put("input", v.input());
        shapes.put("answers", v.answers());
        shapes.put("state", v.state());
        return shapes;
    }

    private Map<String, Object> summary(FlowDefinition flow, Map<String, Long> unfinished) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("name", flow.name());
        summary.put("version", flow.version());
        summary.put("steps", List.copyOf(flow.steps().keySet()));
        summary.put("versions", registry.versions(flow.name()).stream().map(v -> {
            Map<String, Object> version = new LinkedHashMap<>();
            version.put("version", v.version());
            version.put("unfinished", unfinished.getOrDefault(v.name() + " v" + v.version(), 0L));
            return version;
        }).toList());
        return summary;
    }

    private static Map<String, Object> step(StepDefinition s) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("name", s.name());
        step.put("kind", s.kind().name());
        step.put("triggers", s.triggers().stream().sorted().toList());
        step.put("join", s.join().name());
        if (s.kind() == StepDefinition.Kind.ROUTER) {
            step.put("labels", s.labels().stream().sorted().toList());
        }
        if (s.asks()) {
            step.put("asks", s.askRoles().stream().sorted().toList());
        }
        Map<String, Object> retry = new LinkedHashMap<>();
        retry.put("maxAttempts", s.retry().maxAttempts());
        retry.put("initialDelay", s.retry().initialDelay().toString());
        retry.put("multiplier", s.retry().multiplier());
        retry.put("maxDelay", s.retry().maxDelay().toString());
        step.put("retry", retry);
        return step;
    }

    /**
     * One edge per trigger and listener: {@code from} is the step whose completion (kind
     * {@code next}), label choice ({@code label}) or agent timeout ({@code timeout}) fires it.
     */
    private static List<Map<String, Object>> edges(FlowDefinition flow) {
        Map<String, String> routerOfLabel = new LinkedHashMap<>();
        flow.steps().values().forEach(s -> s.labels().forEach(l -> routerOfLabel.put(l, s.name())));
        List<Map<String, Object>> edges = new ArrayList<>();
        flow.edges().forEach((trigger, listeners) -> {
            for (String to : listeners) {
                Map<String, Object> edge = new LinkedHashMap<>();
                if (routerOfLabel.containsKey(trigger)) {
                    edge.put("from", routerOfLabel.get(trigger));
                    edge.put("kind", "label");
                    edge.put("label", trigger);
                } else if (trigger.endsWith(FlowDefinition.TIMEOUT_SUFFIX)) {
                    edge.put("from", trigger.substring(0, trigger.length() - FlowDefinition.TIMEOUT_SUFFIX.length()));
                    edge.put("kind", "timeout");
                } else {
                    edge.put("from", trigger);
                    edge.put("kind", "next");
                }
                edge.put("to", to);
                edges.add(edge);
            }
        });
        return edges;
    }
}
