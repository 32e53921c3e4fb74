package io.flowguard.schema;

import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;

/**
 * Which types' constraints Bean Validation checks when it validates a value: the value's own
 * type, and the types it reaches from there through fields marked {@code @Valid} (on the field,
 * or on a list's, array's or map value's item type: {@code List<@Valid Item>}). A nested record
 * without {@code @Valid} is read but its constraints are not checked, so its schema must not
 * claim them.
 */
final class Cascade {

    private Cascade() {
    }

    /**
     * @param root the type Bean Validation is given a value of
     * @return the root and every type reached from it through {@code @Valid}
     */
    static Set<Class<?>> validatedFrom(Class<?> root) {
        Set<Class<?>> validated = new HashSet<>();
        Deque<Class<?>> next = new ArrayDeque<>();
        validated.add(root);
        next.add(root);
        while (!next.isEmpty()) {
            for (Class<?> type = next.poll(); type != null && type != Object.class && type != Record.class;
                 type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    for (Class<?> reached : cascadedTypes(field.getAnnotatedType(), field.isAnnotationPresent(Valid.class))) {
                        if (validated.add(reached)) {
                            next.add(reached);
                        }
                    }
                }
            }
        }
        return validated;
    }

    /** The object types a value of this declared type holds that validation cascades into. */
    private static Set<Class<?>> cascadedTypes(AnnotatedType declared, boolean valid) {
        Set<Class<?>> reached = new HashSet<>();
        boolean cascades = valid || declared.isAnnotationPresent(Valid.class);
        Class<?> raw = raw(declared.getType());
        if (declared instanceof AnnotatedArrayType array) {
            reached.addAll(cascadedTypes(array.getAnnotatedGenericComponentType(), cascades));
        } else if (declared instanceof AnnotatedParameterizedType parameterized && raw != null
                && (Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw))) {
            AnnotatedType[] arguments = parameterized.getAnnotatedActualTypeArguments();
            // @Valid on the container itself cascades to its items (a list's, a map's values), as Hibernate Validator does
            reached.addAll(cascadedTypes(arguments[arguments.length - 1], cascades));
        } else if (cascades && raw != null && describable(raw)) {
            reached.add(raw);
        }
        return reached;
    }

    /** A type of the flow author's with fields of its own (not a JDK type, an enum or a primitive). */
    private static boolean describable(Class<?> type) {
        return !type.isPrimitive() && !type.isEnum() && !type.isArray()
                && !type.getPackageName().startsWith("java.") && !type.getPackageName().startsWith("javax.");
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return null;
    }
}
