package io.flowguard.security;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.flowguard.testing.MapConfigSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The JWT settings the service refuses to start without. */
class TokenPolicyTest {

    private static Config config(Map<String, String> values) {
        return ConfigProviderResolver.instance().getBuilder()
                .withSources(new MapConfigSource("t", values)).build();
    }

    private static Map<String, String> valid() {
        Map<String, String> values = new HashMap<>();
        values.put("mp.jwt.verify.issuer", "https://idp.example");
        values.put("mp.jwt.verify.audiences", "flowguard,flowguard-admin");
        return values;
    }

    private static String refusal(Map<String, String> values) {
        return assertThrows(IllegalStateException.class, () -> TokenPolicy.from(config(values))).getMessage();
    }

    @Test
    void issuerAndAudiencesAreReadAndTheSkewDefaultsToSixtySeconds() {
        TokenPolicy policy = TokenPolicy.from(config(valid()));
        assertThat(policy.issuer(), is("https://idp.example"));
        assertThat(policy.audiences(), is(List.of("flowguard", "flowguard-admin")));
        assertThat(policy.clockSkew(), is(Duration.ofSeconds(60)));
    }

    @Test
    void anIssuerAndAnAudienceAreRequired() {
        Map<String, String> noIssuer = valid();
        noIssuer.remove("mp.jwt.verify.issuer");
        assertThat(refusal(noIssuer), containsString("mp.jwt.verify.issuer"));
        Map<String, String> blankIssuer = valid();
        blankIssuer.put("mp.jwt.verify.issuer", " ");
        assertThat(refusal(blankIssuer), containsString("mp.jwt.verify.issuer"));
        Map<String, String> noAudience = valid();
        noAudience.remove("mp.jwt.verify.audiences");
        assertThat(refusal(noAudience), containsString("mp.jwt.verify.audiences"));
    }

    @Test
    void theSkewIsAtMostSixtySeconds() {
        Map<String, String> values = valid();
        values.put("mp.jwt.verify.clock.skew", "61");
        assertThat(refusal(values), containsString("mp.jwt.verify.clock.skew"));
        values.put("mp.jwt.verify.clock.skew", "-1");
        assertThat(refusal(values), containsString("mp.jwt.verify.clock.skew"));
        values.put("mp.jwt.verify.clock.skew", "10");
        assertThat(TokenPolicy.from(config(values)).clockSkew(), is(Duration.ofSeconds(10)));
    }

    @Test
    void whereAKeyIsRequiredItMustBeConfigured() {
        Map<String, String> values = valid();
        values.put("flowguard.auth.require-key", "true");
        assertThat(refusal(values), containsString("mp.jwt.verify.publickey.location"));
        values.put("mp.jwt.verify.publickey.location", "/run/secrets/jwt.pem");
        assertThat(TokenPolicy.from(config(values)).issuer(), is("https://idp.example"));
    }
}
