package io.flowguard.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.flowguard.engine.graph.AgentRoles;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, from a verified token: the subject, whether they are an admin, and the agent
 * roles they hold ({@code agent:<role>} groups, parsed against the closed set; unknown ones are
 * dropped and counted, never stored).
 *
 * @param subject    the token's subject
 * @param admin      true for {@code flow-admin}
 * @param agentRoles the configured agent roles the token carries
 */
public record Caller(String subject, boolean admin, Set<String> agentRoles) {

    /** The group prefix of an agent identity. */
    static final String AGENT_PREFIX = "agent:";

    /**
     * @param jwt       the verified token
     * @param roles     the configured agent roles
     * @param onUnknown told once, when there are any, of the {@code agent:} groups naming no
     *                  configured role (for the audit: one event per request)
     * @return the caller
     */
    static Caller of(JsonWebToken jwt, AgentRoles roles, Consumer<List<String>> onUnknown) {
        Set<String> groups = jwt.getGroups() == null ? Set.of() : jwt.getGroups();
        Set<String> agents = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String group : groups) {
            if (group.startsWith(AGENT_PREFIX)) {
                String role = group.substring(AGENT_PREFIX.length());
                roles.parse(role).ifPresentOrElse(agents::add, () -> unknown.add(role));
            }
        }
        if (!unknown.isEmpty()) {
            onUnknown.accept(List.copyOf(unknown));
        }
        String subject = jwt.getSubject() != null ? jwt.getSubject() : jwt.getName();
        return new Caller(subject, groups.contains("flow-admin"), Set.copyOf(agents));
    }

    /**
     * @param unknown agent role names from a token that are not configured
     * @return the audit reason naming them
     */
    static String unknownRoles(List<String> unknown) {
        return unknown.size() == 1
                ? "token carries agent role '" + unknown.get(0) + "', which is not configured"
                : "token carries agent roles '" + String.join("', '", unknown) + "', which are not configured";
    }

    /**
     * @param owner an execution's owner
     * @return true when this caller may see and act on it
     */
    boolean mayAccess(String owner) {
        return admin || subject.equals(owner);
    }
}
