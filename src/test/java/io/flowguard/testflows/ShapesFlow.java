package io.flowguard.testflows;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * Version 2 of {@code test-shapes}: an input and an answer holding every kind of field and
 * constraint the published schemas describe (text, patterns, e-mail, numbers of each kind with
 * their bounds, lists with item constraints, enums, a nested record checked with {@code @Valid}
 * and one that is not, dates and instants), for FlowSchemaAgreementTest.
 */
@Flow(name = "test-shapes", version = 2, input = ShapesFlow.Order.class, state = ShapesFlow.Order.class)
public class ShapesFlow {

    /** How urgent an order is. */
    public enum Urgency { LOW, HIGH }

    /** What the reviewer decided. */
    public enum Decision { ACCEPT, REJECT }

    /**
     * Where to deliver.
     *
     * @param city the city
     * @param zip  five digits
     */
    public record Address(@NotBlank @Size(max = 30) String city, @Pattern(regexp = "[0-9]{5}") String zip) {
    }

    /**
     * Who pays: read, never checked (no field of this type is {@code @Valid}).
     *
     * @param name 1 to 30 characters, not blank, if it were checked
     */
    public record Payer(@NotBlank @Size(max = 30) String name) {
    }

    /**
     * The input, also the state.
     *
     * @param title     required, 1 to 20 characters, not blank
     * @param reference three capitals, a dash, two digits
     * @param contact   an e-mail address
     * @param priority  1 to 5 (a primitive)
     * @param budget    0 to 1,000,000
     * @param share     more than 0, at most 1
     * @param count     any int
     * @param tags      at most 3, each 1 to 10 characters, not blank
     * @param notes     at most 2, any text or null
     * @param urgency   LOW or HIGH
     * @param deliverTo checked ({@code @Valid})
     * @param returnTo  checked too (a second use of {@link Address})
     * @param billTo    read but not checked (no {@code @Valid})
     * @param due       a date
     * @param notBefore an instant
     * @param gift      a primitive boolean
     */
    public record Order(
            @NotBlank @Size(max = 20) String title,
            @Pattern(regexp = "[A-Z]{3}-[0-9]{2}") String reference,
            @Email String contact,
            @Min(1) @Max(5) int priority,
            @PositiveOrZero @Max(1_000_000) Long budget,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") BigDecimal share,
            Integer count,
            @Size(max = 3) List<@NotBlank @Size(max = 10) String> tags,
            @Size(max = 2) List<String> notes,
            Urgency urgency,
            @NotNull @Valid Address deliverTo,
            @Valid Address returnTo,
            Payer billTo,
            LocalDate due,
            Instant notBefore,
            boolean gift) {
    }

    /**
     * Why, in a few words.
     *
     * @param text 1 to 50 characters, not blank
     */
    public record Reason(@NotBlank @Size(max = 50) String text) {
    }

    /**
     * The reviewer's answer.
     *
     * @param decision required
     * @param reasons  at most 2, each checked
     * @param score    more than 0 (a primitive)
     */
    public record Verdict(@NotNull Decision decision, @Size(max = 2) List<@Valid Reason> reasons, @Positive int score) {
    }

    @Start
    void received(Order order) {
        // nothing to do: the input is the state
    }

    @Listen("received")
    @AsksAgent(value = "test_lead", answer = Verdict.class)
    AgentAsk review(Order order) {
        return AgentAsk.to("test_lead", "Accept this order?", order.title()).within(Duration.ofHours(1));
    }

    @Listen("review")
    void decided(Order order, AgentAnswer verdict) {
        // the answer is recorded in the history
    }
}
