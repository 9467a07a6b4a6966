package dev.berth.platform.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * structured-merge-diff's walks over typed values ({@code typed/tofieldset.go}, {@code compare.go}, {@code merge.go},
 * {@code remove.go}) over Jackson trees: the fields an object sets, what changed between two objects, the merge of
 * an applied configuration into an object, and an object without some fields. A JSON {@code null} counts as absent
 * except in an applied configuration, where it owns the field and removes it. Pure; the arguments are never modified.
 */
final class TypedObjects {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TypedObjects() {
    }

    /** What changed from one object to another: each path in at most one of the three. */
    record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {
        FieldSet changed() {
            return added.union(modified);
        }
    }

    /** The path element of a list item: its key fields for a map list, its value for a set, else its index. */
    static PathElement itemElement(JsonNode item, int index, ListType list) {
        switch (list.kind()) {
            case SET:
                return new PathElement.Value(item);
            case MAP:
                if (!item.isObject()) {
                    throw new IllegalArgumentException("an associative list with keys " + list.keys() + " has an element that is not an object");
                }
                Map<String, JsonNode> key = new LinkedHashMap<>();
                for (String k : list.keys()) {
                    JsonNode v = item.get(k);
                    if (v == null || v.isNull()) {
                        v = list.keyDefaults().get(k);
                    }
                    if (v == null) {
                        throw new IllegalArgumentException("an associative list with keys " + list.keys()
                                + " has an element that omits key field \"" + k + "\" (and doesn't have default value)");
                    }
                    key.put(k, v);
                }
                return PathElement.key(key);
            default:
                return new PathElement.Index(index);
        }
    }

    /** The paths an object sets, as an applier owns them: leaves, list items, atomic values, empty or null fields. */
    static FieldSet fieldSet(JsonNode value, ApplySchema.Type type) {
        FieldSet set = new FieldSet();
        collect(value, type, new FieldPath(List.of()), set);
        return set;
    }

    private static void collect(JsonNode value, ApplySchema.Type type, FieldPath path, FieldSet set) {
        if (value.isObject()) {
            if (type.atomicMap()) {
                set.insert(path);
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                FieldPath child = path.child(new PathElement.Field(f.getKey()));
                JsonNode v = f.getValue();
                collect(v, type.field(f.getKey()), child, set);
                if (v.isNull() || (v.isObject() && v.size() == 0) || !type.declares(f.getKey())) {
                    set.insert(child);
                }
            }
        } else if (value.isArray()) {
            ListType list = type.list();
            if (list.kind() == ListType.Kind.ATOMIC) {
                set.insert(path);
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                FieldPath child = path.child(itemElement(value.get(i), i, list));
                collect(value.get(i), type.element(), child, set);
                set.insert(child);
            }
        } else {
            set.insert(path);
        }
    }

    /**
     * What changed from {@code lhs} to {@code rhs} ({@code null}: no object). A JSON {@code null} is a value, as in
     * upstream's zero objects ({@code containers: null}): a list that replaces it is not added, its items are.
     */
    static Comparison compare(JsonNode lhs, JsonNode rhs, ApplySchema.Type type) {
        Comparison c = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        compare(lhs, rhs, type, new FieldPath(List.of()), c);
        return c;
    }

    private static void compare(JsonNode lhs, JsonNode rhs, ApplySchema.Type type, FieldPath path, Comparison c) {
        if (lhs == null && rhs == null) {
            return;
        }
        JsonNode shape = lhs != null && !lhs.isNull() ? lhs : rhs != null && !rhs.isNull() ? rhs : NODES.nullNode();
        boolean leaf;
        if (shape.isObject() && fits(lhs, shape) && fits(rhs, shape)) {
            leaf = compareMaps(lhs, rhs, type, path, c);
        } else if (shape.isArray() && fits(lhs, shape) && fits(rhs, shape)) {
            leaf = compareLists(lhs, rhs, type, path, c);
        } else {
            leaf = true;
            leaf(lhs, rhs, path, c);
        }
        if (!leaf) {
            if (lhs == null) {
                c.added().insert(path);
            } else if (rhs == null) {
                c.removed().insert(path);
            }
        }
    }

    /** Whether a side is absent, null, or of the shape of the other: a map or list compared item by item. */
    private static boolean fits(JsonNode side, JsonNode shape) {
        return side == null || side.isNull() || side.getNodeType() == shape.getNodeType();
    }

    private static void leaf(JsonNode lhs, JsonNode rhs, FieldPath path, Comparison c) {
        if (lhs == null) {
            c.added().insert(path);
        } else if (rhs == null) {
            c.removed().insert(path);
        } else if (!Values.equal(lhs, rhs)) {
            c.modified().insert(path);
        }
    }

    /** @return whether the map was compared as one leaf */
    private static boolean compareMaps(JsonNode lhs, JsonNode rhs, ApplySchema.Type type, FieldPath path, Comparison c) {
        if (size(lhs) == 0 && size(rhs) == 0) {
            return false;
        }
        if (type.atomicMap()) {
            leaf(lhs, rhs, path, c);
            return true;
        }
        Set<String> names = new LinkedHashSet<>();
        if (lhs != null) {
            lhs.fieldNames().forEachRemaining(names::add);
        }
        if (rhs != null) {
            rhs.fieldNames().forEachRemaining(names::add);
        }
        for (String name : names) {
            compare(lhs == null ? null : lhs.get(name), rhs == null ? null : rhs.get(name),
                    type.field(name), path.child(new PathElement.Field(name)), c);
        }
        return false;
    }

    private static boolean compareLists(JsonNode lhs, JsonNode rhs, ApplySchema.Type type, FieldPath path, Comparison c) {
        if (size(lhs) == 0 && size(rhs) == 0) {
            return false;
        }
        ListType list = type.list();
        if (list.kind() == ListType.Kind.ATOMIC) {
            leaf(lhs, rhs, path, c);
            return true;
        }
        Map<PathElement, JsonNode> left = items(lhs, list);
        Map<PathElement, JsonNode> right = items(rhs, list);
        right.forEach((e, r) -> compare(left.get(e), r, type.element(), path.child(e), c));
        left.forEach((e, l) -> {
            if (!right.containsKey(e)) {
                compare(l, null, type.element(), path.child(e), c);
            }
        });
        return false;
    }

    private static int size(JsonNode v) {
        return v == null ? 0 : v.size();
    }

    /** A list's items by path element; of duplicates the last counts, as upstream's index keeps it. */
    private static Map<PathElement, JsonNode> items(JsonNode list, ListType type) {
        Map<PathElement, JsonNode> items = new java.util.TreeMap<>();
        if (list != null && list.isArray()) {
            for (int i = 0; i < list.size(); i++) {
                items.put(itemElement(list.get(i), i, type), list.get(i));
            }
        }
        return items;
    }

    /**
     * The applied configuration merged into the live object: the configuration's values win, maps and non-atomic
     * lists merge item by item, live items the configuration lacks keep their place.
     */
    static JsonNode merge(JsonNode live, JsonNode config, ApplySchema.Type type) {
        if (config == null) {
            return live;
        }
        if (live == null || live.isNull() || config.isNull()) {
            return config.deepCopy();
        }
        if (live.isObject() && config.isObject() && !type.atomicMap()) {
            ObjectNode out = ((ObjectNode) live).deepCopy();
            for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                out.set(f.getKey(), merge(live.get(f.getKey()), f.getValue(), type.field(f.getKey())));
            }
            return out;
        }
        if (live.isArray() && config.isArray() && type.list().kind() != ListType.Kind.ATOMIC) {
            return mergeLists(live, config, type);
        }
        return config.deepCopy();
    }

    /**
     * Upstream's order: the configuration's items in its order, each live item the configuration lacks kept right
     * after the items that preceded it in the live list.
     */
    private static JsonNode mergeLists(JsonNode live, JsonNode config, ApplySchema.Type type) {
        ListType list = type.list();
        List<PathElement> left = new ArrayList<>();
        List<PathElement> right = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            left.add(itemElement(live.get(i), i, list));
        }
        for (int i = 0; i < config.size(); i++) {
            right.add(itemElement(config.get(i), i, list));
        }
        Map<PathElement, JsonNode> liveItems = items(live, list);
        Map<PathElement, JsonNode> configItems = items(config, list);
        List<PathElement> shared = new ArrayList<>();
        for (PathElement e : right) {
            if (liveItems.containsKey(e)) {
                shared.add(e);
            }
        }
        ArrayNode out = NODES.arrayNode();
        Set<PathElement> merged = new java.util.TreeSet<>();
        int l = 0;
        int r = 0;
        int nextShared = 0;
        while (l < left.size() || r < right.size()) {
            if (l < left.size() && r < right.size()) {
                PathElement e = left.get(l);
                if (e.equals(right.get(r))) {
                    merged.add(e);
                    add(out, merge(liveItems.get(e), configItems.get(e), type.element()));
                    l++;
                    r++;
                    nextShared++;
                    continue;
                }
                if (configItems.containsKey(e) && nextShared < shared.size() && !shared.get(nextShared).equals(e)) {
                    l++; // shared, but its turn comes with the configuration's order
                    continue;
                }
            }
            if (l < left.size()) {
                PathElement e = left.get(l);
                if (!configItems.containsKey(e)) {
                    add(out, live.get(l).deepCopy());
                    l++;
                    continue;
                } else if (merged.contains(e)) {
                    l++;
                }
            }
            if (r < right.size()) {
                PathElement e = right.get(r);
                merged.add(e);
                add(out, merge(liveItems.get(e), configItems.get(e), type.element()));
                r++;
                if (nextShared < shared.size() && shared.get(nextShared).equals(e)) {
                    nextShared++;
                }
            }
        }
        return out;
    }

    private static void add(ArrayNode out, JsonNode item) {
        if (item != null && !item.isNull()) {
            out.add(item);
        }
    }

    /** The object without the members of {@code set} (a member takes everything under it along). */
    static JsonNode remove(JsonNode value, FieldSet set, ApplySchema.Type type) {
        if (value.isObject() && !type.atomicMap()) {
            ObjectNode out = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                PathElement e = new PathElement.Field(f.getKey());
                if (set.isMember(e)) {
                    continue;
                }
                FieldSet under = set.child(e);
                out.set(f.getKey(), under.isEmpty() ? f.getValue().deepCopy() : remove(f.getValue(), under, type.field(f.getKey())));
            }
            return out;
        }
        if (value.isArray() && type.list().kind() != ListType.Kind.ATOMIC) {
            ArrayNode out = NODES.arrayNode();
            for (int i = 0; i < value.size(); i++) {
                PathElement e = itemElement(value.get(i), i, type.list());
                if (set.isMember(e)) {
                    continue;
                }
                FieldSet under = set.child(e);
                out.add(under.isEmpty() ? value.get(i).deepCopy() : remove(value.get(i), under, type.element()));
            }
            return out;
        }
        return value.deepCopy();
    }

    /** The object without JSON nulls, which the served objects never store. */
    static JsonNode withoutNulls(JsonNode value) {
        if (value.isObject()) {
            ObjectNode out = NODES.objectNode();
            value.fields().forEachRemaining(f -> {
                if (!f.getValue().isNull()) {
                    out.set(f.getKey(), withoutNulls(f.getValue()));
                }
            });
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = NODES.arrayNode();
            value.forEach(v -> out.add(withoutNulls(v)));
            return out;
        }
        return value;
    }
}
