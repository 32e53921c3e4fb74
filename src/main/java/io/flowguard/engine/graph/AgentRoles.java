package io.flowguard.engine.graph;


import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The closed set of agent roles, fixed by the operator ({@code flowguard.agents}).
 *
 * <p>Parsing a role never adds to any structure: an unknown name is rejected, logged as one line
 * and nothing remembers it (so hostile input cannot grow memory).
 */
public final class AgentRoles {

    /** The default set, from the system this engine replaces. */
    public static final String DEFAULT = "ceo,cto,chro,operations_head,product_manager,senior_architect,"
            + "uiux_engineer,senior_developer,test_lead";

    private static final Logger LOG = Logger.getLogger(AgentRoles.class.getName());
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final Set<String> roles;

    private AgentRoles(Set<String> roles) {
        this.roles = Set.copyOf(roles);
    }

    /**
     * @param commaSeparated the configured roles
     * @return the closed set
     * @throws IllegalArgumentException when a configured role is malformed or the set is empty
     */
    public static AgentRoles of(String commaSeparated) {
        Set<String> parsed = new LinkedHashSet<>();
        for (String raw : commaSeparated.split(",")) {
            String role = raw.strip();
            if (role.isEmpty()) {
                continue;
            }
            if (!ROLE.matcher(role).matches()) {
                throw new IllegalArgumentException("flowguard.agents: malformed role '" + role
                        + "' (lower-case letters, digits and _, starting with a letter, at most 64)");
            }
            parsed.add(role);
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("flowguard.agents must name at least one role");
        }
        return new AgentRoles(parsed);
    }

    /**
     * @param candidate a role name from a token, a request or a flow
     * @return the role when it is one of the configured ones
     */
    public Optional<String> parse(String candidate) {
        if (candidate != null && roles.contains(candidate)) {
            return Optional.of(candidate);
        }
        LOG.warning("unknown agent role rejected (" + (candidate == null ? 0 : candidate.length()) + " chars)");
        return Optional.empty();
    }

    /**
     * @param role a role name
     * @return true when it is a configured role (no logging, no counting: for validation)
     */
    public boolean contains(String role) {
        return roles.contains(role);
    }

    /** @return the configured roles */
    public Set<String> all() {
        return roles;
    }

    @Override
    public String toString() {
        return "AgentRoles" + Arrays.toString(roles.toArray());
    }
}
