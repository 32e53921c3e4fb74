package io.flowguard.engine;

import java.util.Map;

import io.flowguard.service.EngineProducer;
import io.flowguard.testing.MapConfigSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code flowguard.flows.on-missing}: refuse unless told otherwise; either choice by its name; nothing else. */
class OnMissingTest {

    private static Config config(Map<String, String> values) {
        return ConfigProviderResolver.instance().getBuilder().withSources(new MapConfigSource("on-missing", values))
                .build();
    }

    @Test
    void theServiceRefusesUnlessTheOperatorChoseToFailTheExecutions() {
        assertThat(EngineProducer.onMissing(config(Map.of())), is(OnMissing.REFUSE));
        assertThat(EngineProducer.onMissing(config(Map.of(OnMissing.KEY, "refuse"))), is(OnMissing.REFUSE));
        assertThat(EngineProducer.onMissing(config(Map.of(OnMissing.KEY, " fail-executions "))),
                is(OnMissing.FAIL_EXECUTIONS));
    }

    @Test
    void anyOtherValueIsRefusedNamingTheKeyAndTheAllowedValues() {
        for (String value : new String[] {"ignore", "FAIL-EXECUTIONS", "fail_executions", "fail", "refuse,fail-executions"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> EngineProducer.onMissing(config(Map.of(OnMissing.KEY, value))));
            assertThat(value, refused.getMessage(), is("flowguard.flows.on-missing must be one of refuse, "
                    + "fail-executions, was '" + value + "'"));
        }
    }
}
