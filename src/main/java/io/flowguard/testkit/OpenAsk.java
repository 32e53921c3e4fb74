package io.flowguard.testkit;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import io.flowguard.engine.RequestSnapshot;

/**
 * A question a flow asked an agent role that waits for its answer, in a {@link FlowTestKit}.
 * Answering goes through the engine as an answer through the API does: the engine checks the
 * role, the answer's shape and the deadline, and refuses with its
 * {@link io.flowguard.engine.EngineException} (FORBIDDEN, INVALID_INPUT, CONFLICT) changing nothing.
 */
public final class OpenAsk {

    private final FlowTestKit kit;
    private final RequestSnapshot request;

    OpenAsk(FlowTestKit kit, RequestSnapshot request) {
        this.kit = kit;
        this.request = request;
    }

    /** @return the agent request's id */
    public UUID id() {
        return request.id();
    }

    /** @return the role it is addressed to */
    public String role() {
        return request.role();
    }

    /** @return the asking step */
    public String step() {
        return request.step();
    }

    /** @return the question */
    public String question() {
        return request.question();
    }

    /** @return what the step sent along, as JSON, or null */
    public String payloadJson() {
        return request.payload();
    }

    /**
     * @param type what to read the payload as
     * @param <T>  that type
     * @return the payload as {@code type}
     */
    public <T> T payload(Class<T> type) {
        return FlowTestKit.strictJson().readStored(request.payload(), type, "the payload of ask " + request.id());
    }

    /** @return when it times out */
    public Instant deadline() {
        return request.deadline();
    }

    /** @return the run that asked */
    public FlowRun run() {
        return kit.run(request.executionId());
    }

    /**
     * Answers as a subject holding the role this ask is addressed to, then runs what is due.
     *
     * @param subject who answers (recorded, and what {@code AgentAnswer.answeredBy()} gives the flow)
     * @param answer  the answer (the type {@code @AsksAgent(answer = ...)} declares, a map, or a
     *                {@code String} of its JSON)
     * @return the run that asked, after the answer and what it made due ran
     */
    public FlowRun answerAs(String subject, Object answer) {
        return answerAs(subject, request.role(), answer);
    }

    /**
     * Answers as a subject holding the given agent role (perhaps not the one asked: the engine
     * then refuses), then runs what is due.
     *
     * @param subject who answers
     * @param role    the agent role the subject holds
     * @param answer  the answer (a record, a map, or a {@code String} of its JSON)
     * @return the run that asked, after the answer and what it made due ran
     * @throws io.flowguard.engine.EngineException when the engine refuses the answer; nothing changed then
     *                                             (except an execution that cannot resume in this build: it failed)
     */
    public FlowRun answerAs(String subject, String role, Object answer) {
        kit.engine().answer(request.id(), Set.of(role), subject, FlowTestKit.json(answer));
        kit.runDue();
        return run();
    }

    /**
     * Moves the kit's clock to this ask's deadline and runs what is due: the wait times out, its
     * {@code step.timeout} listeners run or the execution ends TIMED_OUT.
     *
     * @return the run that asked
     */
    public FlowRun letExpire() {
        kit.advanceTo(request.deadline());
        return run();
    }

    @Override
    public String toString() {
        return request.role() + " at " + request.step() + " until " + request.deadline();
    }
}
