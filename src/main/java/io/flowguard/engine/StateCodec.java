package io.flowguard.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Maps flow state, agent payloads and engine bookkeeping to and from JSON.
 *
 * <p>Security: JSON carries no type information and is only ever read into a type chosen by the
 * registry (never by the data), so no polymorphic deserialization is possible. Reading is strict
 * (unknown fields, wrong types, trailing data and coercions are errors, and so is text holding an
 * unpaired UTF-16 surrogate or U+0000) and bounded (nesting depth, string and number length). Error messages
 * name the field, never a Java class.
 */
public final class StateCodec {

    /** Deepest JSON nesting accepted anywhere. */
    public static final int MAX_DEPTH = 32;
    /** Longest string accepted in a caller's JSON (inputs, requests, answers), in characters. */
    public static final int MAX_INPUT_STRING_LENGTH = 262_144;
    /** Longest number literal accepted (digits). */
    public static final int MAX_NUMBER_LENGTH = 64;

    private final ObjectMapper mapper;
    private final ObjectMapper callerMapper;
    private final ObjectMapper replyMapper;
    private final Validator validator;
    private final int maxStateBytes;

    /**
     * @param maxStateBytes the cap on serialized state
     */
    public StateCodec(int maxStateBytes) {
        this.maxStateBytes = maxStateBytes;
        this.mapper = mapper(EngineSettings.HARD_MAX_STATE_BYTES);
        this.callerMapper = mapper(MAX_INPUT_STRING_LENGTH);
        // Another service's reply may carry fields this flow does not read: they are ignored, not an error.
        this.replyMapper = mapper(MAX_INPUT_STRING_LENGTH).copy()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        ValidatorFactory factoryV = Validation.byProvider(HibernateValidator.class).configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
        this.validator = factoryV.getValidator();
    }

    /** The strict mapper; callers' JSON gets a tighter cap on any one string than stored JSON. */
    private static ObjectMapper mapper(int maxStringLength) {
        JsonFactory factory = JsonFactory.builder()
                // {"flow": "a", "flow": "b"} is an error, not "the last one wins".
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(maxStringLength)
                        .build())
                .build();
        JsonMapper json = JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                // Decimals in untyped JSON (inputs, answers, payloads) keep every digit.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
        json.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        // ALLOW_COERCION_OF_SCALARS off stops "5" -> 5 but not a scalar into a string: true would be "true".
        json.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return json;
    }

    /**
     * Reads a caller's input (a start's input, an agent's answer) into the type the registry names
     * for it and validates it.
     *
     * @param json the input
     * @param type the flow's input record or an asking step's answer type
     * @return the value
     * @throws EngineException INVALID_INPUT naming the field, or STATE_TOO_LARGE
     */
    public Object readInput(String json, Class<?> type) {
        if (json.getBytes(StandardCharsets.UTF_8).length > maxStateBytes) {
            throw new EngineException(EngineException.Problem.STATE_TOO_LARGE,
                    "input is larger than the state limit of " + maxStateBytes + " bytes");
        }
        requireWellFormedText(callerMapper, json);
        Object state;
        try {
            state = callerMapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, describe(e));
        }
        if (state == null) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, "input must be a JSON object");
        }
        validate(state);
        return state;
    }

    /**
     * Reads a caller's input already parsed (strictly, by {@link #readRequest}) into the type the
     * registry names for it and validates it.
     *
     * @param input the input, a JSON object
     * @param type  the flow's input record
     * @return the value
     * @throws EngineException INVALID_INPUT naming the field
     */
    public Object readInput(com.fasterxml.jackson.databind.JsonNode input, Class<?> type) {
        if (input == null || !input.isObject()) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, "input must be a JSON object");
        }
        Object value;
        try {
            value = callerMapper.treeToValue(input, type);
        } catch (JsonProcessingException e) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, describe(e));
        } catch (IllegalArgumentException e) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, "input does not read as " + type.getSimpleName());
        }
        validate(value);
        return value;
    }

    /**
     * Reads an API request body into its fixed request type and validates it (Bean Validation).
     *
     * @param json the body
     * @param type one of the API's request types (never a name from the data)
     * @param <T>  the request type
     * @return the request
     * @throws EngineException INVALID_INPUT naming the field
     */
    public <T> T readRequest(String json, Class<T> type) {
        return readValidated(callerMapper, json, type);
    }

    /**
     * Reads another service's reply into the type a step asks for and validates it; fields the
     * type does not have are ignored, everything else is as strict as a caller's input.
     *
     * @param json the reply body
     * @param type the type the step's code names
     * @param <T>  that type
     * @return the reply
     * @throws EngineException INVALID_INPUT naming the field
     */
    public <T> T readReply(String json, Class<T> type) {
        return readValidated(replyMapper, json, type);
    }

    private <T> T readValidated(ObjectMapper reader, String json, Class<T> type) {
        requireWellFormedText(reader, json);
        T value;
        try {
            value = reader.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, describe(e));
        }
        if (value == null) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, "the body must be a JSON object");
        }
        validate(value);
        return value;
    }

    /**
     * Refuses JSON from outside with a string or field name the database would not store as sent
     * ({@link UnstorableText}: an unpaired UTF-16 surrogate, U+0000), before anything is bound.
     *
     * @throws EngineException INVALID_INPUT naming where, or describing why the JSON is malformed
     */
    private static void requireWellFormedText(ObjectMapper reader, String json) {
        Optional<UnstorableText.Found> found;
        try (JsonParser parser = reader.createParser(json)) {
            found = UnstorableText.first(parser);
        } catch (JsonProcessingException e) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from a string failed", e);
        }
        if (found.isPresent()) {
            String at = found.get().pointer();
            throw new EngineException(EngineException.Problem.INVALID_INPUT, "text"
                    + (at.isEmpty() ? "" : " at '" + shown(at) + "'") + " holds " + found.get().why());
        }
    }

    /**
     * @param state a state object
     * @throws EngineException INVALID_INPUT listing every violated constraint by field
     */
    public void validate(Object state) {
        Set<ConstraintViolation<Object>> violations = validator.validate(state);
        if (!violations.isEmpty()) {
            String message = violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> v.getPropertyPath() + ": " + v.getMessage())
                    .collect(Collectors.joining("; "));
            throw new EngineException(EngineException.Problem.INVALID_INPUT, message);
        }
    }

    /**
     * @param state a state object
     * @return its JSON
     * @throws EngineException STATE_TOO_LARGE when over the cap
     */
    public String writeState(Object state) {
        String json = write(state);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxStateBytes) {
            throw new EngineException(EngineException.Problem.STATE_TOO_LARGE,
                    "state is " + bytes + " bytes, over the limit of " + maxStateBytes);
        }
        return json;
    }

    /**
     * @param json stored state
     * @param type the type the registry names
     * @return a fresh state object (a step may change it freely)
     */
    public Object readState(String json, Class<?> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored state does not match the flow's state type: " + describe(e));
        }
    }

    /**
     * @param json an agent's answer or other JSON object
     * @return it as maps, lists and scalars
     * @throws EngineException INVALID_INPUT when it is not a well-formed object
     */
    public Map<String, Object> readObject(String json) {
        requireWellFormedText(callerMapper, json);
        try {
            Map<String, Object> map = callerMapper.readValue(json, new TypeReference<Map<String, Object>>() { });
            if (map == null) {
                throw new EngineException(EngineException.Problem.INVALID_INPUT, "must be a JSON object");
            }
            return map;
        } catch (JsonProcessingException e) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, describe(e));
        }
    }

    /**
     * @param json stored JSON of any shape (an ask's payload)
     * @return it as maps, lists and scalars
     */
    public Object readAny(String json) {
        try {
            return mapper.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + describe(e));
        }
    }

    /**
     * @param value any JSON-mappable value
     * @return its JSON
     */
    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * @param json stored bookkeeping
     * @return it
     */
    public Progress readProgress(String json) {
        try {
            return mapper.readValue(json, Progress.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored progress is unreadable: " + describe(e));
        }
    }

    /** A message about a JSON problem that names the field and the kind of problem, not a class. */
    /** A caller's field name as it may appear in an error: printable ASCII, at most 64 characters. */
    static String shown(String name) {
        String printable = String.valueOf(name).replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
    }

    static String describe(JsonProcessingException e) {
        String at = e instanceof MismatchedInputException m ? path(m) : "";
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + shown(u.getPropertyName()) + "'" + at;
        }
        if (e instanceof StreamConstraintsException || e.getCause() instanceof StreamConstraintsException) {
            return "input exceeds a size limit (nesting depth " + MAX_DEPTH + ", number length " + MAX_NUMBER_LENGTH
                    + ", string length " + MAX_INPUT_STRING_LENGTH + ")";
        }
        if (e instanceof InputCoercionException) {
            return "number out of range";
        }
        if (e instanceof InvalidFormatException) {
            return "value has the wrong format" + at;
        }
        if (e instanceof MismatchedInputException) {
            return "value has the wrong type or is missing" + at;
        }
        return "malformed JSON";
    }

    private static String path(MismatchedInputException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "" : " at '" + shown(path) + "'";
    }
}
