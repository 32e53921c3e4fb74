package io.flowguard.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.flowguard.engine.Engine;
import io.flowguard.engine.RequestSnapshot;
import io.flowguard.security.DevKeys;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.watch.ChangeSignals;
import io.flowguard.watch.LongPoll;
import io.helidon.microprofile.server.Server;
import jakarta.enterprise.inject.spi.CDI;

/**
 * The engine's own figure, without HTTP or tokens: the same feature-approval cycle through the
 * Java API ({@link Engine}) in the service's own CDI container, waiting as the API's waiting reads
 * do ({@link LongPoll}), in a JVM of its own (started by {@link DriverContender}, prod profile)
 * whose {@link CycleDriver} the harness commands.
 */
public final class InProcessEngine {

    private static final String INPUT = "{\"featureName\":\"bench\",\"description\":\"benchmark\","
            + "\"estimatedCost\":2000000,\"complexity\":5}";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private InProcessEngine() {
    }

    /** @param args the database's JDBC URL, user and password, and a folder of its own */
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[3]);
        System.setProperty("flowguard.db.url", args[0]);
        System.setProperty("flowguard.db.user", args[1]);
        System.setProperty("flowguard.db.password", args[2]);
        System.setProperty("flowguard.db.migrate-on-start", "true");
        System.setProperty("flowguard.flows.enabled", "feature-approval");
        System.setProperty("flowguard.data-dir", folder.toString());
        System.setProperty("server.port", "0");
        System.setProperty("server.host", "127.0.0.1");
        // prod profile as in the HTTP runs; nothing here verifies a token, but the service wants its key
        DevKeys.loadOrCreate(folder);
        System.setProperty("mp.jwt.verify.publickey.location", DevKeys.publicKeyFile(folder).toAbsolutePath().toString());
        System.setProperty("mp.jwt.verify.issuer", Benchmark.ISSUER);
        System.setProperty("mp.jwt.verify.audiences", Benchmark.AUDIENCE);
        Server server = Server.builder().build().start();
        try {
            Engine engine = CDI.current().select(Engine.class).get();
            LongPoll waits = CDI.current().select(LongPoll.class).get();
            CycleDriver.serve((client, marks) -> {
                UUID id = engine.start("feature-approval", INPUT, "engine-user-" + client, null).execution().id();
                marks.started();
                UUID request = awaitRequest(engine, waits, id);
                marks.asked();
                engine.answer(request, Set.of("ceo"), "engine-ceo", "{\"approved\":true}");
                marks.answered();
                awaitCompleted(engine, waits, id);
            });
        } finally {
            server.stop();
        }
        System.exit(0);
    }

    /** Waits as the API's waiting reads do: woken by the commit that created the request. */
    private static UUID awaitRequest(Engine engine, LongPoll waits, UUID execution) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            // woken by this execution's new requests, as the API's inbox filtered to one execution
            List<RequestSnapshot> found = waits.await(WAIT, List.of(ChangeSignals.asked(execution)),
                    () -> engine.inbox(Set.of("ceo"), execution, 200), list -> !list.isEmpty()).value();
            if (!found.isEmpty()) {
                return found.get(0).id();
            }
        }
        throw new IllegalStateException("no ceo request for " + execution);
    }

    private static void awaitCompleted(Engine engine, LongPoll waits, UUID id) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            boolean done = waits.await(WAIT, List.of(ChangeSignals.execution(id)), () -> engine.get(id),
                    e -> e.map(x -> x.status() == ExecutionStatus.COMPLETED).orElse(false)).value()
                    .map(e -> e.status() == ExecutionStatus.COMPLETED).orElse(false);
            if (done) {
                return;
            }
        }
        throw new IllegalStateException("execution " + id + " not completed");
    }
}
