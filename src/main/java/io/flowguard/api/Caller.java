package io.flowguard.api;

import java.util.LinkedHashSet;
import java.util.Set;

import io.flowguard.flow.AgentRoles;
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

    static Caller of(JsonWebToken jwt, AgentRoles roles) {
        Set<String> groups = jwt.getGroups() == null ? Set.of() : jwt.getGroups();
        Set<String> agents = new LinkedHashSet<>();
        for (String group : groups) {
            if (group.startsWith(AGENT_PREFIX)) {
                roles.parse(group.substring(AGENT_PREFIX.length())).ifPresent(agents::add);
            }
        }
        String subject = jwt.getSubject() != null ? jwt.getSubject() : jwt.getName();
        return new Caller(subject, groups.contains("flow-admin"), Set.copyOf(agents));
    }

    /**
     * @param owner an execution's owner
     * @return true when this caller may see and act on it
     */
    boolean mayAccess(String owner) {
        return admin || subject.equals(owner);
    }
}
