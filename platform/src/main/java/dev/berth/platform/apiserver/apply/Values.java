package dev.berth.platform.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The total order of JSON values structured-merge-diff's {@code value.Compare} defines: numbers (integers and floats
 * compared numerically), then strings, booleans, lists, maps, null. Equality of values in this order is what
 * ownership and conflicts compare: {@code 1} and {@code 1.0} are the same value. Stateless.
 */
final class Values {

    static final ObjectMapper JSON = new ObjectMapper();

    private Values() {
    }

    static boolean equal(JsonNode a, JsonNode b) {
        return compare(a, b) == 0;
    }

    static int compare(JsonNode a, JsonNode b) {
        int rank = Integer.compare(rank(a), rank(b));
        if (rank != 0) {
            return rank;
        }
        if (a.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        if (a.isTextual()) {
            return a.textValue().compareTo(b.textValue());
        }
        if (a.isBoolean()) {
            return Boolean.compare(a.booleanValue(), b.booleanValue());
        }
        if (a.isArray()) {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                int c = compare(a.get(i), b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a.size(), b.size());
        }
        if (a.isObject()) {
            List<String> names = sortedNames(a);
            List<String> otherNames = sortedNames(b);
            for (int i = 0; i < Math.min(names.size(), otherNames.size()); i++) {
                int c = names.get(i).compareTo(otherNames.get(i));
                if (c == 0) {
                    c = compare(a.get(names.get(i)), b.get(names.get(i)));
                }
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(names.size(), otherNames.size());
        }
        return 0;
    }

    private static int rank(JsonNode v) {
        if (v.isNumber()) {
            return 0;
        }
        if (v.isTextual()) {
            return 1;
        }
        if (v.isBoolean()) {
            return 2;
        }
        if (v.isArray()) {
            return 3;
        }
        if (v.isObject()) {
            return 4;
        }
        return 5;
    }

    private static List<String> sortedNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        names.sort(null);
        return names;
    }

    /** A value as conflict messages print it: strings quoted, everything else as JSON. */
    static String toText(JsonNode v) {
        return v.toString();
    }
}
