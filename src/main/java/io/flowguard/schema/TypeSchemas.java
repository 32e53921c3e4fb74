package io.flowguard.schema;

import java.lang.annotation.Annotation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.classmate.ResolvedType;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.MemberScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.naming.SchemaDefinitionNamingStrategy;
import com.github.victools.jsonschema.generator.impl.DefinitionKey;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Negative;
import jakarta.validation.constraints.NegativeOrZero;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * The JSON Schema (Draft 2020-12) of the JSON a caller's value must be for Flowguard to read it
 * into a type: as {@code StrictJson} reads it (Jackson: the type's properties and nothing else,
 * no scalar coerced) and then validates it (Bean Validation). victools' generator with its
 * Jackson and Jakarta Validation modules derives the shape and most constraints; this class adds
 * what they leave out and the engine enforces:
 * <ul>
 * <li>objects refuse unknown fields ({@code additionalProperties: false}) and take {@code null}
 *     for any field of a reference type, unless it is {@code @NotNull}, {@code @NotBlank} or
 *     {@code @NotEmpty}, which also make it {@code required};</li>
 * <li>a field of a primitive type must be present (the engine does not default it) and never
 *     {@code null};</li>
 * <li>{@code @Pattern} matches the whole text, as Java's {@code matches()} does (a JSON Schema
 *     {@code pattern} matches anywhere unless anchored);</li>
 * <li>{@code @NotBlank} refuses text of only spaces and control characters, as Hibernate
 *     Validator's {@code trim()} sees them;</li>
 * <li>integers stay within their Java type's range ({@code int}: 32 bits, {@code long}: 64);</li>
 * <li>list items take {@code null} unless the item type is {@code @NotNull} (or
 *     {@code @NotBlank}, {@code @NotEmpty}).</li>
 * </ul>
 * Definitions shared by several properties are named {@code shape-1}, {@code shape-2}, ...: the
 * published schema names no Java class.
 */
final class TypeSchemas {

    /** Text of only what {@code String.trim()} removes: what {@code @NotBlank} refuses. */
    static final String BLANK = "^[\\u0000-\\u0020]*$";

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /**
     * @param type a record or class a caller's JSON object is read into
     * @return its JSON Schema, as a tree of maps, lists and scalars (unmodifiable)
     */
    Map<String, Object> of(Class<?> type) {
        ObjectNode schema = renumbered(generator(Cascade.validatedFrom(type)).generateSchema(type));
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) frozen(mapper.convertValue(schema, Object.class));
        return tree;
    }

    /**
     * The definitions renamed {@code shape-1}, {@code shape-2}, ... in the order they are listed
     * (the generator names more types than it ends up defining), and every reference with them.
     */
    private static ObjectNode renumbered(ObjectNode schema) {
        JsonNode definitions = schema.get("$defs");
        if (definitions == null) {
            return schema;
        }
        Map<String, String> names = new LinkedHashMap<>();
        definitions.fieldNames().forEachRemaining(name -> names.put("#/$defs/" + name, "shape-" + (names.size() + 1)));
        ObjectNode renamed = schema.objectNode();
        definitions.fields().forEachRemaining(d -> renamed.set(names.get("#/$defs/" + d.getKey()), d.getValue()));
        schema.set("$defs", renamed);
        rereference(schema, names);
        return schema;
    }

    private static void rereference(JsonNode node, Map<String, String> names) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && names.containsKey(ref.asText())) {
                object.put("$ref", "#/$defs/" + names.get(ref.asText()));
            }
        }
        node.forEach(child -> rereference(child, names));
    }

    /** A deep copy no caller can change: the schemas are built once and served to every request. */
    private static Object frozen(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, frozen(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TypeSchemas::frozen).toList();
        }
        return value;
    }

    /**
     * A generator of its own per schema: the definition names count from 1 in each, and only the
     * constraints Bean Validation checks from this root are described.
     */
    private SchemaGenerator generator(Set<Class<?>> validated) {
        Constraints constraints = new Constraints(validated);
        SchemaGeneratorConfigBuilder builder = new SchemaGeneratorConfigBuilder(mapper, SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(Option.NULLABLE_FIELDS_BY_DEFAULT, Option.NULLABLE_ARRAY_ITEMS_ALLOWED,
                        Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES,
                        Option.INLINE_NULLABLE_SCHEMAS)
                .with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED,
                        JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE, JacksonOption.FLATTENED_ENUMS_FROM_JSONPROPERTY))
                .with(constraints);
        builder.forFields()
                .withRequiredCheck(field -> field.getType().isPrimitive())
                .withNullableCheck(constraints::nullableItem)
                .withStringPatternResolver(constraints::wholeTextPattern)
                .withNumberInclusiveMinimumResolver(constraints::lowestOfType)
                .withNumberInclusiveMaximumResolver(constraints::highestOfType)
                .withInstanceAttributeOverride(constraints::notBlankOrEmail);
        builder.forTypesInGeneral().withCustomDefinitionProvider(TypeSchemas::time)
                .withDefinitionNamingStrategy(new NeutralNames());
        return new SchemaGenerator(builder.build());
    }

    /**
     * Dates and instants as Jackson's JavaTimeModule reads them, which is more than their ISO
     * text: an instant also as a number of seconds since 1970 (a fraction for nanoseconds), a
     * date also as an array {@code [year, month, day]}. Other java.time types keep the
     * generator's description (their ISO text).
     */
    private static CustomDefinition time(ResolvedType type, SchemaGenerationContext context) {
        Class<?> raw = type.getErasedType();
        ObjectNode schema = context.getGeneratorConfig().createObjectNode();
        if (raw == Instant.class || raw == OffsetDateTime.class || raw == ZonedDateTime.class) {
            ArrayNode anyOf = schema.putArray("anyOf");
            anyOf.addObject().put("type", "string").put("format", "date-time");
            anyOf.addObject().put("type", "number").put("minimum", Instant.MIN.getEpochSecond())
                    .put("maximum", Instant.MAX.getEpochSecond());
        } else if (raw == LocalDate.class) {
            ArrayNode anyOf = schema.putArray("anyOf");
            anyOf.addObject().put("type", "string").put("format", "date");
            ObjectNode array = anyOf.addObject().put("type", "array").put("minItems", 3).put("items", false);
            ArrayNode parts = array.putArray("prefixItems");
            parts.addObject().put("type", "integer").put("minimum", Year.MIN_VALUE).put("maximum", Year.MAX_VALUE);
            parts.addObject().put("type", "integer").put("minimum", 1).put("maximum", 12);
            parts.addObject().put("type", "integer").put("minimum", 1).put("maximum", 31);
        } else {
            return null;
        }
        return new CustomDefinition(schema, CustomDefinition.DefinitionType.INLINE, CustomDefinition.AttributeInclusion.YES);
    }

    /**
     * victools' Jakarta Validation module, and the rules it lacks, limited to the types whose
     * constraints Bean Validation checks from the root ({@link Cascade}): a nested record that is
     * not {@code @Valid} is read, never validated.
     */
    private static final class Constraints extends JakartaValidationModule {

        private final Set<Class<?>> validated;

        Constraints(Set<Class<?>> validated) {
            super(JakartaValidationOption.NOT_NULLABLE_FIELD_IS_REQUIRED);
            this.validated = validated;
        }

        private boolean checked(MemberScope<?, ?> member) {
            return validated.contains(member.getDeclaringType().getErasedType());
        }

        @Override
        protected <A extends Annotation> A getAnnotationFromFieldOrGetter(MemberScope<?, ?> member, Class<A> type,
                                                                          Function<A, Class<?>[]> groups) {
            return checked(member) ? super.getAnnotationFromFieldOrGetter(member, type, groups) : null;
        }

        /** List items are nullable unless their checked type says otherwise: Jackson reads {@code [null]}. */
        Boolean nullableItem(FieldScope field) {
            if (!field.isFakeContainerItemScope() || field.getType().isPrimitive()) {
                return null;
            }
            boolean notNull = annotation(field, NotNull.class) != null || annotation(field, NotBlank.class) != null
                    || annotation(field, NotEmpty.class) != null;
            return notNull ? null : Boolean.TRUE;
        }

        /** {@code @Pattern} (and {@code @Email(regexp)}) hold for the whole text, not for a part of it. */
        String wholeTextPattern(FieldScope field) {
            if (!field.getType().isInstanceOf(CharSequence.class)) {
                return null;
            }
            Pattern pattern = annotation(field, Pattern.class);
            if (pattern != null) {
                return "^(?:" + pattern.regexp() + ")$";
            }
            Email email = annotation(field, Email.class);
            return email != null && !".*".equals(email.regexp()) ? "^(?:" + email.regexp() + ")$" : null;
        }

        /** Not the module's {@code format: email} alone: Hibernate Validator takes an empty text as an address. */
        @Override
        protected String resolveStringFormat(MemberScope<?, ?> member) {
            return annotation(member, Email.class) != null ? null : super.resolveStringFormat(member);
        }

        /**
         * {@code @NotBlank}: at least one character that {@code trim()} keeps. {@code @Email}: an
         * address, or the empty text.
         */
        void notBlankOrEmail(ObjectNode attributes, FieldScope field, SchemaGenerationContext context) {
            if (annotation(field, NotBlank.class) != null) {
                attributes.putObject("not").put("pattern", BLANK);
            }
            if (field.getType().isInstanceOf(CharSequence.class) && annotation(field, Email.class) != null) {
                ArrayNode either = attributes.putArray("anyOf");
                either.addObject().put("maxLength", 0);
                either.addObject().put("format", "email");
            }
        }

        /** The lowest value of an integer field's Java type, unless a constraint already bounds it higher. */
        BigDecimal lowestOfType(FieldScope field) {
            Range range = Range.of(field.getType().getErasedType());
            if (range == null || annotation(field, Min.class) != null || annotation(field, DecimalMin.class) != null
                    || annotation(field, Positive.class) != null || annotation(field, PositiveOrZero.class) != null) {
                return null;
            }
            return range.lowest();
        }

        /** The highest value of an integer field's Java type, unless a constraint already bounds it lower. */
        BigDecimal highestOfType(FieldScope field) {
            Range range = Range.of(field.getType().getErasedType());
            if (range == null || annotation(field, Max.class) != null || annotation(field, DecimalMax.class) != null
                    || annotation(field, Negative.class) != null || annotation(field, NegativeOrZero.class) != null) {
                return null;
            }
            return range.highest();
        }

        /**
         * A constraint on the field (or getter), or on the list item when the scope is the item's;
         * none when Bean Validation does not check the field's type from this root.
         */
        private <A extends Annotation> A annotation(MemberScope<?, ?> member, Class<A> type) {
            if (!checked(member)) {
                return null;
            }
            return member.isFakeContainerItemScope()
                    ? member.getContainerItemAnnotationConsideringFieldAndGetterIfSupported(type)
                    : member.getAnnotationConsideringFieldAndGetterIfSupported(type);
        }
    }

    /** The values Jackson reads into an integer type without "number out of range". */
    private record Range(BigDecimal lowest, BigDecimal highest) {

        static Range of(Class<?> type) {
            if (type == int.class || type == Integer.class) {
                return new Range(BigDecimal.valueOf(Integer.MIN_VALUE), BigDecimal.valueOf(Integer.MAX_VALUE));
            }
            if (type == long.class || type == Long.class) {
                return new Range(BigDecimal.valueOf(Long.MIN_VALUE), BigDecimal.valueOf(Long.MAX_VALUE));
            }
            if (type == short.class || type == Short.class) {
                return new Range(BigDecimal.valueOf(Short.MIN_VALUE), BigDecimal.valueOf(Short.MAX_VALUE));
            }
            return null;
        }
    }

    /** Definition names that say nothing of the Java types: shape-1, shape-2, ... in order of need. */
    private static final class NeutralNames implements SchemaDefinitionNamingStrategy {

        private final Map<DefinitionKey, String> names = new LinkedHashMap<>();

        @Override
        public String getDefinitionNameForKey(DefinitionKey key, SchemaGenerationContext context) {
            return names.computeIfAbsent(key, k -> "shape-" + (names.size() + 1));
        }
    }
}
