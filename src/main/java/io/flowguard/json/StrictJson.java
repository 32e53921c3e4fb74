package io.flowguard.json;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * Reads JSON from outside into the types Flowguard names, and reads and writes stored JSON.
 *
 * <p>Security: JSON carries no type information and is only ever read into a type chosen by the
 * registry (never by the data), so no polymorphic deserialization is possible. Reading is strict
 * (unknown fields, wrong types, trailing data and coercions are errors, and so is text holding an
 * unpaired UTF-16 surrogate or U+0000) and bounded (nesting depth, string and number length). Error messages
 * name the field, never a Java class.
 */
public final class StrictJson {

    /** Deepest JSON nesting accepted anywhere. */
    public static final int MAX_DEPTH = 32;
    /** Longest string accepted in a caller's JSON (inputs, requests, answers), in characters. */
    public static final int MAX_INPUT_STRING_LENGTH = 262_144;
    /** Longest number literal accepted (digits). */
    public static final int MAX_NUMBER_LENGTH = 64;
    /** Longest string in JSON Flowguard stored itself (the hard cap on a state), in characters. */
    public static final int MAX_STORED_STRING_LENGTH = 1_048_576;

    private final ObjectMapper mapper;
    private final ObjectMapper callerMapper;
    private final ObjectMapper replyMapper;
    private final Validator validator;

    /** Builds the mappers and the validator (once per engine or API: both are thread-safe). */
    public StrictJson() {
        this.mapper = mapper(MAX_STORED_STRING_LENGTH);
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
     * Reads a caller's input (a start's input, an agent's answer) into the type named for it and
     * validates it.
     *
     * @param json the input
     * @param type the flow's input record or an asking step's answer type
     * @return the value
     * @throws JsonRefused naming the field
     */
    public Object readInput(String json, Class<?> type) {
        return readValidated(callerMapper, json, type, "input must be a JSON object");
    }

    /**
     * Reads a caller's input already parsed (strictly, by {@link #readRequest}) into the type the
     * registry names for it and validates it.
     *
     * @param input the input, a JSON object
     * @param type  the flow's input record
     * @return the value
     * @throws JsonRefused naming the field
     */
    public Object readInput(com.fasterxml.jackson.databind.JsonNode input, Class<?> type) {
        if (input == null || !input.isObject()) {
            throw new JsonRefused("input must be a JSON object");
        }
        Object value;
        try {
            value = callerMapper.treeToValue(input, type);
        } catch (JsonProcessingException e) {
            throw new JsonRefused(describe(e));
        } catch (IllegalArgumentException e) {
            throw new JsonRefused("input does not read as " + type.getSimpleName());
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
     * @throws JsonRefused naming the field
     */
    public <T> T readRequest(String json, Class<T> type) {
        return readValidated(callerMapper, json, type, "the body must be a JSON object");
    }

    /**
     * Reads another service's reply into the type a step asks for and validates it; fields the
     * type does not have are ignored, everything else is as strict as a caller's input.
     *
     * @param json the reply body
     * @param type the type the step's code names
     * @param <T>  that type
     * @return the reply
     * @throws JsonRefused naming the field
     */
    public <T> T readReply(String json, Class<T> type) {
        return readValidated(replyMapper, json, type, "the body must be a JSON object");
    }

    private <T> T readValidated(ObjectMapper reader, String json, Class<T> type, String notAnObject) {
        requireWellFormedText(reader, json);
        T value;
        try {
            value = reader.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new JsonRefused(describe(e));
        }
        if (value == null) {
            throw new JsonRefused(notAnObject);
        }
        validate(value);
        return value;
    }

    /**
     * Refuses JSON from outside with a string or field name the database would not store as sent
     * ({@link UnstorableText}: an unpaired UTF-16 surrogate, U+0000), before anything is bound.
     *
     * @throws JsonRefused naming where, or describing why the JSON is malformed
     */
    private static void requireWellFormedText(ObjectMapper reader, String json) {
        Optional<UnstorableText.Found> found;
        try (JsonParser parser = reader.createParser(json)) {
            found = UnstorableText.first(parser);
        } catch (JsonProcessingException e) {
            throw new JsonRefused(describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from a string failed", e);
        }
        if (found.isPresent()) {
            String at = found.get().pointer();
            throw new JsonRefused("text"
                    + (at.isEmpty() ? "" : " at '" + shown(at) + "'") + " holds " + found.get().why());
        }
    }

    /**
     * @param state a state object
     * @throws JsonRefused listing every violated constraint by field
     */
    public void validate(Object state) {
        Set<ConstraintViolation<Object>> violations = validator.validate(state);
        if (!violations.isEmpty()) {
            String message = violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> v.getPropertyPath() + ": " + v.getMessage())
                    .collect(Collectors.joining("; "));
            throw new JsonRefused(message);
        }
    }

    /**
     * @param json JSON Flowguard stored
     * @param type the type it was written from
     * @param what what it is, for the message when it does not read
     * @param <T>  that type
     * @return a fresh value
     * @throws IllegalStateException when the stored JSON does not read as the type (a bug or a changed type)
     */
    public <T> T readStored(String json, Class<T> type, String what) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " does not read as " + type.getSimpleName() + ": " + describe(e));
        }
    }

    /**
     * @param json an agent's answer or other JSON object
     * @return it as maps, lists and scalars
     * @throws JsonRefused when it is not a well-formed object
     */
    public Map<String, Object> readObject(String json) {
        requireWellFormedText(callerMapper, json);
        try {
            Map<String, Object> map = callerMapper.readValue(json, new TypeReference<Map<String, Object>>() { });
            if (map == null) {
                throw new JsonRefused("must be a JSON object");
            }
            return map;
        } catch (JsonProcessingException e) {
            throw new JsonRefused(describe(e));
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
     * @param name a caller's name (a field, a service)
     * @return it as it may appear in an error: printable ASCII, at most 64 characters
     */
    public static String shown(String name) {
        String printable = String.valueOf(name).replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
    }

    /** A message about a JSON problem that names the field and the kind of problem, not a class. */
    private static String describe(JsonProcessingException e) {
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
