package dev.berth.platform.apiserver.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One step of a path into an object, as structured-merge-diff's {@code fieldpath.PathElement}: a field of a map, an
 * item of an associative list by its key fields, an item of a set list by its value, or an item of any other list by
 * its index. Ordered as upstream orders them (fields, then keys, then values, then indexes), which is the order of
 * FieldsV1 documents. Immutable.
 */
public sealed interface PathElement extends Comparable<PathElement> {

    /** The FieldsV1 key of this element: {@code f:name}, {@code k:{"name":"x"}}, {@code v:"x"}, {@code i:0}. */
    String serialize();

    /** A field of a map or struct. */
    record Field(String name) implements PathElement {
        public Field {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String serialize() {
            return "f:" + name;
        }

        @Override
        public String toString() {
            return "." + name;
        }
    }

    /** An item of an associative list; {@code fields} in the order of the key (sorted by name when built from an item). */
    record Key(List<KeyField> fields) implements PathElement {
        public Key {
            fields = List.copyOf(fields);
        }

        @Override
        public String serialize() {
            ObjectNode key = Values.JSON.createObjectNode();
            fields.forEach(f -> key.set(f.name(), f.value()));
            return "k:" + key;
        }

        @Override
        public String toString() {
            return fields.stream().map(f -> f.name() + "=" + Values.toText(f.value())).collect(Collectors.joining(",", "[", "]"));
        }
    }

    /** One key field of an associative list item: its name and value. */
    record KeyField(String name, JsonNode value) {
        public KeyField {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KeyField k && k.name.equals(name) && Values.compare(k.value, value) == 0;
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }

    /** An item of a set list, by its value. */
    record Value(JsonNode value) implements PathElement {
        public Value {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String serialize() {
            return "v:" + value;
        }

        @Override
        public String toString() {
            return "[=" + Values.toText(value) + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Value v && Values.compare(v.value, value) == 0;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** An item of a list that is neither associative nor a set, by its position. */
    record Index(int index) implements PathElement {
        @Override
        public String serialize() {
            return "i:" + index;
        }

        @Override
        public String toString() {
            return "[" + index + "]";
        }
    }

    @Override
    default int compareTo(PathElement other) {
        int rank = Integer.compare(rank(this), rank(other));
        if (rank != 0) {
            return rank;
        }
        if (this instanceof Field f) {
            return f.name().compareTo(((Field) other).name());
        }
        if (this instanceof Key k) {
            return compareKeys(k.fields(), ((Key) other).fields());
        }
        if (this instanceof Value v) {
            return Values.compare(v.value(), ((Value) other).value());
        }
        return Integer.compare(((Index) this).index(), ((Index) other).index());
    }

    private static int rank(PathElement e) {
        return e instanceof Field ? 0 : e instanceof Key ? 1 : e instanceof Value ? 2 : 3;
    }

    private static int compareKeys(List<KeyField> a, List<KeyField> b) {
        for (int i = 0; ; i++) {
            if (i >= a.size() || i >= b.size()) {
                return Integer.compare(a.size(), b.size());
            }
            int c = a.get(i).name().compareTo(b.get(i).name());
            if (c == 0) {
                c = Values.compare(a.get(i).value(), b.get(i).value());
            }
            if (c != 0) {
                return c;
            }
        }
    }

    /** The key of an associative list item: its key fields sorted by name. */
    static Key key(Map<String, JsonNode> fields) {
        List<KeyField> sorted = new ArrayList<>();
        fields.forEach((name, value) -> sorted.add(new KeyField(name, value)));
        sorted.sort(Comparator.comparing(KeyField::name));
        return new Key(sorted);
    }

    /**
     * Reads a FieldsV1 key.
     *
     * @throws IllegalArgumentException on an unknown prefix ({@link UnknownElementException}, which readers of
     *         FieldsV1 skip as upstream does) or malformed content
     */
    static PathElement parse(String text) {
        int colon = text.indexOf(':');
        if (colon != 1) {
            throw new IllegalArgumentException("a path element needs a one-letter type and a colon: " + text);
        }
        String content = text.substring(2);
        return switch (text.charAt(0)) {
            case 'f' -> new Field(content);
            case 'k' -> {
                JsonNode key = json(content);
                if (key.isNull()) {
                    yield new Key(List.of());
                }
                if (!key.isObject()) {
                    throw new IllegalArgumentException("a key element is a JSON object: " + text);
                }
                List<KeyField> fields = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    fields.add(new KeyField(f.getKey(), f.getValue()));
                }
                yield new Key(fields);
            }
            case 'v' -> new Value(json(content));
            case 'i' -> {
                if (!content.matches("-?[0-9]+")) {
                    throw new IllegalArgumentException("an index element is an integer: " + text);
                }
                yield new Index(Integer.parseInt(content));
            }
            default -> throw new UnknownElementException(text);
        };
    }

    private static JsonNode json(String content) {
        try (var parser = Values.JSON.createParser(content)) {
            JsonNode node = Values.JSON.readTree(parser);
            if (node == null || node.isMissingNode() || parser.nextToken() != null) {
                throw new IllegalArgumentException("not one JSON value: " + content);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + content, e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A FieldsV1 key of a type this version does not know ({@code r:...}): skipped, as upstream skips it. */
    final class UnknownElementException extends IllegalArgumentException {
        UnknownElementException(String text) {
            super("unknown path element type: " + text);
        }
    }
}
