package io.flowguard.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.Gates;
import io.flowguard.testing.Await;
import io.flowguard.testing.TestDatabase;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A graceful stop: the instance claims nothing more, its running step commits within the grace
 * period, and its leases are let go, so another instance carries on at once — long before the
 * (here two-minute) leases would have expired.
 */
@HelidonTest
@AddConfig(key = "flowguard.engine.workers", value = "0")
@AddConfig(key = "flowguard.engine.lease-duration", value = "PT2M")
@AddConfig(key = "flowguard.engine.heartbeat-interval", value = "PT1S")
class GracefulShutdownTest {

    @Inject
    Engine engine;
    @Inject
    Instances lifecycle;

    @Test
    void aStoppedInstanceFinishesItsRunningStepAndHandsTheRestOverAtOnce() throws Exception {
        String owner = "graceful-" + UUID.randomUUID();
        String key = "graceful-" + UUID.randomUUID();
        Instances.Instance stopping = lifecycle.newPool("stopping-instance", 2);
        Instances.Instance successor = lifecycle.newPool("successor-instance", 2);
        stopping.start();
        try {
            UUID slow = engine.start("test-slow", "{\"key\":\"" + key + "\"}", owner, null).execution().id();
            assertThat("the slow step is running on the stopping instance", Gates.awaitEntered(key), is(true));
            List<UUID> others = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                others.add(engine.start("campaign-launch", "{\"name\":\"g" + i + "\",\"budget\":10}", owner, null).execution().id());
            }

            CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> stopping.stop(Duration.ofSeconds(20)));
            // the stop has begun once the instance's claimer thread has ended: it claims nothing more
            Await.until("the stopping instance to stop claiming", EngineProbe.WAIT,
                    () -> Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(t -> t.isAlive() && t.getName().equals("stopping-instance-claimer")));
            Gates.release(key);
            stop.get();

            long handedOver = System.nanoTime();
            successor.start();
            Await.until("every execution completes", Duration.ofSeconds(60), () -> {
                for (UUID id : others) {
                    if (engine.get(id).orElseThrow().status() != ExecutionStatus.COMPLETED) {
                        return false;
                    }
                }
                return engine.get(slow).orElseThrow().status() == ExecutionStatus.COMPLETED;
            });
            Duration took = Duration.ofNanos(System.nanoTime() - handedOver);
            System.out.println("graceful shutdown: the successor finished 41 executions " + took.toMillis()
                    + " ms after the stop (leases last 120000 ms)");
            assertThat("no waiting for lease expiry", took.compareTo(Duration.ofSeconds(60)) < 0, is(true));
            assertThat("the running step was finished by the stopping instance, not run again", Gates.runs(key), is(1));
            assertThat(stepsCommittedBy(slow, "slow"), is(1));
        } finally {
            stopping.stop(Duration.ofSeconds(5));
            successor.stop(Duration.ofSeconds(5));
        }
    }

    private static int stepsCommittedBy(UUID execution, String step) throws Exception {
        try (Connection c = TestDatabase.shared().connect();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM execution_event WHERE execution_id = ? "
                     + "AND step = ? AND event_type = 'STEP_COMPLETED'")) {
            s.setObject(1, execution);
            s.setString(2, step);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
