package io.flowguard.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Slowloris: 200 connections that send their request head one byte at a time, kept at 200 while a
 * normal client reads an execution 400 times; every read is answered (its latency is printed, not
 * asserted: speed targets live in the benchmark harness, and these 2 cores are shared), and every slow
 * connection is closed by the server within {@code flowguard.http.request-head-timeout} (here
 * 4 s) of opening, however it spends that time: a third trickle a long request line, a third send
 * the request line at once and trickle the headers, a third trickle a short request line (in
 * under half the time) and then the headers. Loopback only, and it stops by itself.
 */
@HelidonTest
class SlowClientsTest {

    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(4);
    /** How late after the timeout a close may be seen here: the deadline timer and this JVM share 2 busy cores. */
    private static final Duration SEEN_LATE = Duration.ofSeconds(1);
    private static final int SLOW = 200;
    private static final int READS = 400;
    private static final String SUBJECT = "slow-" + UUID.randomUUID();
    private static final String USER = TestTokens.token(SUBJECT, "flow-user");

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.http.request-head-timeout", HEAD_TIMEOUT.toString());
        return new MapConfigSource("slow", values);
    }

    @Inject
    WebTarget target;

    /** One slowloris connection: what it still has to send, when it opened and when the server closed it. */
    private static final class Slow {
        final Socket socket;
        final byte[] head;
        final long opened = System.nanoTime();
        int sent;
        volatile long closedAfterNanos = -1;

        Slow(int port, String head, int sentAtOnce) throws IOException {
            this.socket = new Socket("127.0.0.1", port);
            this.head = head.getBytes(StandardCharsets.ISO_8859_1);
            Thread.ofVirtual().start(this::awaitClose);
            if (sentAtOnce > 0) {
                socket.getOutputStream().write(this.head, 0, sentAtOnce);
                sent = sentAtOnce;
            }
        }

        /** Blocks on the read side until the server closes (end of stream or reset). */
        private void awaitClose() {
            try (InputStream in = socket.getInputStream()) {
                while (in.read() != -1) {
                    // a refusal's bytes, if any: the server may answer before it closes
                }
            } catch (IOException closedOrReset) {
                // closed either way
            }
            closedAfterNanos = System.nanoTime() - opened;
        }

        boolean closed() {
            return closedAfterNanos >= 0;
        }

        /** Sends the next byte (never the last: the head is never finished). */
        void trickle() {
            if (closed() || sent >= head.length - 1) {
                return;
            }
            try {
                OutputStream out = socket.getOutputStream();
                out.write(head[sent++]);
                out.flush();
            } catch (IOException closedOrReset) {
                // the server closed it; awaitClose records when
            }
        }
    }

    private static Slow slow(int port, int i) throws IOException {
        String padding = "a".repeat(200);
        return switch (i % 3) {
            case 0 -> new Slow(port, "GET /health/live?pad=" + padding + " HTTP/1.1\r\nHost: localhost\r\n\r\n", 0);
            case 1 -> {
                String line = "GET /health/live HTTP/1.1\r\n";
                yield new Slow(port, line + "Host: localhost\r\nX-Pad: " + padding + "\r\n\r\n", line.length());
            }
            // 16 bytes a tenth of a second apart: the request line is in before half the head's time
            default -> new Slow(port, "GET / HTTP/1.1\r\nHost: localhost\r\nX-Pad: " + padding + "\r\n\r\n", 0);
        };
    }

    private String execution() {
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + USER)
                .post(Entity.json("{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"slow\",\"estimatedCost\":5000000}}"))) {
            assertThat(r.getStatus(), is(201));
            return r.readEntity(JsonObject.class).getString("id");
        }
    }

    @Test
    void twoHundredByteByByteClientsAreClosedWithinTheHeadTimeoutWhileANormalClientStaysFast() throws Exception {
        URI base = target.getUri();
        String id = execution();
        HttpClient normal = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest read = HttpRequest.newBuilder(base.resolve("/executions/" + id))
                .header("Authorization", "Bearer " + USER).timeout(Duration.ofSeconds(10)).GET().build();
        for (int i = 0; i < 200; i++) {
            assertThat(normal.send(read, HttpResponse.BodyHandlers.ofString()).statusCode(), is(200));
        }
        List<Long> quiet = new ArrayList<>();
        for (int i = 0; i < READS; i++) {
            long start = System.nanoTime();
            assertThat(normal.send(read, HttpResponse.BodyHandlers.ofString()).statusCode(), is(200));
            quiet.add((System.nanoTime() - start) / 1_000);
        }
        Collections.sort(quiet);

        Set<Slow> open = ConcurrentHashMap.newKeySet();
        List<Slow> all = Collections.synchronizedList(new ArrayList<>());
        int[] opened = {0};
        for (; opened[0] < SLOW; opened[0]++) {
            Slow slow = slow(base.getPort(), opened[0]);
            open.add(slow);
            all.add(slow);
        }
        // Every 100 ms each slow connection sends one more byte; a closed one is replaced (the attack holds 200).
        ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
        AtomicBoolean replacing = new AtomicBoolean(true);
        trickler.scheduleAtFixedRate(() -> {
            for (Slow slow : List.copyOf(open)) {
                if (slow.closed()) {
                    open.remove(slow);
                    if (replacing.get()) {
                        try {
                            Slow fresh = slow(base.getPort(), opened[0]++);
                            open.add(fresh);
                            all.add(fresh);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                } else {
                    slow.trickle();
                }
            }
        }, 0, 100, TimeUnit.MILLISECONDS);

        List<Long> micros = new ArrayList<>();
        try {
            for (int i = 0; i < READS; i++) {
                long start = System.nanoTime();
                HttpResponse<String> r = normal.send(read, HttpResponse.BodyHandlers.ofString());
                micros.add((System.nanoTime() - start) / 1_000);
                assertThat(r.statusCode(), is(200));
            }
            replacing.set(false);
            Await.until("every slow connection closed by the server", Duration.ofSeconds(60),
                    () -> open.stream().allMatch(Slow::closed));
        } finally {
            trickler.shutdownNow();
            trickler.awaitTermination(10, TimeUnit.SECONDS);
            for (Slow slow : all) {
                slow.socket.close();
            }
        }

        Collections.sort(micros);
        long p50 = micros.get(micros.size() / 2);
        long p99 = micros.get((int) Math.ceil(micros.size() * 0.99) - 1);
        List<Long> lifetimes = all.stream().filter(Slow::closed).map(s -> s.closedAfterNanos / 1_000_000).sorted().toList();
        System.out.printf("slowloris: %d slow connections opened, %d closed by the server after %d..%d ms (median %d ms);"
                        + " normal client p50 %.1f ms, p99 %.1f ms over %d reads (before the attack: p50 %.1f ms, p99 %.1f ms)%n",
                all.size(), lifetimes.size(), lifetimes.getFirst(), lifetimes.getLast(), lifetimes.get(lifetimes.size() / 2),
                p50 / 1000.0, p99 / 1000.0, micros.size(), quiet.get(quiet.size() / 2) / 1000.0,
                quiet.get((int) Math.ceil(quiet.size() * 0.99) - 1) / 1000.0);
        assertThat("none finished its head", all.stream().filter(s -> s.sent >= s.head.length - 1).toList(), is(empty()));
        assertThat("longest-lived slow connection in ms", lifetimes.getLast(),
                lessThan(HEAD_TIMEOUT.plus(SEEN_LATE).toMillis()));
    }
}
