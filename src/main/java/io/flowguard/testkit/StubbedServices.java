package io.flowguard.testkit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.flowguard.engine.ServiceCaller;
import io.flowguard.flow.ServiceCallException;
import io.flowguard.flow.ServiceReply;

/**
 * The kit's outbound services: a call to a stubbed service goes to its stub, any other to the
 * real caller the test gave or fails saying how to stub it. Every call is recorded. Lives as
 * long as the kit, across the engines its deployments build; the engine has already refused a
 * call to a service the flow does not declare.
 */
final class StubbedServices {

    private final Map<String, ServiceStub> builderStubs;
    private final Map<String, ServiceStub> stubs = new ConcurrentHashMap<>();
    private final List<OutboundCall> calls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    /** @param builderStubs the stubs the kit was built with, by service name */
    StubbedServices(Map<String, ServiceStub> builderStubs) {
        this.builderStubs = Map.copyOf(builderStubs);
        stubs.putAll(builderStubs);
    }

    /**
     * @param otherwise where calls to services without a stub go (null: they fail)
     * @return the caller one engine uses
     */
    ServiceCaller caller(ServiceCaller otherwise) {
        return (service, path, json, key) -> post(service, path, json, key, otherwise);
    }

    private ServiceReply post(String service, String path, String json, String idempotencyKey,
                              ServiceCaller otherwise) {
        int number = counts.computeIfAbsent(service, s -> new AtomicInteger()).incrementAndGet();
        OutboundCall call = new OutboundCall(service, path, json, idempotencyKey, number);
        calls.add(call);
        ServiceStub stub = stubs.get(service);
        if (stub != null) {
            StubReply reply = stub.answer(call);
            if (reply == null) {
                throw new ServiceCallException(service, 1, 0, "the stub of service " + service + " gave no reply");
            }
            return reply.toReply(call);
        }
        if (otherwise != null) {
            return otherwise.post(service, path, json, idempotencyKey);
        }
        throw new ServiceCallException(service, 0, 0, "service " + service + " is not stubbed in this test kit"
                + " (kit.stub(\"" + service + "\", call -> ...))");
    }

    /**
     * @param service a declared service
     * @param stub    what answers its calls from now on
     */
    void stub(String service, ServiceStub stub) {
        stubs.put(service, stub);
    }

    /** @return every call so far, in order */
    List<OutboundCall> calls() {
        return List.copyOf(calls);
    }

    /** Back to the builder's stubs, no call made. */
    void reset() {
        stubs.clear();
        stubs.putAll(builderStubs);
        calls.clear();
        counts.clear();
    }
}
