package io.flowguard.store;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every pair of statuses: the allowed ones pass, every other one throws. */
class ExecutionStatusTest {

    private static final Set<String> ALLOWED = Set.of(
            "PENDING>RUNNING", "PENDING>FAILED", "PENDING>CANCELLED",
            "RUNNING>WAITING_AGENT", "RUNNING>COMPLETED", "RUNNING>FAILED", "RUNNING>CANCELLED", "RUNNING>TIMED_OUT",
            "WAITING_AGENT>RUNNING", "WAITING_AGENT>FAILED", "WAITING_AGENT>CANCELLED", "WAITING_AGENT>TIMED_OUT");

    @Test
    void everyPairIsEitherAllowedOrThrows() {
        int allowed = 0;
        int refused = 0;
        for (ExecutionStatus from : ExecutionStatus.values()) {
            for (ExecutionStatus to : ExecutionStatus.values()) {
                if (ALLOWED.contains(from + ">" + to)) {
                    assertDoesNotThrow(() -> from.checkTransition(to), from + " -> " + to);
                    allowed++;
                } else {
                    assertThrows(ExecutionStatus.IllegalStateTransitionException.class,
                            () -> from.checkTransition(to), from + " -> " + to);
                    refused++;
                }
            }
        }
        assertThat(allowed, is(ALLOWED.size()));
        assertThat(refused, is(49 - ALLOWED.size()));
    }

    @Test
    void terminalStatusesAreExactlyTheFinishedOnes() {
        EnumSet<ExecutionStatus> terminal = EnumSet.noneOf(ExecutionStatus.class);
        for (ExecutionStatus s : ExecutionStatus.values()) {
            if (s.isTerminal()) {
                terminal.add(s);
            }
        }
        assertThat(terminal, is(EnumSet.of(ExecutionStatus.COMPLETED, ExecutionStatus.FAILED,
                ExecutionStatus.CANCELLED, ExecutionStatus.TIMED_OUT)));
    }

    @Test
    void anExecutionCannotLeaveATerminalStatus() {
        FlowExecution e = new FlowExecution(java.util.UUID.randomUUID(), "f", 1, "o", "{}", "{}", java.time.Instant.now());
        e.moveTo(ExecutionStatus.CANCELLED, java.time.Instant.now());

        assertThrows(ExecutionStatus.IllegalStateTransitionException.class,
                () -> e.moveTo(ExecutionStatus.RUNNING, java.time.Instant.now()));
        assertThat(e.status(), is(ExecutionStatus.CANCELLED));
    }
}
