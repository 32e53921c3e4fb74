package io.flowguard.bench.peers;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowguard.bench.CycleDriver;
import org.flowable.common.engine.impl.persistence.StrongUuidGenerator;
import org.flowable.engine.HistoryService;
import org.flowable.engine.ProcessEngine;
import org.flowable.engine.ProcessEngineConfiguration;
import org.flowable.engine.RuntimeService;
import org.flowable.engine.delegate.DelegateExecution;
import org.flowable.engine.delegate.JavaDelegate;
import org.flowable.engine.runtime.Execution;

/**
 * Flowable 7.2 embedded (standalone configuration, no Spring, its defaults otherwise: history
 * {@code audit}, its own pool of 10 connections; UUID ids; no async executor since nothing here
 * is async)
 * running feature approval as BPMN: start, service task {@link Analyze}, receive task
 * {@code askCeo}, service task {@link RecordDecision}, end. The request is one JSON variable, as
 * Flowguard keeps one JSON state. A cycle: start the process (it runs to the receive task in the
 * caller's transaction), find the execution waiting there (the question), trigger it with the
 * answer (it runs to the end in the caller's transaction), and read that the process ended.
 */
public final class FlowablePeer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlowablePeer() {
    }

    /** @param args the database's JDBC URL, user and password, and a folder of its own (unused) */
    public static void main(String[] args) throws Exception {
        ProcessEngineConfiguration configuration = ProcessEngineConfiguration.createStandaloneProcessEngineConfiguration()
                .setJdbcUrl(args[0])
                .setJdbcDriver("org.postgresql.Driver")
                .setJdbcUsername(args[1])
                .setJdbcPassword(args[2])
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                .setAsyncExecutorActivate(false);
        // the default DbIdGenerator takes each block of ids in a transaction of its own, on a second connection,
        // while every other thread that needs an id waits for it holding its own: with more clients than the 10
        // connections the pool ran dry and the run stalled until MyBatis took back a connection after 20 s;
        // Flowable's guide advises this generator under concurrency
        configuration.setIdGenerator(new StrongUuidGenerator());
        ProcessEngine engine = configuration.buildProcessEngine();
        try {
            engine.getRepositoryService().createDeployment()
                    .addClasspathResource("feature-approval.bpmn20.xml").deploy();
            RuntimeService runtime = engine.getRuntimeService();
            HistoryService history = engine.getHistoryService();
            CycleDriver.serve((client, marks) -> {
                ObjectNode request = JSON.createObjectNode().put("featureName", "bench").put("description", "benchmark")
                        .put("estimatedCost", 2_000_000L).put("complexity", 5);
                String id = runtime.startProcessInstanceByKey("featureApproval", Map.of("request", request)).getId();
                marks.started();
                Execution waiting = runtime.createExecutionQuery().processInstanceId(id).activityId("askCeo")
                        .singleResult();
                if (waiting == null) {
                    throw new IllegalStateException("process " + id + " does not wait at askCeo");
                }
                marks.asked();
                ObjectNode answer = JSON.createObjectNode().put("approved", true).put("comment", "go");
                runtime.trigger(waiting.getId(), Map.of("answer", answer));
                marks.answered();
                if (history.createHistoricProcessInstanceQuery().processInstanceId(id).finished().count() != 1) {
                    throw new IllegalStateException("process " + id + " has not ended");
                }
            });
        } finally {
            engine.close();
        }
        System.exit(0);
    }

    /** The first step: what Flowguard's {@code analyze} does. */
    public static final class Analyze implements JavaDelegate {
        @Override
        public void execute(DelegateExecution execution) {
            ObjectNode request = (ObjectNode) execution.getVariable("request");
            if (!request.hasNonNull("complexity")) {
                request.put("complexity", 5);
            }
            request.put("summary", request.get("featureName").asText() + ": estimated cost "
                    + request.get("estimatedCost").asLong() + ", complexity " + request.get("complexity").asInt());
            execution.setVariable("request", request);
        }
    }

    /** The step after the answer: what Flowguard's {@code recordDecision} does. */
    public static final class RecordDecision implements JavaDelegate {
        @Override
        public void execute(DelegateExecution execution) {
            ObjectNode request = (ObjectNode) execution.getVariable("request");
            JsonNode answer = (JsonNode) execution.getVariable("answer");
            request.put("decision", answer.path("approved").asBoolean() ? "APPROVED" : "REJECTED");
            request.put("decidedBy", "flowable-ceo");
            request.put("comment", answer.path("comment").asText(null));
            execution.setVariable("request", request);
        }
    }
}
