package io.flowguard.ops;

import java.util.ArrayList;
import java.util.List;

import io.flowguard.config.DatabaseSettings;
import io.flowguard.engine.OnMissing;
import io.flowguard.service.EngineProducer;
import io.flowguard.service.FlowsDirectory;
import org.eclipse.microprofile.config.Config;

/**
 * What a profile that demands real secrets (prod) must be given before the service starts: the
 * database URL, user and password, and the token verification key, issuer and audience. Checked
 * before anything starts, so the refusal names everything that is missing at once, by key and
 * environment variable, never a value.
 */
final class StartupRequirements {

    private StartupRequirements() {
    }

    /**
     * @param config the configuration the service would start with
     * @return what is missing (empty when the service may start)
     */
    static List<String> missing(Config config) {
        List<String> missing = new ArrayList<>();
        if (config.getOptionalValue("flowguard.db.require-credentials", Boolean.class).orElse(false)) {
            missing.addAll(DatabaseSettings.missingCredentials(config));
        }
        if (config.getOptionalValue("flowguard.auth.require-key", Boolean.class).orElse(false)) {
            if (absent(config, "mp.jwt.verify.publickey.location") && absent(config, "mp.jwt.verify.publickey")) {
                missing.add("mp.jwt.verify.publickey.location (MP_JWT_VERIFY_PUBLICKEY_LOCATION), the token verification key");
            }
            if (absent(config, "mp.jwt.verify.issuer")) {
                missing.add("mp.jwt.verify.issuer (MP_JWT_VERIFY_ISSUER)");
            }
            if (absent(config, "mp.jwt.verify.audiences")) {
                missing.add("mp.jwt.verify.audiences (MP_JWT_VERIFY_AUDIENCES)");
            }
        }
        return missing;
    }

    /**
     * Settings the service never starts with, in any profile: a token read from another header
     * than {@code Authorization} ({@code mp.jwt.token.header}) would pass MicroProfile JWT while
     * Flowguard's token rules, which read {@code Authorization}, never saw it; a flows folder
     * ({@code flowguard.flows.dir}) that is not a readable folder (the deployer meant flows to
     * run that cannot be found); a {@value OnMissing#KEY} that is neither of its values.
     *
     * @param config the configuration the service would start with
     * @return what is refused and why (empty when the service may start)
     */
    static List<String> refused(Config config) {
        List<String> refused = new ArrayList<>();
        config.getOptionalValue("mp.jwt.token.header", String.class).map(String::strip)
                .filter(header -> !header.isEmpty() && !header.equalsIgnoreCase("Authorization"))
                .ifPresent(header -> refused.add("mp.jwt.token.header must be Authorization (the token rules "
                        + "read only that header)"));
        FlowsDirectory.refusal(config).ifPresent(refused::add);
        try {
            EngineProducer.onMissing(config);
        } catch (IllegalArgumentException e) {
            refused.add(e.getMessage());
        }
        return refused;
    }

    private static boolean absent(Config config, String key) {
        return config.getOptionalValue(key, String.class).filter(s -> !s.isBlank()).isEmpty();
    }
}
