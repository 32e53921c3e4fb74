package io.flowguard.logging;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.flowguard.engine.EngineProbe;
import io.flowguard.engine.Engine;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.testing.Await;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.containsString;

/**
 * Through the running service: a line logged while serving a request carries that request's id,
 * and a line logged while a worker drives an execution carries the execution's id.
 */
@HelidonTest
class StructuredLogTest {

    /** Formats each record as the service's handler would, on the thread that logs it. */
    static final class Capture extends Handler {
        final List<String> lines = new CopyOnWriteArrayList<>();

        Capture() {
            setFormatter(new JsonLogFormatter());
        }

        @Override
        public void publish(LogRecord record) {
            lines.add(getFormatter().format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private final Capture capture = new Capture();

    @Inject
    WebTarget target;

    @Inject
    Engine engine;

    @BeforeEach
    void listen() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void aRequestsLinesCarryItsRequestId() {
        String requestId = "structured-" + UUID.randomUUID();
        try (Response r = target.path("/executions").request().header("X-Request-Id", requestId).get()) {
            assertThat(r.getStatus(), is(401));
        }
        List<String> audit = capture.lines.stream().filter(l -> l.contains("\"logger\":\"flowguard.audit\"")).toList();
        assertThat(audit.toString(), audit.stream().anyMatch(l -> l.contains("\"request_id\":\"" + requestId + "\"")),
                is(true));
    }

    @Test
    void aWorkersLinesCarryTheExecutionId() {
        UUID id = engine.start("test-always-fails", "{\"key\":\"" + UUID.randomUUID() + "\"}", "logan", null).execution().id();
        EngineProbe.awaitStatus(engine, id, ExecutionStatus.FAILED);
        // the line is written after the commit that made it FAILED: wait for it, not just the status
        Await.until("the failure's log line", EngineProbe.WAIT,
                () -> capture.lines.stream().anyMatch(l -> l.contains("failed: step doomed")));
        List<String> failed = capture.lines.stream().filter(l -> l.contains("failed: step doomed")).toList();
        assertThat(capture.lines.toString(), failed.size(), is(1));
        assertThat(failed.get(0), containsString("\"execution_id\":\"" + id + "\""));
        assertThat(failed.get(0), containsString("\"level\":\"WARNING\""));
    }
}
