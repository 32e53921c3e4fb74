package io.flowguard.security;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.flowguard.testkit.ManualClock;
import io.flowguard.testing.MapConfigSource;
import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;
import io.helidon.microprofile.jwt.auth.JwtAuthProvider;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.EndpointConfig;
import io.helidon.security.Security;
import io.helidon.security.SecurityEnvironment;
import io.helidon.security.SecurityLevel;
import io.helidon.security.SecurityResponse;
import io.helidon.security.Subject;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The cache of verified tokens in front of MicroProfile JWT's real provider, in process: real
 * RS256 tokens signed with a dev key pair, minted by Flowguard's {@link DevTokens} and by Nimbus
 * JOSE+JWT, verified by Helidon. A subject served from the cache is the very instance verified
 * before (verification builds a new one); the cache's clock is a {@link ManualClock} started at
 * the real time MicroProfile JWT verifies on, so its time rules are judged to the nanosecond.
 */
class CachedVerificationTest {

    private static final String ISSUER = "flowguard-test";
    private static final String AUDIENCE = "flowguard";
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final Path KEYS_DIR = tempDir();
    private static final DevKeys KEYS = DevKeys.loadOrCreate(KEYS_DIR);
    private static final DevKeys STRANGER = DevKeys.loadOrCreate(tempDir());
    private static final EndpointConfig MP_JWT_ENDPOINT = EndpointConfig.builder()
            .securityLevels(List.of(SecurityLevel.create("Application")
                    .withClassAnnotations(Map.of(LoginConfig.class, List.of(loginConfig()))).build()))
            .build();

    private final ManualClock clock = new ManualClock(Instant.now());

    /** A cache, a provider and the security runtime that calls it, as the service installs them. */
    private final class Service {

        final VerifiedTokens tokens;
        final Security security;

        Service(int size, Optional<Duration> maxTokenAge) {
            tokens = new VerifiedTokens(size, SKEW, maxTokenAge, clock);
            JwtAuthProvider verifier = JwtAuthProvider.builder()
                    .publicKeyPath(DevKeys.publicKeyFile(KEYS_DIR).toString())
                    .expectedIssuer(ISSUER).expectedAudiences(List.of(AUDIENCE)).clockSkew((int) SKEW.toSeconds())
                    .build();
            security = Security.builder()
                    .addProvider(new CachingJwtProvider(verifier, Optional.of(tokens)), TokenVerification.PROVIDER_NAME)
                    .build();
        }

        Service() {
            this(100, Optional.empty());
        }

        /** A request as the token filter passes it on: its look-up in the request's context. */
        AuthenticationResponse send(String token) {
            return send(token, Optional.of(tokens.lookup(token)));
        }

        AuthenticationResponse send(String token, Optional<VerifiedTokens.Lookup> lookup) {
            Context request = Context.create();
            lookup.ifPresent(l -> request.register(VerifiedTokens.Lookup.class, l));
            return Contexts.runInContext(request, () -> security.contextBuilder("request")
                    .env(SecurityEnvironment.builder().header("Authorization", "Bearer " + token).build())
                    .endpointConfig(MP_JWT_ENDPOINT)
                    .build()
                    .authenticate());
        }

        Subject accepted(String token) {
            AuthenticationResponse response = send(token);
            assertThat(response.description().orElse("accepted"), response.status(),
                    is(SecurityResponse.SecurityStatus.SUCCESS));
            return response.user().orElseThrow();
        }

        boolean served(String token) {
            return tokens.lookup(token).verified();
        }
    }

    @Test
    void aTokenSentAgainGetsTheSubjectVerifiedTheFirstTimeWhicheverLibraryMintedIt() {
        Service service = new Service();
        for (String token : List.of(devToken("alice"), nimbusToken("alice", Instant.now()))) {
            Subject verified = service.accepted(token);
            assertThat(service.accepted(token), is(sameInstance(verified)));
            assertThat(verified.principal().getName(), is("alice"));
        }
    }

    @Test
    void aCachedTokenIsServedUntilItsExpiryPlusTheSkewAndNotANanosecondLonger() {
        Service service = new Service();
        Instant issued = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        String token = nimbusToken("bob", issued);
        Subject verified = service.accepted(token);
        Instant last = issued.plus(Duration.ofMinutes(5)).plus(SKEW);

        clock.advance(Duration.between(clock.instant(), last));
        assertThat("at exp + skew", service.served(token), is(true));
        assertThat(service.accepted(token), is(sameInstance(verified)));
        clock.advance(Duration.ofNanos(1));
        assertThat("a nanosecond past exp + skew", service.served(token), is(false));
        // MicroProfile JWT verifies it again, on the real time, where it is still valid
        assertThat(service.accepted(token), is(not(sameInstance(verified))));
    }

    @Test
    void aCachedTokenIsNotServedBeforeItsNotBeforeOrIssuedAtLessTheSkew() {
        for (String claim : List.of("nbf", "iat")) {
            Service service = new Service();
            Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
            Instant time = now.plusSeconds(30); // in the future, within the skew: accepted
            Instant expiry = now.plus(Duration.ofMinutes(5));
            String token = claim.equals("nbf") ? nimbusToken("carol", now, time, expiry)
                    : nimbusToken("carol", time, now, expiry);
            Subject verified = service.accepted(token);
            Instant first = time.minus(SKEW);

            clock.advance(Duration.between(clock.instant(), first));
            assertThat(claim + " - skew", service.served(token), is(true));
            assertThat(service.accepted(token), is(sameInstance(verified)));
            clock.advance(Duration.ofNanos(-1)); // the clock set back
            assertThat(claim + " - skew - 1 ns", service.served(token), is(false));
            clock.advance(Duration.between(clock.instant(), now));
        }
    }

    @Test
    void aTokenNotYetValidOnTheCachesClockIsNotKept() {
        Service service = new Service();
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        String token = nimbusToken("dave", now, now.plusSeconds(30), now.plus(Duration.ofMinutes(5)));
        clock.advance(Duration.ofSeconds(-31).minus(SKEW)); // the cache's clock behind the verifier's
        Subject verified = service.accepted(token);
        clock.advance(Duration.ofSeconds(31).plus(SKEW));
        assertThat(service.served(token), is(false));
        assertThat(service.accepted(token), is(not(sameInstance(verified))));
    }

    @Test
    void withAMaximumTokenAgeATokenIsServedUntilItsIssuedAtPlusTheAgeExcluded() {
        Service service = new Service(100, Optional.of(Duration.ofMinutes(2)));
        Instant issued = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        String token = nimbusToken("erin", issued);
        service.accepted(token);
        clock.advance(Duration.between(clock.instant(), issued.plus(Duration.ofMinutes(2))).minusNanos(1));
        assertThat("at iat + age - 1 ns", service.served(token), is(true));
        clock.advance(Duration.ofNanos(1));
        assertThat("at iat + age", service.served(token), is(false));
    }

    @Test
    void aCachedTokenWithAnyOneCharacterChangedIsRefused() {
        Service service = new Service();
        for (String token : List.of(devToken("frank"), nimbusToken("frank", Instant.now()))) {
            service.accepted(token);
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < token.length(); i++) {
                if (token.charAt(i) == '.') {
                    continue;
                }
                String changed = changedAt(token, i);
                AuthenticationResponse response = service.send(changed);
                if (response.status() != SecurityResponse.SecurityStatus.FAILURE || service.served(changed)) {
                    accepted.add("position " + i + ": " + response.status());
                }
            }
            assertThat(accepted, is(empty()));
            assertThat("the original is still cached", service.served(token), is(true));
        }
    }

    @Test
    void theCacheHoldsAtMostItsSize() {
        for (int tokens : new int[] {2, 3, 4}) {
            Service service = new Service(3, Optional.empty());
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < tokens; i++) {
                String token = devToken("user-" + i);
                service.accepted(token);
                sent.add(token);
            }
            long served = sent.stream().filter(service::served).count();
            assertThat(tokens + " tokens sent to a cache of 3", served, is((long) Math.min(tokens, 3)));
        }
    }

    @Test
    void aTokenTheFilterDidNotLookUpIsVerifiedAndNotCached() {
        Service service = new Service();
        String token = devToken("grace");
        AuthenticationResponse first = service.send(token, Optional.empty());
        assertThat(first.status(), is(SecurityResponse.SecurityStatus.SUCCESS));
        assertThat(service.served(token), is(false));
    }

    @Test
    void aCachedLookUpIsNotServedToARequestCarryingAnotherToken() {
        Service service = new Service();
        String cached = devToken("heidi");
        service.accepted(cached);
        VerifiedTokens.Lookup hit = service.tokens.lookup(cached);
        assertThat(hit.verified(), is(true));
        String forged = DevTokens.mint(STRANGER, ISSUER, AUDIENCE, "heidi", List.of("flow-admin"), Duration.ofMinutes(5));
        AuthenticationResponse response = service.send(forged, Optional.of(hit));
        assertThat(response.status(), is(SecurityResponse.SecurityStatus.FAILURE));
    }

    @Test
    void aSubjectVerifiedFromAnotherHeaderIsNotKeptUnderTheBearerTokenLookedUp() {
        VerifiedTokens tokens = new VerifiedTokens(100, SKEW, Optional.empty(), clock);
        JwtAuthProvider readsAnotherHeader = JwtAuthProvider.builder()
                .publicKeyPath(DevKeys.publicKeyFile(KEYS_DIR).toString()).jwtHeader("X-Token")
                .expectedIssuer(ISSUER).expectedAudiences(List.of(AUDIENCE)).clockSkew((int) SKEW.toSeconds())
                .build();
        Security security = Security.builder()
                .addProvider(new CachingJwtProvider(readsAnotherHeader, Optional.of(tokens)), TokenVerification.PROVIDER_NAME)
                .build();
        String forged = DevTokens.mint(STRANGER, ISSUER, AUDIENCE, "root", List.of("flow-admin"), Duration.ofMinutes(5));
        Context request = Context.create();
        request.register(VerifiedTokens.Lookup.class, tokens.lookup(forged));
        AuthenticationResponse response = Contexts.runInContext(request, () -> security.contextBuilder("request")
                .env(SecurityEnvironment.builder().header("Authorization", "Bearer " + forged)
                        .header("X-Token", "bearer " + devToken("ivan")).build())
                .endpointConfig(MP_JWT_ENDPOINT).build().authenticate());
        assertThat("the token in X-Token is valid", response.status(), is(SecurityResponse.SecurityStatus.SUCCESS));
        assertThat("but not the bearer token looked up", tokens.lookup(forged).verified(), is(false));
    }

    @Test
    void theSizeIsReadFromTheConfigurationAndZeroTurnsTheCacheOff() {
        assertThat(VerifiedTokens.from(configOf(Map.of()), SKEW, clock).isPresent(), is(true));
        assertThat(VerifiedTokens.from(configOf(Map.of(VerifiedTokens.SIZE_KEY, "0")), SKEW, clock).isPresent(), is(false));
        IllegalStateException negative = assertThrows(IllegalStateException.class,
                () -> VerifiedTokens.from(configOf(Map.of(VerifiedTokens.SIZE_KEY, "-1")), SKEW, clock));
        assertThat(negative.getMessage(), containsString(VerifiedTokens.SIZE_KEY));
    }

    private static Config configOf(Map<String, String> values) {
        return ConfigProviderResolver.instance().getBuilder().withSources(new MapConfigSource("t", values)).build();
    }

    /** The token with the character at {@code i} replaced by one whose 6 bits differ in the highest: other bytes. */
    private static String changedAt(String token, int i) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char replacement = alphabet.charAt(alphabet.indexOf(token.charAt(i)) ^ 32);
        return token.substring(0, i) + replacement + token.substring(i + 1);
    }

    private static String devToken(String subject) {
        return DevTokens.mint(KEYS, ISSUER, AUDIENCE, subject, List.of("flow-user"), Duration.ofMinutes(5));
    }

    /** Issued and valid from {@code issued}, for five minutes. */
    private static String nimbusToken(String subject, Instant issued) {
        return nimbusToken(subject, issued, issued, issued.plus(Duration.ofMinutes(5)));
    }

    private static String nimbusToken(String subject, Instant issued, Instant notBefore, Instant expiry) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
                .claim("groups", List.of("flow-user")).issueTime(Date.from(issued)).notBeforeTime(Date.from(notBefore))
                .expirationTime(Date.from(expiry))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(KEYS.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("flowguard-cache-jwt");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Annotation loginConfig() {
        return Login.class.getAnnotation(LoginConfig.class);
    }

    @LoginConfig(authMethod = "MP-JWT")
    private static final class Login {
    }
}
