package io.flowguard.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.engine.DeploymentCheck;
import io.flowguard.engine.DeploymentReport;
import io.flowguard.engine.OnMissing;
import io.flowguard.engine.graph.FlowRegistry;
import io.flowguard.service.FlowDiscovery;
import io.flowguard.service.PooledDataSourceFactory;
import io.flowguard.store.DatabaseVendor;
import io.flowguard.store.OneLineError;
import io.flowguard.edge.EdgeSettings;
import io.flowguard.retention.RetentionSettings;
import io.flowguard.security.TokenPolicy;
import io.flowguard.config.DatabaseSettings;
import org.eclipse.microprofile.config.Config;

/**
 * {@code java -jar flowguard.jar verify}: a security posture check of the configuration the
 * service would run with, and the deployment check of its database (the unfinished executions
 * against the flows it would register). Prints one line per check ({@code PASS}/{@code FAIL}, name, what it
 * found; never a secret) and exits 1 when any check fails, so a deploy pipeline can gate on it.
 */
public final class VerifyCommand {

    /** Passwords no production database should have. */
    private static final Set<String> DEFAULT_PASSWORDS = Set.of("", "postgres", "password", "flowguard", "admin",
            "changeme", "secret", "root", "123456");
    /** The issuers of the dev and test profiles' own tokens. */
    private static final Set<String> DEVELOPMENT_ISSUERS = Set.of("flowguard-dev", "flowguard-test");
    private static final long MIN_HSTS_SECONDS = 15_552_000; // 180 days

    /**
     * One check's outcome.
     *
     * @param name   short name
     * @param passed whether it passed
     * @param detail what was found (never a secret)
     */
    public record Check(String name, boolean passed, String detail) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %-16s %s", passed ? "PASS" : "FAIL", name, detail);
        }
    }

    private VerifyCommand() {
    }

    /**
     * @param config the configuration to check
     * @param out    where the lines go
     * @return 0 when every check passed, else 1
     */
    public static int run(Config config, PrintStream out) {
        return run(config, out, FlowDiscovery::registryWithoutContainer);
    }

    /**
     * @param config the configuration to check
     * @param out    where the lines go
     * @param flows  finds the flows the service would register with a configuration
     * @return 0 when every check passed, else 1
     */
    static int run(Config config, PrintStream out, Function<Config, FlowRegistry> flows) {
        List<Check> checks = checks(config, flows);
        checks.forEach(out::println);
        long failed = checks.stream().filter(c -> !c.passed()).count();
        out.println(failed == 0 ? "verify: all " + checks.size() + " checks passed"
                : "verify: " + failed + " of " + checks.size() + " checks failed");
        return failed == 0 ? 0 : 1;
    }

    /**
     * @param config the configuration to check
     * @return every check, in a fixed order
     */
    public static List<Check> checks(Config config) {
        return checks(config, FlowDiscovery::registryWithoutContainer);
    }

    private static List<Check> checks(Config config, Function<Config, FlowRegistry> flows) {
        List<Check> checks = new ArrayList<>();
        checks.add(jwtKey(config));
        checks.add(jwtClaims(config));
        checks.add(cors(config));
        checks.add(hsts(config));
        Optional<DatabaseSettings> db = database(config, checks);
        checks.add(h2Servers(db));
        checks.add(migrations(config));
        checks.add(rateLimits(config));
        checks.add(quota(config));
        checks.add(retention(config));
        checks.add(executions(config, db, flows));
        return checks;
    }

    /**
     * The deployment check against the configured database, with the flows the service would
     * register (found without starting it, {@link FlowDiscovery#registryWithoutContainer}): PASS
     * with the unfinished executions per flow version when this build can run every one; FAIL
     * naming every flow version and step they need that it does not register, as startup would
     * refuse (or, with {@code fail-executions}, fail them). Reads only.
     */
    private static Check executions(Config config, Optional<DatabaseSettings> db,
                                    Function<Config, FlowRegistry> flows) {
        if (db.isEmpty()) {
            return new Check("executions", false, "no database to read (see the database check)");
        }
        FlowRegistry registry;
        try {
            registry = flows.apply(config);
        } catch (RuntimeException e) {
            return new Check("executions", false, "the flows would not register: " + OneLineError.of(e));
        }
        DatabaseSettings settings = db.get();
        String url = settings.vendor() == DatabaseVendor.H2 && settings.url().startsWith("jdbc:h2:file:")
                ? settings.url() + ";IFEXISTS=TRUE" // read an existing database, never create an empty one
                : settings.url();
        DatabaseSettings one = new DatabaseSettings(url, settings.user(), settings.password(), settings.vendor(), 1,
                settings.connectTimeout());
        DeploymentReport report;
        try (HikariDataSource dataSource = PooledDataSourceFactory.create(one, "flowguard-verify")) {
            report = DeploymentCheck.inspect(dataSource, registry);
        } catch (RuntimeException e) {
            return new Check("executions", false, "cannot read the unfinished executions: " + OneLineError.of(e));
        }
        String choice = config.getOptionalValue(OnMissing.KEY, String.class).orElse(OnMissing.REFUSE.value());
        if (!report.runnable()) {
            return new Check("executions", false, String.join("; ", report.findings()) + " (startup would "
                    + (OnMissing.FAIL_EXECUTIONS.value().equals(choice.strip()) ? "fail them" : "refuse") + ")");
        }
        return new Check("executions", true, report.unfinished().isEmpty() ? "no unfinished executions"
                : report.unfinishedCount() + " unfinished (" + report.counts() + "), every one runnable on this build's flows");
    }

    private static String days(java.time.Duration d) {
        return d.toHoursPart() == 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0 ? d.toDays() + " days" : d.toString();
    }

    private static Check retention(Config config) {
        try {
            RetentionSettings retention = RetentionSettings.from(config);
            if (!retention.enabled()) {
                return new Check("retention", false, "off (flowguard.retention.enabled=false): finished executions, "
                        + "their data and expired idempotency keys are kept forever");
            }
            return new Check("retention", true, "finished executions kept " + days(retention.keep()) + ", swept every "
                    + retention.interval() + " in batches of " + retention.batchSize());
        } catch (IllegalArgumentException e) {
            return new Check("retention", false, e.getMessage());
        }
    }

    private static Check jwtKey(Config config) {
        if (config.getOptionalValue("mp.jwt.verify.publickey", String.class).isPresent()) {
            return new Check("jwt-key", true, "inline key (mp.jwt.verify.publickey)");
        }
        Optional<String> location = config.getOptionalValue("mp.jwt.verify.publickey.location", String.class);
        if (location.isEmpty()) {
            return new Check("jwt-key", false, "no verification key configured (mp.jwt.verify.publickey.location); "
                    + "the dev profile trusts a generated local key, fit for a laptop only");
        }
        try {
            PublicKey key = readPublicKey(Path.of(location.get()));
            return new Check("jwt-key", true, key.getAlgorithm() + " public key from " + location.get());
        } catch (IOException | RuntimeException | java.security.GeneralSecurityException e) {
            return new Check("jwt-key", false, "cannot read a public key from " + location.get() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static PublicKey readPublicKey(Path pem) throws IOException, java.security.GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(base64);
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (java.security.spec.InvalidKeySpecException notRsa) {
            return KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }

    private static Check jwtClaims(Config config) {
        try {
            TokenPolicy policy = TokenPolicy.from(config);
            if (DEVELOPMENT_ISSUERS.contains(policy.issuer())) {
                return new Check("jwt-claims", false, "issuer '" + policy.issuer() + "' is a development issuer");
            }
            return new Check("jwt-claims", true, "issuer " + policy.issuer() + ", audience "
                    + String.join(",", policy.audiences()) + ", skew " + policy.clockSkew().toSeconds() + " s");
        } catch (IllegalStateException e) {
            return new Check("jwt-claims", false, e.getMessage());
        }
    }

    private static Check cors(Config config) {
        try {
            EdgeSettings edge = EdgeSettings.from(config);
            List<String> plainHttp = edge.allowedOrigins().stream()
                    .filter(o -> o.startsWith("http://") && !o.matches("http://(localhost|127\\.0\\.0\\.1)(:\\d+)?"))
                    .toList();
            if (!plainHttp.isEmpty()) {
                return new Check("cors", false, "origins over plain http: " + String.join(", ", plainHttp));
            }
            return new Check("cors", true, "exact origins: " + String.join(", ", edge.allowedOrigins()));
        } catch (IllegalStateException e) {
            return new Check("cors", false, e.getMessage());
        }
    }

    private static Check hsts(Config config) {
        Optional<String> hsts = config.getOptionalValue("flowguard.http.hsts", String.class).filter(s -> !s.isBlank());
        if (hsts.isEmpty()) {
            return new Check("hsts", false, "flowguard.http.hsts is not set (no Strict-Transport-Security sent)");
        }
        java.util.regex.Matcher age = java.util.regex.Pattern.compile("max-age=(\\d{1,12})").matcher(hsts.get());
        if (!age.find() || Long.parseLong(age.group(1)) < MIN_HSTS_SECONDS) {
            return new Check("hsts", false, "max-age below 180 days: " + hsts.get());
        }
        return new Check("hsts", true, hsts.get());
    }

    private static Optional<DatabaseSettings> database(Config config, List<Check> checks) {
        DatabaseSettings db;
        try {
            db = DatabaseSettings.from(config);
        } catch (IllegalStateException e) {
            checks.add(new Check("database", false, e.getMessage()));
            return Optional.empty();
        }
        if (db.vendor() == DatabaseVendor.H2) {
            checks.add(new Check("database", false, "embedded H2: for a laptop, not for production"));
        } else if (db.user().isBlank()) {
            checks.add(new Check("database", false, "no database user (flowguard.db.user)"));
        } else if (DEFAULT_PASSWORDS.contains(db.password().toLowerCase(Locale.ROOT))
                || db.password().equalsIgnoreCase(db.user())) {
            checks.add(new Check("database", false, "the database password is empty, a well-known default or the user name"));
        } else {
            checks.add(new Check("database", true, db.vendor().name().toLowerCase(Locale.ROOT) + " as " + db.user()
                    + ", password set"));
        }
        return Optional.of(db);
    }

    private static Check h2Servers(Optional<DatabaseSettings> db) {
        String url = db.map(DatabaseSettings::url).orElse("").toUpperCase(Locale.ROOT);
        if (url.startsWith("JDBC:H2:TCP:") || url.contains("AUTO_SERVER=TRUE")) {
            return new Check("h2-console", false, "the database URL opens an H2 server others can reach");
        }
        return new Check("h2-console", true, "off: the service starts no H2 console, TCP or web server");
    }

    private static Check migrations(Config config) {
        boolean atStart = config.getOptionalValue("flowguard.db.migrate-on-start", Boolean.class).orElse(false);
        return atStart
                ? new Check("migrations", false, "applied at start: the service's database role must own the schema")
                : new Check("migrations", true, "by `migrate` only, so the service's role can be read/write only");
    }

    private static Check rateLimits(Config config) {
        int requests = config.getOptionalValue("flowguard.rate-limit.requests", Integer.class).orElse(200);
        int burst = config.getOptionalValue("flowguard.rate-limit.burst", Integer.class).orElse(50);
        Duration period = config.getOptionalValue("flowguard.rate-limit.period", Duration.class).orElse(Duration.ofSeconds(60));
        if (requests > 10_000 || burst > requests) {
            return new Check("rate-limits", false, requests + " per " + period + " (burst " + burst + "): effectively off");
        }
        return new Check("rate-limits", true, requests + " per " + period + ", burst " + burst);
    }

    private static Check quota(Config config) {
        int max = config.getOptionalValue("flowguard.quota.max-active-executions", Integer.class).orElse(100);
        return max >= 1 && max <= 10_000
                ? new Check("quota", true, max + " active executions per owner")
                : new Check("quota", false, max + " active executions per owner: effectively unlimited");
    }
}
