package io.flowguard.api;

import java.net.URI;
import java.util.UUID;

import io.flowguard.edge.EdgeSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The links the API hands out (the {@code Location} of a new execution): under
 * {@code flowguard.http.public-url} when it is configured, else a relative reference
 * ({@code /executions/<id>}, which a client resolves against the URL it called, RFC 9110
 * §10.2.2). Never from the request: {@code Host}, {@code X-Forwarded-Host} and {@code Forwarded}
 * say whatever the caller wrote, and a link naming the caller's host sends the next request,
 * bearer token included, wherever that caller (or a cache it poisoned) chose.
 */
@ApplicationScoped
public class Links {

    private String base;

    @PostConstruct
    void init() {
        base = EdgeSettings.publicUrl(ConfigProvider.getConfig()).map(URI::toString).orElse("");
    }

    /**
     * @param id an execution id
     * @return the execution's URL, absolute under the public URL or relative
     */
    public String execution(UUID id) {
        return base + "/executions/" + id;
    }
}
