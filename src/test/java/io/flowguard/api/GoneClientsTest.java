package io.flowguard.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.flowguard.api.RawSocket.Exchange;
import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.watch.ChangeSignals;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * A stream or a waiting read whose client vanished gives its slot back well within one heartbeat
 * (here 30 s, and a wait of 30 s), not when a heartbeat write or the wait's end finds it out.
 */
@HelidonTest
class GoneClientsTest {

    private static final String SUBJECT = "gone-" + UUID.randomUUID();
    private static final String USER = TestTokens.token(SUBJECT, "flow-user");
    private static final int STREAM_CAP = 3;
    private static final int WAITER_CAP = 3;
    /** Well under the heartbeat and the wait: only noticing the closed socket itself frees the slots this soon. */
    private static final Duration SOON = Duration.ofSeconds(15);

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new java.util.HashMap<>(TestTokens.config());
        values.put("flowguard.stream.max-per-subject", Integer.toString(STREAM_CAP));
        values.put("flowguard.stream.heartbeat-interval", "PT30S");
        values.put("flowguard.api.wait.max-waiters", Integer.toString(WAITER_CAP));
        values.put("flowguard.api.wait.max", "PT30S");
        return new MapConfigSource("gone", values);
    }

    @Inject
    WebTarget target;
    @Inject
    MeterRegistry meters;
    @Inject
    ChangeSignals signals;

    private String waitingExecution() {
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + USER)
                .post(Entity.json("{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"gone\",\"estimatedCost\":5000000}}"))) {
            assertThat(r.getStatus(), is(201));
            String id = r.readEntity(JsonObject.class).getString("id");
            Await.until(id + " waiting for its agent", Duration.ofSeconds(30), () -> status(id).equals("WAITING_AGENT"));
            return id;
        }
    }

    private String status(String id) {
        try (Response r = target.path("/executions/" + id).request().header("Authorization", "Bearer " + USER).get()) {
            return r.readEntity(JsonObject.class).getString("status");
        }
    }

    private String etag(String id) {
        try (Response r = target.path("/executions/" + id).request().header("Authorization", "Bearer " + USER).get()) {
            return r.getHeaderString("ETag");
        }
    }

    /** Closes with a reset, the way a crashed client or a dropped network path ends a connection. */
    private static void vanish(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String streamRequest(String id) {
        return "GET /executions/" + id + "/stream HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + USER
                + "\r\nAccept: text/event-stream\r\n\r\n";
    }

    private double openStreams() {
        return meters.get("flowguard.streams.open").gauge().value();
    }

    private String waitingRead(String id, String etag, int seconds) {
        return "GET /executions/" + id + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + USER
                + "\r\nIf-None-Match: " + etag + "\r\nPrefer: wait=" + seconds + "\r\n\r\n";
    }

    @Test
    void streamsWhoseClientsVanishedFreeTheirSlotsWellWithinAHeartbeat() throws IOException {
        String id = waitingExecution();
        double before = openStreams();
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < STREAM_CAP; i++) {
            Socket socket = RawSocket.open(target.getUri(), streamRequest(id));
            assertThat(RawSocket.statusLine(socket), is("HTTP/1.1 200 OK"));
            sockets.add(socket);
        }
        Await.until("every stream slot taken", SOON, () -> openStreams() == before + STREAM_CAP);
        try (Socket over = RawSocket.open(target.getUri(), streamRequest(id))) {
            assertThat("cap + 1 is refused", RawSocket.statusLine(over), is("HTTP/1.1 429 Too Many Requests"));
        }
        sockets.forEach(GoneClientsTest::vanish);

        Await.until("the vanished streams' slots given back", SOON, () -> openStreams() == before);
        try (Socket again = RawSocket.open(target.getUri(), streamRequest(id))) {
            assertThat("a new stream is accepted", RawSocket.statusLine(again), is("HTTP/1.1 200 OK"));
        }
    }

    @Test
    void waitingReadsWhoseClientsVanishedFreeTheirWaiterSlotsWellBeforeTheWaitEnds() {
        String id = waitingExecution();
        String etag = etag(id);
        Await.until("no waiters left from before", SOON, () -> signals.waiting() == 0);
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < WAITER_CAP; i++) {
            sockets.add(RawSocket.open(target.getUri(), waitingRead(id, etag, 30)));
        }
        Await.until("every waiter slot taken", SOON, () -> signals.waiting() == WAITER_CAP);
        sockets.forEach(GoneClientsTest::vanish);

        Await.until("the vanished reads' waiter slots given back", SOON, () -> signals.waiting() == 0);
        Exchange waited = RawSocket.exchangeAll(target.getUri(), waitingRead(id, etag, 1), 10_000);
        assertThat(waited.replies().getFirst().status(), is(304));
        assertThat("a new read waits again", waited.replies().getFirst().header("Preference-Applied"), is("wait=1"));
    }

    @Test
    void aWaitingReadAnsweredWhileWatchingItsClientClosesTheConnectionAfterTheAnswer() {
        String id = waitingExecution();
        Exchange exchange = RawSocket.exchangeAll(target.getUri(), waitingRead(id, etag(id), 1), 5_000);
        assertThat(exchange.replies(), hasSize(1));
        assertThat(exchange.replies().getFirst().status(), is(304));
        assertThat("the read-ahead never races the next request: the connection ends", exchange.closed(), is(true));
    }

    @Test
    void aWaitingReadKeepsItsConnectionForThePipelinedNextRequest() {
        String id = waitingExecution();
        Exchange exchange = RawSocket.exchangeAll(target.getUri(), waitingRead(id, etag(id), 1)
                + "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n", 3_000);
        assertThat(exchange.replies(), hasSize(2));
        assertThat(exchange.replies().get(0).status(), is(304));
        assertThat(exchange.replies().get(1).status(), is(200));
    }
}
