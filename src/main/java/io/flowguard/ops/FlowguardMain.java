package io.flowguard.ops;

import java.util.Arrays;

import io.flowguard.store.OneLineError;
import io.helidon.logging.common.LogConfig;

/**
 * The one entry point of {@code flowguard.jar}: with no argument (or {@code serve}) it starts the
 * service; {@code migrate} applies database migrations and exits.
 *
 * <p>Commands run on the same configuration as the service (profiles, external file,
 * environment), so an operator migrates exactly the database the service will use.
 */
public final class FlowguardMain {

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
            case "help", "--help", "-h" -> usage(0);
            default -> usage(2);
        }
    }

    /**
     * Starts the service; a refusal to start (missing secret, bad configuration) ends the process
     * with one readable line and exit code 1 rather than a stack trace.
     */
    private static void serve(String[] args) {
        try {
            io.helidon.Main.main(args);
        } catch (RuntimeException e) {
            System.err.println("flowguard: cannot start: " + OneLineError.of(e));
            System.exit(1);
        }
    }

    private static void usage(int exitCode) {
        (exitCode == 0 ? System.out : System.err).println("""
                usage: java -jar flowguard.jar [command]
                  serve     start the service (default)
                  migrate   apply pending database migrations and exit (non-zero on failure)
                  help      print this text""");
        System.exit(exitCode);
    }
}
