package io.flowguard.api;

import java.io.StringReader;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import io.flowguard.http.SecurityAudit;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * Every JOSE header field and every registered claim of a token, given each wrong JSON type
 * (string, float, negative, 1e20, a 21-digit integer, boolean, null, object, array, a huge
 * string...), signed by the trusted key and by a key nobody trusts, minted by hand and by an
 * independent library (Nimbus JOSE+JWT): each is a 401 {@code unauthenticated} problem with one
 * {@code authentication_failure} audit line, never a 5xx.
 */
@HelidonTest
class TokenShapeFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrivateKey TRUSTED = TestTokens.KEYS.privateKey();
    private static final PrivateKey UNTRUSTED = ForgedTokens.rsaKeyPair().getPrivate();
    private static final String HUGE = "x".repeat(1025);
    private static final Object NULL = new Object(); // stands for JSON null in the value lists

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        // hundreds of refusals from one address: the limiter is another test's subject
        values.put("flowguard.rate-limit.requests", "1000000");
        values.put("flowguard.rate-limit.burst", "1000000");
        return new MapConfigSource("fuzz", values);
    }

    @Inject
    WebTarget target;
    @Inject
    SecurityAudit audit;

    private AuditLines lines;
    /** The audit reason of the last refusal checked. */
    private String lastReason;

    @BeforeEach
    void listen() {
        lines = AuditLines.listen();
    }

    @AfterEach
    void stop() {
        lines.close();
    }

    /** The wrong values for each claim, by the JSON type the claim must have. */
    private static Map<String, List<Object>> wrongClaims() {
        List<Object> notAString = List.of(1.5, -1, 1e20, new BigInteger("100000000000000000000"), true, NULL,
                Map.of("a", 1), List.of("a"), HUGE);
        List<Object> notATime = List.of("1700000000", 1.7e9 + 0.5, -1, 1e20, new BigInteger("100000000000000000000"),
                true, NULL, Map.of("a", 1), List.of(1), List.of());
        Map<String, List<Object>> wrong = new LinkedHashMap<>();
        for (String name : List.of("iss", "sub", "jti", "upn", "preferred_username")) {
            wrong.put(name, notAString);
        }
        wrong.put("aud", List.of(1.5, -1, 1e20, true, NULL, Map.of("a", 1), List.of(1), Arrays.asList("flowguard", null),
                List.of(List.of("flowguard")), HUGE));
        for (String name : List.of("exp", "nbf", "iat")) {
            wrong.put(name, notATime);
        }
        wrong.put("groups", List.of("flow-user", Map.of("flow-user", true), 5, 1.5, true, NULL, List.of(1),
                Arrays.asList("flow-user", null), List.of(Map.of("a", 1)), List.of("flow-user", 5), List.of(HUGE)));
        // OpenID Connect claims the JWT parser reads as well
        for (String name : List.of("email", "name", "given_name", "family_name", "middle_name", "nickname", "gender",
                "phone_number", "nonce", "scope", "locale", "zoneinfo", "birthdate", "profile", "picture", "website",
                "at_hash", "c_hash")) {
            wrong.put(name, List.of(5, true, Map.of("a", 1), List.of(1)));
        }
        wrong.put("zoneinfo", List.of(5, true, Map.of("a", 1), "Not/A_Zone"));
        wrong.put("website", List.of(5, Map.of("a", 1), "http://a b"));
        wrong.put("locale", List.of(5, Map.of("a", 1), List.of(1)));
        for (String name : List.of("email_verified", "phone_number_verified")) {
            wrong.put(name, List.of("true", 1, Map.of("a", 1), List.of(true)));
        }
        wrong.put("updated_at", List.of("1700000000", 1.5, 1e20, true, Map.of("a", 1)));
        wrong.put("address", List.of("Main Street 1", 5, true, List.of(1), Map.of("country", 5)));
        return wrong;
    }

    /** The wrong values for each JOSE header field (a missing {@code alg} included). */
    private static Map<String, List<Object>> wrongHeaders() {
        Map<String, List<Object>> wrong = new LinkedHashMap<>();
        wrong.put("alg", List.of("none", "HS256", "RS512", "rs256", "", 5, true, NULL, Map.of("a", 1), List.of("RS256")));
        wrong.put("typ", List.of(5, true, NULL, Map.of("a", 1), List.of("JWT"), "JWE", HUGE));
        wrong.put("kid", List.of(5, true, NULL, Map.of("a", 1), List.of("k"), HUGE));
        wrong.put("crit", List.of(List.of("exp"), List.of(), "exp", 5, NULL));
        wrong.put("jku", List.of("https://evil.example/keys.json"));
        wrong.put("jwk", List.of(Map.of("kty", "RSA", "n", "AQAB", "e", "AQAB")));
        wrong.put("x5u", List.of("https://evil.example/cert.pem"));
        wrong.put("x5c", List.of(List.of("MIIB")));
        wrong.put("x5t", List.of(5, Map.of("a", 1)));
        wrong.put("cty", List.of("JWT"));
        wrong.put("enc", List.of("A256GCM"));
        wrong.put("zip", List.of("DEF"));
        wrong.put("b64", List.of(false));
        wrong.put("x-extension", List.of(1));
        return wrong;
    }

    private static Map<String, Object> claimsWith(String name, Object value) {
        Map<String, Object> claims = new LinkedHashMap<>(ForgedTokens.validClaims("fuzz-subject", "flow-user"));
        claims.put(name, value == NULL ? null : value);
        return claims;
    }

    private static Map<String, Object> headerWith(String name, Object value) {
        Map<String, Object> header = ForgedTokens.header("RS256");
        header.put(name, value == NULL ? null : value);
        if (name.equals("crit") && value instanceof List<?> names && !names.isEmpty()) {
            header.put("x-ext", 1); // a critical extension that is present, so only crit itself is wrong
        }
        return header;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Mints with Nimbus JOSE+JWT: its own header serialisation, the payload taken as given. */
    private static String nimbus(PrivateKey key, JWSHeader header, String payloadJson) {
        JWSObject jws = new JWSObject(header, new Payload(payloadJson));
        try {
            jws.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jws.serialize();
    }

    private static String nimbus(PrivateKey key, Map<String, Object> claims) {
        return nimbus(key, new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), json(claims));
    }

    /**
     * Sends the token and checks the refusal: 401, the problem type, one audit line for this
     * request. Returns what went wrong, or null.
     */
    private String refusalProblem(String what, String token) {
        double before = audit.count(SecurityAudit.Kind.AUTHENTICATION_FAILURE);
        String requestId;
        try (Response r = target.path("/flows").request().header("Authorization", "Bearer " + token).get()) {
            String body = r.readEntity(String.class);
            requestId = r.getHeaderString("X-Request-Id");
            if (r.getStatus() != 401) {
                return what + ": " + r.getStatus() + " " + shorten(body);
            }
            if (!"application/problem+json".equals(String.valueOf(r.getMediaType()))) {
                return what + ": media type " + r.getMediaType();
            }
            String type = Json.createReader(new StringReader(body)).readObject().getString("type", "");
            if (!type.equals("urn:flowguard:problem:unauthenticated")) {
                return what + ": problem type " + type;
            }
        }
        if (audit.count(SecurityAudit.Kind.AUTHENTICATION_FAILURE) != before + 1) {
            return what + ": counted " + (audit.count(SecurityAudit.Kind.AUTHENTICATION_FAILURE) - before) + " times";
        }
        List<jakarta.json.JsonObject> mine = lines.of(requestId, SecurityAudit.Kind.AUTHENTICATION_FAILURE);
        lastReason = mine.isEmpty() ? null : mine.get(0).getString("reason");
        return mine.size() == 1 ? null : what + ": " + mine.size() + " audit lines";
    }

    private int status(String token) {
        try (Response r = target.path("/flows").request().header("Authorization", "Bearer " + token).get()) {
            r.readEntity(String.class);
            return r.getStatus();
        }
    }

    @Test
    void theUnchangedClaimsPassWithTheTrustedKeyFromEitherMinterSoEachCaseBelowFailsOnItsOneChange() {
        Map<String, Object> valid = ForgedTokens.validClaims("fuzz-subject", "flow-user");
        assertThat(status(ForgedTokens.rs256(TRUSTED, valid)), is(200));
        assertThat(status(nimbus(TRUSTED, valid)), is(200));
        assertThat(status(ForgedTokens.rs256(UNTRUSTED, valid)), is(401));
        assertThat(status(nimbus(UNTRUSTED, valid)), is(401));
    }

    @Test
    void everyRegisteredClaimOfTheWrongJsonTypeIsA401AuditedWhateverKeySignedIt() {
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (Map.Entry<String, List<Object>> claim : wrongClaims().entrySet()) {
            for (Object value : claim.getValue()) {
                Map<String, Object> claims = claimsWith(claim.getKey(), value);
                String shown = claim.getKey() + "=" + (value == NULL ? "null" : shorten(json(value)));
                for (Map.Entry<String, PrivateKey> key : Map.of("trusted", TRUSTED, "untrusted", UNTRUSTED).entrySet()) {
                    failures.add(refusalProblem(shown + " by hand, " + key.getKey(), ForgedTokens.rs256(key.getValue(), claims)));
                    failures.add(refusalProblem(shown + " by Nimbus, " + key.getKey(), nimbus(key.getValue(), claims)));
                    cases += 2;
                }
            }
        }
        failures.removeIf(f -> f == null);
        System.out.println("claim fuzz: " + cases + " tokens, " + failures.size() + " not refused properly");
        assertThat(failures, is(empty()));
    }

    @Test
    void everyJoseHeaderFieldOfTheWrongTypeOrUnknownIsA401AuditedWhateverKeySignedIt() {
        List<String> failures = new ArrayList<>();
        Map<String, Object> claims = ForgedTokens.validClaims("fuzz-subject", "flow-user");
        for (Map.Entry<String, List<Object>> field : wrongHeaders().entrySet()) {
            for (Object value : field.getValue()) {
                Map<String, Object> header = headerWith(field.getKey(), value);
                String shown = field.getKey() + "=" + (value == NULL ? "null" : shorten(json(value)));
                for (Map.Entry<String, PrivateKey> key : Map.of("trusted", TRUSTED, "untrusted", UNTRUSTED).entrySet()) {
                    failures.add(refusalProblem(shown + ", " + key.getKey(),
                            ForgedTokens.sign("SHA256withRSA", key.getValue(), header, claims)));
                }
            }
        }
        Map<String, Object> noAlg = ForgedTokens.header("RS256");
        noAlg.remove("alg");
        failures.add(refusalProblem("no alg", ForgedTokens.sign("SHA256withRSA", TRUSTED, noAlg, claims)));
        failures.removeIf(f -> f == null);
        assertThat(failures, is(empty()));
    }

    @Test
    void aHeaderOrPayloadThatIsNotOneJsonObjectWithUniqueNamesIsA401() {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String payload = json(ForgedTokens.validClaims("fuzz-subject", "flow-user"));
        String withAdmin = payload.substring(0, payload.length() - 1) + ",\"groups\":[\"flow-admin\"]}";
        String secondSubject = payload.substring(0, payload.length() - 1) + ",\"sub\":\"root\"}";
        Map<String, String[]> raw = new LinkedHashMap<>();
        raw.put("header not JSON", new String[] {"{", payload});
        raw.put("header an array", new String[] {"[]", payload});
        raw.put("header null", new String[] {"null", payload});
        raw.put("header a string", new String[] {"\"RS256\"", payload});
        raw.put("header with trailing data", new String[] {header + "{}", payload});
        raw.put("header alg twice", new String[] {"{\"alg\":\"RS256\",\"alg\":\"none\"}", payload});
        raw.put("payload not JSON", new String[] {header, "{"});
        raw.put("payload an array", new String[] {header, "[]"});
        raw.put("payload a number", new String[] {header, "5"});
        raw.put("payload with trailing data", new String[] {header, payload + "[]"});
        raw.put("payload groups twice", new String[] {header, withAdmin});
        raw.put("payload sub twice", new String[] {header, secondSubject});
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String[]> c : raw.entrySet()) {
            for (Map.Entry<String, PrivateKey> key : Map.of("trusted", TRUSTED, "untrusted", UNTRUSTED).entrySet()) {
                failures.add(refusalProblem(c.getKey() + ", " + key.getKey(),
                        ForgedTokens.signRaw(key.getValue(), c.getValue()[0], c.getValue()[1])));
            }
        }
        failures.add(refusalProblem("segment not base64url", "e30!.e30.AAAA"));
        failures.add(refusalProblem("four segments", ForgedTokens.rs256(TRUSTED,
                ForgedTokens.validClaims("fuzz-subject", "flow-user")) + ".AAAA"));
        failures.removeIf(f -> f == null);
        assertThat(failures, is(empty()));
    }

    @Test
    void aMistypedTokenIsA401OnEveryAuthenticatedEndpoint() {
        String id = java.util.UUID.randomUUID().toString();
        List<String> tokens = List.of(ForgedTokens.rs256(TRUSTED, claimsWith("exp", "tomorrow")),
                ForgedTokens.rs256(UNTRUSTED, claimsWith("groups", "flow-admin")));
        List<String> failures = new ArrayList<>();
        for (String token : tokens) {
            for (String[] endpoint : new String[][] {{"GET", "/flows/feature-approval"}, {"GET", "/executions"},
                    {"POST", "/executions"}, {"GET", "/executions/" + id}, {"GET", "/executions/" + id + "/events"},
                    {"GET", "/executions/" + id + "/stream"}, {"POST", "/executions/" + id + "/cancel"},
                    {"GET", "/agent-requests"}, {"POST", "/agent-requests/" + id + "/answer"}}) {
                var request = target.path(endpoint[1]).request().header("Authorization", "Bearer " + token);
                try (Response r = endpoint[0].equals("GET") ? request.get()
                        : request.post(jakarta.ws.rs.client.Entity.json("{}"))) {
                    String body = r.readEntity(String.class);
                    if (r.getStatus() != 401 || !body.contains("urn:flowguard:problem:unauthenticated")) {
                        failures.add(endpoint[0] + " " + endpoint[1] + ": " + r.getStatus() + " " + shorten(body));
                    }
                }
            }
        }
        assertThat(failures, is(empty()));
    }

    /** RFC 7515 §4.1.11: no extension is understood here, so any {@code crit} header is refused. */
    @Test
    void aTokenWithACritHeaderIsRefusedEvenWhenTheTrustedKeySignedIt() {
        Map<String, Object> claims = ForgedTokens.validClaims("fuzz-subject", "flow-user");
        JWSHeader critical = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .criticalParams(Set.of("x-policy")).customParam("x-policy", "strict").build();
        String token = nimbus(TRUSTED, critical, json(claims));
        assertThat(refusalProblem("crit by Nimbus", token), is((String) null));
        assertThat("refused for its crit header", lastReason, containsString("crit"));
        Map<String, Object> header = ForgedTokens.header("RS256");
        header.put("crit", List.of("exp"));
        assertThat(refusalProblem("crit on a registered claim", ForgedTokens.sign("SHA256withRSA", TRUSTED, header, claims)),
                is((String) null));
        assertThat(lastReason, containsString("crit"));
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...(" + s.length() + ")";
    }
}
