package dev.berth.platform.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A set of field paths, as structured-merge-diff's {@code fieldpath.Set}: a tree whose nodes hold the elements that
 * are members themselves (a leaf field, a list item, an atomic value) and the elements under which deeper paths are
 * members. It reads and writes the FieldsV1 encoding of {@code metadata.managedFields} exactly as upstream does:
 * {@code {"f:spec":{"f:replicas":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}} with keys in {@link PathElement}
 * order and {@code "."} first where an element is both a member and has members under it.
 *
 * <p>Values are immutable once built: the set operations return new sets. Not for concurrent building.
 */
public final class FieldSet {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NavigableSet<PathElement> members = new TreeSet<>();
    private final NavigableMap<PathElement, FieldSet> children = new TreeMap<>();

    public FieldSet() {
    }

    public static FieldSet of(FieldPath... paths) {
        FieldSet set = new FieldSet();
        for (FieldPath p : paths) {
            set.insert(p.elements());
        }
        return set;
    }

    /** Adds a path while the set is being built; the empty path adds nothing, as upstream ignores it. */
    void insert(List<PathElement> path) {
        if (path.isEmpty()) {
            return;
        }
        FieldSet node = this;
        for (int i = 0; i < path.size() - 1; i++) {
            node = node.children.computeIfAbsent(path.get(i), e -> new FieldSet());
        }
        node.members.add(path.get(path.size() - 1));
    }

    void insert(FieldPath path) {
        insert(path.elements());
    }

    public boolean isEmpty() {
        return members.isEmpty() && children.values().stream().allMatch(FieldSet::isEmpty);
    }

    public boolean has(FieldPath path) {
        FieldSet node = this;
        List<PathElement> elements = path.elements();
        for (int i = 0; i < elements.size() - 1; i++) {
            node = node.children.get(elements.get(i));
            if (node == null) {
                return false;
            }
        }
        return !elements.isEmpty() && node.members.contains(elements.get(elements.size() - 1));
    }

    /** The set under {@code element} (empty if none). */
    FieldSet child(PathElement element) {
        FieldSet c = children.get(element);
        return c == null ? new FieldSet() : c;
    }

    boolean isMember(PathElement element) {
        return members.contains(element);
    }

    public FieldSet union(FieldSet other) {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        out.members.addAll(other.members);
        children.forEach((e, c) -> out.children.put(e, c));
        other.children.forEach((e, c) -> out.children.merge(e, c, FieldSet::union));
        return out;
    }

    /** The paths of this set that are not in {@code other}; paths under a member of {@code other} stay. */
    public FieldSet difference(FieldSet other) {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        out.members.removeAll(other.members);
        children.forEach((e, c) -> {
            FieldSet o = other.children.get(e);
            FieldSet d = o == null ? c : c.difference(o);
            if (!d.isEmpty()) {
                out.children.put(e, d);
            }
        });
        return out;
    }

    /** As {@link #difference}, and also without the paths under a member of {@code other}. */
    public FieldSet recursiveDifference(FieldSet other) {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        out.members.removeAll(other.members);
        children.forEach((e, c) -> {
            if (other.members.contains(e)) {
                return;
            }
            FieldSet o = other.children.get(e);
            FieldSet d = o == null ? c : c.recursiveDifference(o);
            if (!d.isEmpty()) {
                out.children.put(e, d);
            }
        });
        return out;
    }

    public FieldSet intersection(FieldSet other) {
        FieldSet out = new FieldSet();
        for (PathElement m : members) {
            if (other.members.contains(m)) {
                out.members.add(m);
            }
        }
        children.forEach((e, c) -> {
            FieldSet o = other.children.get(e);
            if (o != null) {
                FieldSet i = c.intersection(o);
                if (!i.isEmpty()) {
                    out.children.put(e, i);
                }
            }
        });
        return out;
    }

    /**
     * This set with every field name that has paths under it also a member: upstream's
     * {@code EnsureNamedFieldsAreMembers}, so that pruning a struct field whose last owned leaf went removes the
     * field, not only the leaf. Upstream does so for the fields a struct declares; here for every field name, which
     * differs only for maps of maps, which the served kinds do not have.
     */
    FieldSet withFieldsAsMembers() {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        children.forEach((e, c) -> {
            FieldSet inner = c.withFieldsAsMembers();
            if (!inner.isEmpty()) {
                out.children.put(e, inner);
                if (e instanceof PathElement.Field) {
                    out.members.add(e);
                }
            }
        });
        return out;
    }

    /** Every member path: the members of a node before the paths under its children, each in element order. */
    public List<FieldPath> paths() {
        List<FieldPath> out = new ArrayList<>();
        collect(new FieldPath(List.of()), out);
        return out;
    }

    private void collect(FieldPath prefix, List<FieldPath> out) {
        members.forEach(m -> out.add(prefix.child(m)));
        children.forEach((e, c) -> c.collect(prefix.child(e), out));
    }

    /** The FieldsV1 document of this set. */
    public ObjectNode toFieldsV1() {
        return write(false);
    }

    private ObjectNode write(boolean self) {
        ObjectNode out = JSON.createObjectNode();
        if (self && !(members.isEmpty() && children.isEmpty())) {
            out.putObject(".");
        }
        TreeSet<PathElement> all = new TreeSet<>(members);
        all.addAll(children.keySet());
        for (PathElement e : all) {
            FieldSet c = children.get(e);
            out.set(e.serialize(), c == null ? JSON.createObjectNode() : c.write(members.contains(e)));
        }
        return out;
    }

    /**
     * Reads a FieldsV1 document; keys of unknown types ({@code r:...}) are dropped, as upstream drops them.
     *
     * @throws IllegalArgumentException if it is not a FieldsV1 document
     */
    public static FieldSet fromFieldsV1(JsonNode fields) {
        FieldSet set = new FieldSet();
        if (fields == null || fields.isNull()) {
            return set;
        }
        set.read(fields);
        return set;
    }

    /** Reads the members under one node; whether the node itself is a member ({@code "."}) is returned. */
    private boolean read(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("a FieldsV1 node is a JSON object, not " + node.getNodeType());
        }
        boolean self = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals(".")) {
                self = true;
                continue;
            }
            PathElement e;
            try {
                e = PathElement.parse(f.getKey());
            } catch (PathElement.UnknownElementException unknown) {
                continue; // written by a newer version: not ours to interpret
            }
            FieldSet child = new FieldSet();
            boolean member = child.read(f.getValue());
            if (child.members.isEmpty() && child.children.isEmpty()) {
                members.add(e);
            } else {
                children.merge(e, child, FieldSet::union);
                if (member) {
                    members.add(e);
                }
            }
        }
        return self;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet s && s.paths().equals(paths());
    }

    @Override
    public int hashCode() {
        return Objects.hash(paths());
    }

    @Override
    public String toString() {
        return toFieldsV1().toString();
    }
}
