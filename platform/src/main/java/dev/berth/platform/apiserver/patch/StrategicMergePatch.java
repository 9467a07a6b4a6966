package dev.berth.platform.apiserver.patch;

import static dev.berth.platform.apiserver.patch.PatchException.badRequest;
import static dev.berth.platform.apiserver.patch.PatchException.invalid;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.platform.apiserver.patch.PatchSchema.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' strategic merge patch, applied as {@code StrategicMergeMapPatch} in k8s.io/apimachinery
 * {@code pkg/util/strategicpatch/patch.go} applies it: a JSON merge patch, except that lists the type tags
 * {@code merge} are merged element by element (objects by their merge key, primitives as a set), and that the patch
 * may carry directives — {@code $patch: replace|delete} on an object or list element, {@code $retainKeys},
 * {@code $deleteFromPrimitiveList/<list>} and {@code $setElementOrder/<list>}. Merged lists keep the order of
 * {@code $setElementOrder}, then of the patch, then of the live object, as upstream's {@code normalizeElementOrder}.
 *
 * <p>Where upstream fails on a field its Go type lacks, this merges the field as a JSON merge patch would: fabric8
 * keeps such fields as additional properties, and the REST layer's field validation is what reports them.
 * Pure and thread-safe; the inputs are not modified.
 */
final class StrategicMergePatch {

    private static final String DIRECTIVE = "$patch";
    private static final String REPLACE = "replace";
    private static final String DELETE = "delete";
    private static final String MERGE = "merge";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
    private static final String SET_ELEMENT_ORDER = "$setElementOrder";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final PatchSchema schema;

    StrategicMergePatch(PatchSchema schema) {
        this.schema = schema;
    }

    /** {@code patch} applied to {@code current}, a value of {@code type}; {@code current} may be {@code null} (none). */
    ObjectNode apply(JsonNode current, JsonNode patch, Class<?> type) {
        if (!patch.isObject()) {
            throw badRequest("a strategic merge patch must be a JSON object, not %s", PatchException.typeOf(patch));
        }
        if (current != null && !current.isObject()) {
            throw new IllegalArgumentException("the patched document must be a JSON object, not " + PatchException.typeOf(current));
        }
        ObjectNode original = current == null ? NODES.objectNode() : ((ObjectNode) current).deepCopy();
        return mergeMap(original, ((ObjectNode) patch).deepCopy(), schema.typeOf(type), "");
    }

    // original and patch are private copies from here on: both are changed in place, as upstream's maps are
    private ObjectNode mergeMap(ObjectNode original, ObjectNode patch, JavaType type, String path) {
        JsonNode directive = patch.get(DIRECTIVE);
        if (directive != null) {
            if (is(directive, REPLACE)) {
                patch.remove(DIRECTIVE);
                return patch;
            }
            if (is(directive, DELETE)) {
                return NODES.objectNode();
            }
            throw invalid("`%s`: unknown directive `$patch: %s`; an object takes `replace` or `delete`", where(path), directive);
        }
        retainKeys(original, patch, path);
        setElementOrders(original, patch, type, path);
        for (String key : names(patch)) {
            JsonNode patchValue = patch.get(key);
            boolean deleteList = key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
            String name = deleteList ? listOf(key, DELETE_FROM_PRIMITIVE_LIST, path) : key;
            if (patchValue.isNull()) {
                original.remove(name);
                continue;
            }
            JsonNode originalValue = original.get(name);
            if (originalValue == null || originalValue.getNodeType() != patchValue.getNodeType()) {
                // a deletion list only ever removes from a list
                if (!deleteList) {
                    discardNulls(patchValue);
                    put(original, name, withoutDirectives(patchValue));
                }
                continue;
            }
            Field field = schema.field(type, name);
            String fieldPath = join(path, name);
            switch (originalValue.getNodeType()) {
                case OBJECT -> original.set(name, field.replaces() ? patchValue
                        : mergeMap((ObjectNode) originalValue, (ObjectNode) patchValue, field.type(), fieldPath));
                case ARRAY -> original.set(name, field.merges() || deleteList
                        ? array(mergeList(elements(originalValue), elements(patchValue), field, deleteList, fieldPath).elements())
                        : patchValue);
                default -> original.set(name, patchValue);
            }
        }
        return original;
    }

    /** {@code $retainKeys}: the original keeps only the listed fields, and the patch may set no others. */
    private static void retainKeys(ObjectNode original, ObjectNode patch, String path) {
        JsonNode retained = patch.remove(RETAIN_KEYS);
        if (retained == null) {
            return;
        }
        if (!retained.isArray()) {
            throw badRequest("`%s`: `$retainKeys` must be a list of field names", where(path));
        }
        Set<String> keep = new HashSet<>();
        retained.forEach(name -> {
            if (name.isTextual()) {
                keep.add(name.asText());
            }
        });
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            String key = member.getKey();
            if (!member.getValue().isNull() && !key.startsWith(DELETE_FROM_PRIMITIVE_LIST) && !key.startsWith(SET_ELEMENT_ORDER)
                    && !keep.contains(key)) {
                throw badRequest("`%s`: the patch sets `%s`, which its `$retainKeys` list does not retain", where(path), key);
            }
        }
        original.retain(keep);
    }

    /**
     * {@code $setElementOrder/<list>}: merges the list (if the patch has it too) and orders the result by the
     * directive, the elements it does not name (the server's own) placed as in the live list.
     */
    private void setElementOrders(ObjectNode original, ObjectNode patch, JavaType type, String path) {
        for (String key : names(patch)) {
            if (!key.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            JsonNode order = patch.remove(key);
            String name = listOf(key, SET_ELEMENT_ORDER, path);
            String listPath = join(path, name);
            if (!order.isArray()) {
                throw invalid("`%s`: `%s` must be a list", where(path), key);
            }
            JsonNode originalList = original.get(name);
            JsonNode patchList = patch.get(name);
            if (originalList == null && patchList == null) {
                continue;
            }
            requireList(originalList, listPath, "the object's");
            requireList(patchList, listPath, "the patch's");
            Field field = schema.field(type, name);
            String mergeKey = field.mergeKey();
            List<JsonNode> orderList = elements(order);
            List<JsonNode> originalElements = originalList == null ? List.of() : elements(originalList);
            List<JsonNode> patchElements = patchList == null ? List.of() : elements(patchList);
            checkOrder(patchElements, orderList, mergeKey, listPath, key);

            MergedList merged;
            if (patchList == null) {
                merged = new MergedList(originalElements, originalElements);
            } else if (originalList == null) {
                merged = new MergedList(elements(withoutDirectives(patchList)), originalElements);
            } else if (field.merges()) {
                merged = mergeList(originalElements, patchElements, field, false, listPath);
            } else {
                merged = new MergedList(patchElements, originalElements);
            }
            List<JsonNode> items = new ArrayList<>();
            List<JsonNode> serverOnly = new ArrayList<>();
            partition(merged.elements(), orderList, mergeKey, items, serverOnly, listPath);
            boolean objects = kindOf(listPath, originalElements, patchElements) == JsonNodeType.OBJECT;
            original.set(name, array(normalizeOrder(items, serverOnly, orderList, merged.live(), mergeKey, objects, listPath)));
            patch.remove(name);
        }
    }

    /** The patch's list must name its elements in the order {@code $setElementOrder} names them, deletions aside. */
    private static void checkOrder(List<JsonNode> patchElements, List<JsonNode> order, String mergeKey, String path, String directive) {
        if (patchElements.isEmpty() || order.isEmpty()) {
            return;
        }
        List<JsonNode> kept = mergeKey.isEmpty() ? patchElements : withoutDeletions(patchElements, path);
        int p = 0;
        int o = 0;
        while (p < kept.size() && o < order.size()) {
            if (kept.get(p).has(DIRECTIVE)) {
                p++;
                continue;
            }
            if (sameKey(kept.get(p), order.get(o), mergeKey, path, "the patch's")) {
                p++;
            }
            o++;
        }
        if (p < kept.size()) {
            throw invalid("the order of the patch's list `%s` does not match its `%s` list", path, directive);
        }
    }

    /**
     * A merged list, and the live list as the {@code $setElementOrder} step then sees it. Upstream deletes elements
     * with Go's {@code append(s[:i], s[i+1:]...)} and appends the patch's new ones to the shortened slice, both in
     * the live list's backing array: the first appended elements overwrite the tail the deletions freed, and the
     * ordering step, which reads that array, places the server's elements by it. Kubernetes' own expectations
     * ("add map and delete map from merging list") depend on this, so it is reproduced.
     */
    private record MergedList(List<JsonNode> elements, List<JsonNode> live) {
    }

    /** Merges a list whose field says {@code merge} (or a {@code $deleteFromPrimitiveList}) into the live one. */
    private MergedList mergeList(List<JsonNode> original, List<JsonNode> patch, Field field, boolean deleteList, String path) {
        if (original.isEmpty() && patch.isEmpty()) {
            return new MergedList(original, original);
        }
        List<JsonNode> live = original;
        String mergeKey = field.mergeKey();
        boolean objects = kindOf(path, original, patch) == JsonNodeType.OBJECT;
        List<JsonNode> merged;
        if (!objects) {
            if (deleteList) {
                return new MergedList(withoutValues(original, patch), live);
            }
            merged = distinct(original, patch);
        } else {
            if (mergeKey.isEmpty()) {
                throw invalid("`%s`: a list of objects cannot be merged without a merge key", path);
            }
            List<JsonNode> backing = new ArrayList<>(original);
            int length = backing.size();
            List<JsonNode> plain = new ArrayList<>();
            boolean replace = false;
            for (JsonNode element : patch) {
                JsonNode directive = element.get(DIRECTIVE);
                if (directive == null) {
                    plain.add(element);
                } else if (is(directive, DELETE)) {
                    JsonNode key = element.get(mergeKey);
                    if (key == null) {
                        throw noMergeKey("the patch's", path, mergeKey);
                    }
                    length = deleteKey(backing, length, mergeKey, key, path);
                } else if (is(directive, REPLACE)) {
                    replace = true;
                } else if (is(directive, MERGE)) {
                    throw invalid("`%s`: `$patch: merge` is not supported in a list", path);
                } else {
                    throw invalid("`%s`: unknown directive `$patch: %s`; a list element takes `replace` or `delete`", path, directive);
                }
            }
            // $patch: replace makes the patch's other elements the whole list
            original = replace ? plain : List.copyOf(backing.subList(0, length));
            patch = replace ? List.of() : plain;
            merged = mergeElements(original, patch, mergeKey, field.elementType(), path);
            for (int i = original.size(); i < merged.size() && length < backing.size(); i++) {
                backing.set(length++, merged.get(i));
            }
            live = backing;
        }
        List<JsonNode> items = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        partition(merged, patch, mergeKey, items, serverOnly, path);
        return new MergedList(normalizeOrder(items, serverOnly, patch, original, mergeKey, objects, path), live);
    }

    /** Upstream's {@code deleteMatchingEntries}: each match shifted out of the first {@code length} slots; the new length. */
    private static int deleteKey(List<JsonNode> backing, int length, String mergeKey, JsonNode key, String path) {
        int at = indexOfKey(backing.subList(0, length), mergeKey, key, path);
        while (at >= 0) {
            for (int i = at; i < length - 1; i++) {
                backing.set(i, backing.get(i + 1));
            }
            length--;
            at = indexOfKey(backing.subList(0, length), mergeKey, key, path);
        }
        return length;
    }

    /** Each patch element merges into the live element with its merge key, or is appended. */
    private List<JsonNode> mergeElements(List<JsonNode> original, List<JsonNode> patch, String mergeKey, JavaType type, String path) {
        List<JsonNode> merged = new ArrayList<>(original);
        for (JsonNode element : patch) {
            JsonNode key = element.get(mergeKey);
            if (key == null) {
                throw noMergeKey("the patch's", path, mergeKey);
            }
            int index = indexOfKey(merged, mergeKey, key, path);
            if (index < 0) {
                merged.add(element);
            } else {
                merged.set(index, mergeMap((ObjectNode) merged.get(index), (ObjectNode) element, type,
                        path + "[" + mergeKey + "=" + key.asText() + "]"));
            }
        }
        return merged;
    }

    /**
     * Upstream's {@code normalizeElementOrder}: the patch's elements sorted by {@code patchOrder}, the server-only
     * ones by the live order, then interleaved so each keeps its place relative to the live list where both are in it.
     */
    private static List<JsonNode> normalizeOrder(List<JsonNode> items, List<JsonNode> serverOnly, List<JsonNode> patchOrder,
            List<JsonNode> serverOrder, String mergeKey, boolean objects, String path) {
        List<JsonNode> patchSorted = sortBy(items, patchOrder, mergeKey, objects, path, "the patch's");
        List<JsonNode> serverSorted = sortBy(serverOnly, serverOrder, mergeKey, objects, path, "the object's");
        List<JsonNode> all = new ArrayList<>(items.size() + serverOnly.size());
        int i = 0;
        int j = 0;
        while (i < serverSorted.size() || j < patchSorted.size()) {
            if (j >= patchSorted.size()) {
                all.add(serverSorted.get(i++));
            } else if (i >= serverSorted.size()) {
                all.add(patchSorted.get(j++));
            } else {
                int left = indexIn(serverOrder, serverSorted.get(i), mergeKey, objects);
                int right = indexIn(serverOrder, patchSorted.get(j), mergeKey, objects);
                all.add(left >= 0 && right >= 0 && left < right ? serverSorted.get(i++) : patchSorted.get(j++));
            }
        }
        return all;
    }

    /** Upstream's {@code normalizeSliceOrder}: a stable sort by position in {@code order}, deletions last. */
    private static List<JsonNode> sortBy(List<JsonNode> toSort, List<JsonNode> order, String mergeKey, boolean objects, String path,
            String whose) {
        List<JsonNode> sorted = new ArrayList<>(toSort);
        List<JsonNode> deletions = List.of();
        if (objects) {
            requireMergeKeys(toSort, mergeKey, path, whose);
            requireMergeKeys(order, mergeKey, path, whose);
            deletions = sorted.stream().filter(e -> is(e.get(DIRECTIVE), DELETE)).toList();
            sorted.removeAll(deletions);
        }
        // positions are known for every element here, so the order is total (upstream's comparator is not)
        sorted.sort((a, b) -> Integer.compare(position(order, a, mergeKey, objects), position(order, b, mergeKey, objects)));
        sorted.addAll(deletions);
        return sorted;
    }

    private static int position(List<JsonNode> order, JsonNode element, String mergeKey, boolean objects) {
        int index = indexIn(order, element, mergeKey, objects);
        return index < 0 ? Integer.MAX_VALUE : index;
    }

    /** Splits {@code merged} into the elements {@code by} names and the others, keeping their order. */
    private static void partition(List<JsonNode> merged, List<JsonNode> by, String mergeKey, List<JsonNode> named,
            List<JsonNode> others, String path) {
        for (JsonNode element : merged) {
            boolean in;
            if (mergeKey.isEmpty()) {
                in = by.stream().anyMatch(b -> same(b, element));
            } else {
                if (!element.isObject()) {
                    throw invalid("the list `%s` has an element that is not an object", path);
                }
                JsonNode key = element.get(mergeKey);
                if (key == null) {
                    throw noMergeKey("the object's", path, mergeKey);
                }
                in = indexOfKey(by, mergeKey, key, path) >= 0;
            }
            (in ? named : others).add(element);
        }
    }

    private static int indexOfKey(List<JsonNode> list, String mergeKey, JsonNode key, String path) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode element = list.get(i);
            if (!element.isObject()) {
                throw invalid("the list `%s` has an element that is not an object", path);
            }
            if (same(element.get(mergeKey), key)) {
                return i;
            }
        }
        return -1;
    }

    // upstream's index(): objects compare by merge key (two without one are alike), other values by value
    private static int indexIn(List<JsonNode> list, JsonNode value, String mergeKey, boolean objects) {
        for (int i = 0; i < list.size(); i++) {
            boolean match = objects ? same(keyOf(list.get(i), mergeKey), keyOf(value, mergeKey)) : same(list.get(i), value);
            if (match) {
                return i;
            }
        }
        return -1;
    }

    private static JsonNode keyOf(JsonNode element, String mergeKey) {
        return element.isObject() ? element.get(mergeKey) : null;
    }

    private static boolean sameKey(JsonNode left, JsonNode right, String mergeKey, String path, String whose) {
        if (mergeKey.isEmpty()) {
            return same(left, right);
        }
        requireMergeKeys(List.of(left, right), mergeKey, path, whose);
        return same(left.get(mergeKey), right.get(mergeKey));
    }

    private static List<JsonNode> withoutDeletions(List<JsonNode> list, String path) {
        List<JsonNode> kept = new ArrayList<>(list.size());
        for (JsonNode element : list) {
            if (!element.isObject()) {
                throw invalid("the patch's list `%s` has an element that is not an object", path);
            }
            if (!is(element.get(DIRECTIVE), DELETE)) {
                kept.add(element);
            }
        }
        return kept;
    }

    private static List<JsonNode> withoutValues(List<JsonNode> list, List<JsonNode> values) {
        return list.stream().filter(v -> values.stream().noneMatch(d -> same(v, d))).toList();
    }

    private static List<JsonNode> distinct(List<JsonNode> first, List<JsonNode> second) {
        List<JsonNode> all = new ArrayList<>(first.size() + second.size());
        for (List<JsonNode> list : List.of(first, second)) {
            for (JsonNode value : list) {
                if (all.stream().noneMatch(v -> same(v, value))) {
                    all.add(value);
                }
            }
        }
        return all;
    }

    /** The one element type of the lists (upstream's {@code sliceElementType}), {@code null} if they are empty. */
    private static JsonNodeType kindOf(String path, List<JsonNode> first, List<JsonNode> second) {
        JsonNodeType kind = null;
        for (List<JsonNode> list : List.of(first, second)) {
            for (JsonNode element : list) {
                if (element.isArray()) {
                    throw invalid("`%s`: lists of lists are not supported", path);
                }
                if (kind != null && kind != element.getNodeType()) {
                    throw invalid("`%s`: the list's elements are not all of one type", path);
                }
                kind = element.getNodeType();
            }
        }
        return kind;
    }

    private static void requireMergeKeys(List<JsonNode> list, String mergeKey, String path, String whose) {
        for (JsonNode element : list) {
            if (!element.isObject()) {
                throw invalid("%s list `%s` has an element that is not an object", whose, path);
            }
            if (!element.has(mergeKey)) {
                throw noMergeKey(whose, path, mergeKey);
            }
        }
    }

    private static void requireList(JsonNode value, String path, String whose) {
        if (value != null && !value.isArray()) {
            throw invalid("%s `%s` is not a list, so `$setElementOrder` cannot order it", whose, path);
        }
    }

    private static PatchException noMergeKey(String whose, String path, String mergeKey) {
        return invalid("%s list `%s` has an element without its merge key `%s`", whose, path, mergeKey);
    }

    /** Upstream's {@code removeDirectives}: an object carrying {@code $patch} is dropped ({@code null}) wherever it is. */
    private static JsonNode withoutDirectives(JsonNode value) {
        if (value.isObject()) {
            if (value.has(DIRECTIVE)) {
                return null;
            }
            ObjectNode object = (ObjectNode) value;
            for (String key : names(object)) {
                put(object, key, withoutDirectives(object.get(key)));
            }
            return object;
        }
        if (value.isArray()) {
            ArrayNode kept = NODES.arrayNode();
            value.forEach(element -> {
                JsonNode v = withoutDirectives(element);
                if (v != null) {
                    kept.add(v);
                }
            });
            return kept;
        }
        return value;
    }

    /** Upstream's {@code discardNullValuesFromPatch}: a field the patch adds keeps none of its null members. */
    private static void discardNulls(JsonNode value) {
        if (value.isObject()) {
            ObjectNode object = (ObjectNode) value;
            for (String key : names(object)) {
                if (object.get(key).isNull()) {
                    object.remove(key);
                } else {
                    discardNulls(object.get(key));
                }
            }
        } else if (value.isArray()) {
            value.forEach(StrategicMergePatch::discardNulls);
        }
    }

    private static void put(ObjectNode object, String key, JsonNode value) {
        if (value == null) {
            object.remove(key);
        } else {
            object.set(key, value);
        }
    }

    /** The list a {@code $deleteFromPrimitiveList/<list>} or {@code $setElementOrder/<list>} key names. */
    private static String listOf(String key, String prefix, String path) {
        int slash = key.indexOf('/');
        if (slash < 0 || !key.substring(0, slash).equals(prefix)) {
            throw badRequest("`%s`: invalid directive `%s`; it must read `%s/<list>`", where(path), key, prefix);
        }
        return key.substring(slash + 1);
    }

    // numbers compare by value, as Go compares its float64s; everything else by JSON equality
    private static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static boolean is(JsonNode directive, String value) {
        return directive != null && directive.isTextual() && directive.asText().equals(value);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>(object.size());
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> elements(JsonNode list) {
        List<JsonNode> elements = new ArrayList<>(list.size());
        list.forEach(elements::add);
        return elements;
    }

    private static ArrayNode array(List<JsonNode> elements) {
        return NODES.arrayNode(elements.size()).addAll(elements);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String where(String path) {
        return path.isEmpty() ? "." : path;
    }
}
