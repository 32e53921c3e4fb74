package io.flowguard.ops;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import io.flowguard.security.DevKeys;
import io.flowguard.security.DevTokens;
import org.eclipse.microprofile.config.Config;

/**
 * {@code java -jar flowguard.jar dev-token --subject alice --groups flow-user[,agent:ceo] [--ttl PT1H]}:
 * prints a token signed by the dev key pair, which the dev profile's service trusts. Refused in
 * the prod profile, where the server holds no private key and trusts only the configured issuer.
 */
public final class DevTokenCommand {

    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._@-]{1,100}");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9:_-]{1,80}");

    private DevTokenCommand() {
    }

    /**
     * @param config the application configuration
     * @param args   the options after the command name
     * @param out    where the token goes
     * @param err    where a refusal goes
     * @return the exit code
     */
    public static int run(Config config, String[] args, PrintStream out, PrintStream err) {
        String profile = config.getOptionalValue("mp.config.profile", String.class).orElse("dev");
        if ("prod".equals(profile)) {
            err.println("dev-token: refused in the prod profile; use your identity provider's tokens");
            return 2;
        }
        String subject = null;
        List<String> groups = List.of();
        Duration ttl = Duration.ofHours(1);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--subject" -> subject = args[i + 1];
                case "--groups" -> groups = Arrays.stream(args[i + 1].split(",")).map(String::strip).toList();
                case "--ttl" -> ttl = Duration.parse(args[i + 1]);
                default -> {
                    err.println("dev-token: unknown option " + args[i]);
                    return 2;
                }
            }
        }
        if (args.length % 2 != 0 || subject == null || !SUBJECT.matcher(subject).matches()
                || groups.stream().anyMatch(g -> !GROUP.matcher(g).matches())) {
            err.println("usage: dev-token --subject NAME --groups flow-user[,flow-admin][,agent:ROLE] [--ttl PT1H]");
            return 2;
        }
        Path dataDir = Path.of(config.getOptionalValue("flowguard.data-dir", String.class).orElse("data"));
        DevKeys keys = DevKeys.loadOrCreate(dataDir);
        out.println(DevTokens.mint(keys, config.getValue("mp.jwt.verify.issuer", String.class),
                config.getValue("mp.jwt.verify.audiences", String.class), subject, groups, ttl));
        return 0;
    }
}
