package io.flowguard.bench.peers;

import java.time.Duration;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.config.DBOSConfig;
import dev.dbos.transact.workflow.Workflow;
import dev.dbos.transact.workflow.WorkflowHandle;
import io.flowguard.bench.CycleDriver;

/**
 * DBOS Transact for Java 1.1.0-m6 embedded (its defaults: its own pool of 10 connections, LISTEN/NOTIFY,
 * virtual threads for workflows) running feature approval as a workflow: step {@code analyze},
 * {@code recv} of the CEO's answer, step {@code recordDecision}. A cycle: start the workflow,
 * {@code send} the answer, await the workflow's result. DBOS keeps a message sent before the
 * workflow reaches its {@code recv}, so this driver answers at once instead of first waiting to be
 * asked (Flowguard's and Flowable's drivers read the question before they answer).
 */
public final class DbosPeer {

    private DbosPeer() {
    }

    /** @param args the database's JDBC URL, user and password, and a folder of its own (unused) */
    public static void main(String[] args) throws Exception {
        DBOSConfig config = DBOSConfig.defaults("flowguard-bench").withDatabaseUrl(args[0]).withDbUser(args[1])
                .withDbPassword(args[2]);
        try (DBOS dbos = new DBOS(config)) {
            FeatureApproval workflows = dbos.registerProxy(FeatureApproval.class, new FeatureApprovalWorkflow(dbos));
            dbos.launch();
            CycleDriver.serve((client, marks) -> {
                WorkflowHandle<Decision, RuntimeException> handle = dbos.startWorkflow(
                        () -> workflows.decide(new Proposal("bench", "benchmark", 2_000_000L, 5)));
                marks.started();
                marks.asked();
                dbos.send(handle.workflowId(), new Approval(true, "go"), "ceo");
                marks.answered();
                Decision decision = handle.getResult();
                if (!"APPROVED".equals(decision.decision())) {
                    throw new IllegalStateException("workflow " + handle.workflowId() + " decided " + decision);
                }
            });
        }
        System.exit(0);
    }

    /** The workflow as DBOS proxies it. */
    public interface FeatureApproval {
        Decision decide(Proposal proposal);
    }

    /** What a caller proposes: Flowguard's FeatureInput. */
    public record Proposal(String featureName, String description, long estimatedCost, Integer complexity) {
    }

    /** The CEO's answer. */
    public record Approval(boolean approved, String comment) {
    }

    /** The workflow's result. */
    public record Decision(String summary, String decision, String decidedBy, String comment) {
    }

    /** Feature approval's CEO path: analyze, wait for the answer, record the decision. */
    public static final class FeatureApprovalWorkflow implements FeatureApproval {
        private final DBOS dbos;

        FeatureApprovalWorkflow(DBOS dbos) {
            this.dbos = dbos;
        }

        @Workflow
        @Override
        public Decision decide(Proposal proposal) {
            String summary = dbos.runStep(() -> proposal.featureName() + ": estimated cost " + proposal.estimatedCost()
                    + ", complexity " + (proposal.complexity() == null ? 5 : proposal.complexity()), "analyze");
            Approval answer = dbos.<Approval>recv("ceo", Duration.ofMinutes(2))
                    .orElseThrow(() -> new IllegalStateException("no answer within 2 minutes"));
            return dbos.runStep(() -> new Decision(summary, answer.approved() ? "APPROVED" : "REJECTED", "dbos-ceo",
                    answer.comment()), "recordDecision");
        }
    }
}
