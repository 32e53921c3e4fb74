package io.flowguard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.security.DevKeys;
import io.flowguard.security.DevTokens;

/**
 * Concurrent clients driving {@code feature-approval} over HTTP, each in a loop: start it with a
 * cost over 1,000,000 (so the CEO must decide), find the {@code ceo} request in the inbox, answer
 * it, and wait until the execution is COMPLETED. Client i talks to server i modulo the servers.
 *
 * <p>By default a client waits as the API offers ({@code Prefer: wait}): its start answers with
 * the request the execution waits on and its answer once the execution completed, two requests
 * per cycle (falling back to the inbox and the execution with {@code If-None-Match} when a wait
 * ran out); with a poll interval it asks again at that interval instead, as a client that does
 * not use waiting reads would.
 */
final class FeatureApprovalClients {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT = "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"bench\","
            + "\"description\":\"benchmark\",\"estimatedCost\":2000000,\"complexity\":5}}";

    final Latencies start = new Latencies();
    final Latencies answer = new Latencies();
    final Latencies answerToCompleted = new Latencies();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    /** Requests sent again because their instance stopped answering. */
    final AtomicLong failovers = new AtomicLong();
    /** Every execution a client started (201), and the ones it saw COMPLETED. */
    final Set<String> startedIds = ConcurrentHashMap.newKeySet();
    final Set<String> completedIds = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, String> firstError = new ConcurrentHashMap<>();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> servers;
    private final List<String> userTokens;
    private final String ceoToken;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile boolean measuring;
    private final List<Thread> threads = new ArrayList<>();

    /** The interval between repeated reads, or null to wait with {@code Prefer: wait}. */
    private final Duration poll;

    /**
     * Clients with tokens of their own (a user each, one CEO), minted with the servers' key pair.
     *
     * @param keys    the key pair the servers trust
     * @param servers the servers' base URLs (the list may change while the clients run)
     * @param clients how many clients
     * @param poll    the interval between repeated reads, or null to wait with {@code Prefer: wait}
     * @return the clients, not started
     */
    static FeatureApprovalClients withTokens(DevKeys keys, List<String> servers, int clients, Duration poll) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            tokens.add(DevTokens.mint(keys, Benchmark.ISSUER, Benchmark.AUDIENCE, "bench-user-" + i,
                    List.of("flow-user"), Duration.ofHours(2)));
        }
        String ceo = DevTokens.mint(keys, Benchmark.ISSUER, Benchmark.AUDIENCE, "bench-ceo", List.of("agent:ceo"),
                Duration.ofHours(2));
        return new FeatureApprovalClients(servers, tokens, ceo, poll);
    }

    FeatureApprovalClients(List<String> servers, List<String> userTokens, String ceoToken, Duration poll) {
        this.poll = poll;
        this.servers = servers;
        this.userTokens = userTokens;
        this.ceoToken = ceoToken;
    }

    /** Starts the clients (one per user token); nothing is recorded until {@link #measure(boolean)}. */
    void start() {
        for (int i = 0; i < userTokens.size(); i++) {
            int client = i;
            threads.add(Thread.ofVirtual().name("bench-client-" + i).start(() -> loop(client)));
        }
    }

    void measure(boolean on) {
        measuring = on;
    }

    /** Stops the clients after their current execution. */
    void stop(Duration grace) throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(grace.toMillis());
        }
    }

    /** Talks to other servers from now on (one of them died). */
    void serversNow(List<String> alive) {
        synchronized (servers) {
            servers.retainAll(alive);
        }
    }

    String firstError() {
        return firstError.values().stream().findFirst().orElse("");
    }

    private String server(int client) {
        synchronized (servers) {
            return servers.get(client % servers.size());
        }
    }

    private void loop(int client) {
        String token = userTokens.get(client);
        while (running.get()) {
            try {
                once(client, token);
            } catch (IOException | RuntimeException e) {
                errors.incrementAndGet();
                firstError.putIfAbsent("first", e.toString());
                sleep(Duration.ofMillis(50));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void once(int client, String token) throws IOException, InterruptedException {
        boolean recorded = measuring;
        long t0 = System.nanoTime();
        // a start whose answer was lost (its instance died) is sent again under the same key: the same execution
        String key = java.util.UUID.randomUUID().toString();
        HttpResponse<String> started = send(client, "POST", "/executions", INPUT, token, key, settle());
        if (started.statusCode() != 201 && started.statusCode() != 200) {
            throw new IllegalStateException("start answered " + started.statusCode() + ": " + started.body());
        }
        long t1 = System.nanoTime();
        JsonNode execution = JSON.readTree(started.body());
        String id = execution.get("id").asText();
        startedIds.add(id);
        String requestId = ceoRequest(execution.get("waitingFor"));
        if (requestId == null) {
            requestId = awaitRequest(client, id);
        }
        long t2 = System.nanoTime();
        HttpResponse<String> answered = send(client, "POST", "/agent-requests/" + requestId + "/answer",
                "{\"approved\":true,\"comment\":\"go\"}", ceoToken, settle());
        // 409: a repeat of an answer whose response was lost with its instance
        if (answered.statusCode() != 200 && !(answered.statusCode() == 409 && answered.body().contains("ANSWERED"))) {
            throw new IllegalStateException("answer answered " + answered.statusCode() + ": " + answered.body());
        }
        long t3 = System.nanoTime();
        JsonNode outcome = answered.statusCode() == 200 ? JSON.readTree(answered.body()) : null;
        if (outcome == null || !"COMPLETED".equals(outcome.path("executionStatus").asText())) {
            awaitStatus(client, id, token, "COMPLETED");
        }
        long t4 = System.nanoTime();
        completedIds.add(id);
        if (recorded && measuring) {
            start.add(t1 - t0);
            answer.add(t3 - t2);
            answerToCompleted.add(t4 - t2);
            completed.incrementAndGet();
        }
    }

    private static final String WAIT = "wait=30";

    /**
     * With waiting reads, a start and an answer wait until the execution went as far as it goes on
     * its own ({@code Prefer: wait}): the start names the request it waits on, the answer says it
     * completed, so a cycle is two requests; anything else falls back to the inbox and the reads.
     */
    private Map<String, String> settle() {
        return poll == null ? Map.of("Prefer", "wait=20") : Map.of();
    }

    /** @return the id of the ceo request a settled start waits on, or null */
    private static String ceoRequest(JsonNode waitingFor) {
        if (waitingFor != null) {
            for (JsonNode request : waitingFor) {
                if ("ceo".equals(request.path("role").asText())) {
                    return request.get("id").asText();
                }
            }
        }
        return null;
    }

    private String awaitRequest(int client, String executionId) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> inbox = send(client, "GET", "/agent-requests?execution=" + executionId, null,
                    ceoToken, poll == null ? Map.of("Prefer", WAIT) : Map.of());
            if (inbox.statusCode() != 200) {
                throw new IllegalStateException("GET /agent-requests answered " + inbox.statusCode() + ": " + inbox.body());
            }
            for (JsonNode request : JSON.readTree(inbox.body())) {
                if (executionId.equals(request.get("executionId").asText())) {
                    return request.get("id").asText();
                }
            }
            pause();
        }
        throw new IllegalStateException("no ceo request for execution " + executionId + " within 2 minutes");
    }

    private void awaitStatus(int client, String id, String token, String status)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            Map<String, String> headers = poll == null && seen != null
                    ? Map.of("If-None-Match", seen, "Prefer", WAIT) : Map.of();
            HttpResponse<String> r = send(client, "GET", "/executions/" + id, null, token, headers);
            if (r.statusCode() == 304) {
                continue;
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET /executions/" + id + " answered " + r.statusCode() + ": " + r.body());
            }
            seen = r.headers().firstValue("ETag").orElse(null);
            String now = JSON.readTree(r.body()).get("status").asText();
            if (status.equals(now)) {
                return;
            }
            if (now.equals("FAILED") || now.equals("CANCELLED") || now.equals("TIMED_OUT")) {
                throw new IllegalStateException("execution " + id + " ended " + now);
            }
            pause();
        }
        throw new IllegalStateException("execution " + id + " not " + status + " within 2 minutes");
    }

    /** Between two reads: nothing when the reads wait on the server, else the poll interval. */
    private void pause() {
        if (poll != null) {
            sleep(poll);
        }
    }

    private HttpResponse<String> send(int client, String method, String path, String body, String token)
            throws IOException, InterruptedException {
        return send(client, method, path, body, token, null, Map.of());
    }

    private HttpResponse<String> send(int client, String method, String path, String body, String token,
                                      Map<String, String> headers) throws IOException, InterruptedException {
        return send(client, method, path, body, token, null, headers);
    }

    /**
     * Sends a request; when the connection fails (its instance died), counts a failover and sends
     * it again, to whichever instance the client is given by then, for up to a minute.
     */
    private HttpResponse<String> send(int client, String method, String path, String body, String token,
                                      String idempotencyKey, Map<String, String> headers)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server(client) + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token);
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            headers.forEach(request::header);
            if (body != null) {
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException connectionLost) {
                failovers.incrementAndGet();
                if (System.nanoTime() > deadline) {
                    throw connectionLost;
                }
                sleep(Duration.ofMillis(100));
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
