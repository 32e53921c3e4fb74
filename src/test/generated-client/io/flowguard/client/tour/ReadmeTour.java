package io.flowguard.client.tour;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.flowguard.client.ApiClient;
import io.flowguard.client.ApiException;
import io.flowguard.client.api.AgentRequestsApi;
import io.flowguard.client.api.ExecutionsApi;
import io.flowguard.client.model.AgentRequest;
import io.flowguard.client.model.Answered;
import io.flowguard.client.model.Event;
import io.flowguard.client.model.Execution;
import io.flowguard.client.model.StartRequest;

/**
 * The README's five-minute tour, written against the Java client openapi-generator makes from
 * the served /openapi (packages io.flowguard.client...), as a team would use it: start
 * feature-approval over the CEO's threshold, list and read it, find the question in the CEO's
 * inbox, answer it, read the outcome and the history. Compiled and run by GeneratedClientTourTest
 * after it generated the client; nothing here is generated, and nothing generated is edited.
 *
 * <p>Given {@code baseUri}, {@code alice} (a flow-user token) and {@code carol} (an agent:ceo
 * token); answers what it saw, for the test to check.
 */
public final class ReadmeTour implements Function<Map<String, String>, Map<String, Object>> {

    @Override
    public Map<String, Object> apply(Map<String, String> given) {
        try {
            return tour(given.get("baseUri"), given.get("alice"), given.get("carol"));
        } catch (ApiException e) {
            throw new IllegalStateException("HTTP " + e.getCode() + ": " + e.getResponseBody(), e);
        }
    }

    private static Map<String, Object> tour(String baseUri, String aliceToken, String carolToken) throws ApiException {
        ExecutionsApi alice = new ExecutionsApi(client(baseUri, aliceToken));
        AgentRequestsApi carol = new AgentRequestsApi(client(baseUri, carolToken));
        Map<String, Object> saw = new LinkedHashMap<>();

        // start feature-approval with a cost over 1,000,000: the CEO must decide
        Execution started = alice.startExecution(new StartRequest().flow("feature-approval")
                .input(Map.of("featureName", "dark mode", "estimatedCost", 2_000_000)), null, null);
        saw.put("started", started.getStatus().getValue());

        // list, read
        List<Execution> listed = alice.listExecutions("feature-approval", 50, 0, null, null, null);
        saw.put("listed", listed.stream().anyMatch(e -> e.getId().equals(started.getId())));
        saw.put("read", alice.getExecution(started.getId(), null, null).getFlow());

        // the question waits in the ceo inbox (Prefer: wait=10 answers as soon as it is there)
        List<AgentRequest> inbox = carol.listAgentRequests(started.getId(), "wait=10");
        saw.put("inbox", inbox.stream().map(r -> r.getRole() + " " + r.getStatus().getValue()).toList());

        // answer it, and wait until the execution went as far as it goes
        Answered answered = carol.answerAgentRequest(inbox.get(0).getId(),
                Map.of("approved", true, "comment", "ship it"), "wait=10");
        saw.put("answered", answered.getStatus().getValue());

        // the execution is COMPLETED, decision APPROVED by carol, with its whole history
        Execution done = alice.getExecution(started.getId(), null, null);
        saw.put("status", done.getStatus().getValue());
        saw.put("decision", done.getState().get("decision"));
        saw.put("decidedBy", done.getState().get("decidedBy"));
        List<Event> events = alice.listExecutionEvents(started.getId(), null);
        saw.put("events", events.stream().map(e -> e.getType().getValue()).toList());
        return saw;
    }

    /** A client for one caller: its bearer token on every request. */
    private static ApiClient client(String baseUri, String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUri);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }
}
