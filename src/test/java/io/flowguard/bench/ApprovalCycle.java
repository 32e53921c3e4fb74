package io.flowguard.bench;

/**
 * One system's approval cycle as a client runs it: start an execution (which runs a step and then
 * waits for an external answer), see that it asks, answer, and wait until it has ended. Each
 * system under test implements it with its own API; {@link CycleDriver} runs it in a loop per client
 * and times it at the {@link Marks}.
 *
 * <p>Compiled into the harness and into the peers' own build (src/bench/pom.xml), so it uses only
 * the JDK.
 */
public interface ApprovalCycle {

    /**
     * Runs one whole cycle; throws when it did not end as it should.
     *
     * @param client which client (0 to clients - 1) runs it
     * @param marks  to call as the cycle passes each point, in order
     */
    void run(int client, Marks marks) throws Exception;

    /** The points of a cycle between which the driver measures. */
    interface Marks {
        /** The start returned: the execution exists. */
        void started();

        /** The client has seen the question (it may answer now). */
        void asked();

        /** The answer returned. */
        void answered();
    }
}
