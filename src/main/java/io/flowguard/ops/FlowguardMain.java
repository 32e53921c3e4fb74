package io.flowguard.ops;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

import io.flowguard.security.DevKeys;
import io.flowguard.store.OneLineError;
import io.helidon.logging.common.LogConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * The one entry point of {@code flowguard.jar}: with no argument (or {@code serve}) it starts the
 * service; {@code migrate} applies database migrations and exits; {@code verify} checks the
 * configuration's security posture and the unfinished executions against the flows; {@code dev-token} mints a development token.
 *
 * <p>Commands run on the same configuration as the service (profiles, external file,
 * environment), so an operator migrates exactly the database the service will use.
 */
public final class FlowguardMain {

    private static final Logger LOG = Logger.getLogger(FlowguardMain.class.getName());

    private FlowguardMain() {
    }

    /**
     * @param args the command and its options
     */
    public static void main(String[] args) {
        String command = args.length == 0 ? "serve" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "serve" -> serve(rest);
            case "migrate" -> {
                LogConfig.configureRuntime();
                System.exit(MigrateCommand.run(System.out, System.err));
            }
            case "verify" -> System.exit(VerifyCommand.run(ConfigProvider.getConfig(), System.out));
            case "dev-token" -> {
                System.exit(DevTokenCommand.run(ConfigProvider.getConfig(), rest, System.out, System.err));
            }
            case "help", "--help", "-h" -> usage(0);
            default -> usage(2);
        }
    }

    /**
     * Starts the service; a refusal to start (missing secret, bad configuration) ends the process
     * with one log line and exit code 1 rather than a stack trace. The line is a JSON log line like
     * every other (logging is set up first), so a collector that only reads JSON sees why.
     */
    private static void serve(String[] args) {
        LogConfig.configureRuntime();
        try {
            // A private, unregistered config: the service's own is built afterwards and sees the property set here.
            Config config = ConfigProviderResolver.instance().getBuilder()
                    .addDefaultSources().addDiscoveredSources().addDiscoveredConverters().build();
            List<String> missing = StartupRequirements.missing(config);
            if (!missing.isEmpty()) {
                LOG.severe("refusing to start (profile "
                        + config.getOptionalValue("mp.config.profile", String.class).orElse("dev") + "): missing "
                        + String.join("; ", missing));
                System.exit(1);
            }
            List<String> refused = StartupRequirements.refused(config);
            if (!refused.isEmpty()) {
                LOG.severe("refusing to start: " + String.join("; ", refused));
                System.exit(1);
            }
            trustDevKeysInDev(config);
            io.helidon.Main.main(args);
        } catch (RuntimeException e) {
            LOG.severe("cannot start: " + OneLineError.of(e));
            System.exit(1);
        }
    }

    /**
     * In the dev profile with no verification key configured, generates (once) the local key pair
     * under the data folder and trusts its public half, so {@code dev-token} works out of the box.
     */
    private static void trustDevKeysInDev(Config config) {
        boolean dev = "dev".equals(config.getOptionalValue("mp.config.profile", String.class).orElse("dev"));
        boolean keyConfigured = config.getOptionalValue("mp.jwt.verify.publickey.location", String.class).isPresent()
                || config.getOptionalValue("mp.jwt.verify.publickey", String.class).isPresent();
        if (dev && !keyConfigured) {
            Path dataDir = Path.of(config.getOptionalValue("flowguard.data-dir", String.class).orElse("data"));
            DevKeys.loadOrCreate(dataDir);
            System.setProperty("mp.jwt.verify.publickey.location",
                    DevKeys.publicKeyFile(dataDir).toAbsolutePath().toString());
        }
    }

    private static void usage(int exitCode) {
        (exitCode == 0 ? System.out : System.err).println("""
                usage: java -jar flowguard.jar [command]
                  serve     start the service (default)
                  migrate   apply pending database migrations and exit (non-zero on failure)
                  verify    check the configuration's security posture and that this build can run
                            every unfinished execution, one line per check (non-zero when a check fails)
                  dev-token --subject NAME --groups flow-user[,agent:ROLE]
                            print a token signed by the dev key pair (refused in prod)
                  help      print this text""");
        System.exit(exitCode);
    }
}
