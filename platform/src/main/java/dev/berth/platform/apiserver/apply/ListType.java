package dev.berth.platform.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How apply treats a list, as OpenAPI's {@code x-kubernetes-list-type}: replaced whole ({@code atomic}), merged as a
 * set of scalars ({@code set}) or merged item by item by key fields ({@code map} with
 * {@code x-kubernetes-list-map-keys}), where a key field the item omits takes its schema default (a port's
 * {@code protocol} is {@code TCP}). Immutable.
 */
public record ListType(Kind kind, List<String> keys, Map<String, JsonNode> keyDefaults) {

    public enum Kind { ATOMIC, SET, MAP }

    public static final ListType ATOMIC = new ListType(Kind.ATOMIC, List.of(), Map.of());
    public static final ListType SET = new ListType(Kind.SET, List.of(), Map.of());

    public ListType {
        Objects.requireNonNull(kind, "kind");
        keys = List.copyOf(keys);
        keyDefaults = Map.copyOf(keyDefaults);
        if ((kind == Kind.MAP) == keys.isEmpty()) {
            throw new IllegalArgumentException("a map list has keys, no other list has");
        }
    }

    public static ListType map(String... keys) {
        return new ListType(Kind.MAP, List.of(keys), Map.of());
    }

    public ListType withDefault(String key, JsonNode value) {
        Map<String, JsonNode> defaults = new java.util.HashMap<>(keyDefaults);
        defaults.put(key, value);
        return new ListType(kind, keys, defaults);
    }
}
