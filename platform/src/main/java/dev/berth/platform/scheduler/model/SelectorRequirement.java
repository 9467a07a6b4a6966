package dev.berth.platform.scheduler.model;

import java.util.List;
import java.util.Objects;

/**
 * One {@code key operator values} requirement of a label selector or node selector term. Semantics are
 * Kubernetes': {@code NotIn} and {@code DoesNotExist} match an absent key; {@code Gt}/{@code Lt} compare
 * a label's value as an integer and never match an absent or non-integer value.
 */
public record SelectorRequirement(String key, SelectorOperator operator, List<String> values) {

    public SelectorRequirement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operator, "operator");
        values = values == null ? List.of() : List.copyOf(values);
        switch (operator) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    throw new IllegalArgumentException(operator.kubernetesName() + " on '" + key + "' needs at least one value");
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    throw new IllegalArgumentException(operator.kubernetesName() + " on '" + key + "' takes no values");
                }
            }
            case GT, LT -> {
                if (values.size() != 1) {
                    throw new IllegalArgumentException(operator.kubernetesName() + " on '" + key + "' needs exactly one value");
                }
                Long.parseLong(values.get(0));
            }
        }
    }

    public static SelectorRequirement in(String key, String... values) {
        return new SelectorRequirement(key, SelectorOperator.IN, List.of(values));
    }

    public static SelectorRequirement notIn(String key, String... values) {
        return new SelectorRequirement(key, SelectorOperator.NOT_IN, List.of(values));
    }

    public static SelectorRequirement exists(String key) {
        return new SelectorRequirement(key, SelectorOperator.EXISTS, List.of());
    }

    public static SelectorRequirement doesNotExist(String key) {
        return new SelectorRequirement(key, SelectorOperator.DOES_NOT_EXIST, List.of());
    }

    public static SelectorRequirement gt(String key, long value) {
        return new SelectorRequirement(key, SelectorOperator.GT, List.of(Long.toString(value)));
    }

    public static SelectorRequirement lt(String key, long value) {
        return new SelectorRequirement(key, SelectorOperator.LT, List.of(Long.toString(value)));
    }

    /** Whether a label (or field) whose value is {@code actual} — {@code null} when absent — satisfies this requirement. */
    public boolean matchesValue(String actual) {
        return switch (operator) {
            case IN -> actual != null && values.contains(actual);
            case NOT_IN -> actual == null || !values.contains(actual);
            case EXISTS -> actual != null;
            case DOES_NOT_EXIST -> actual == null;
            case GT, LT -> compareAsIntegers(actual);
        };
    }

    private boolean compareAsIntegers(String actual) {
        if (actual == null) {
            return false;
        }
        long left;
        try {
            left = Long.parseLong(actual);
        } catch (NumberFormatException notAnInteger) {
            return false;
        }
        long right = Long.parseLong(values.get(0));
        return operator == SelectorOperator.GT ? left > right : left < right;
    }
}
