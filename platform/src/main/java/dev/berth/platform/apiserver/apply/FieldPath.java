package dev.berth.platform.apiserver.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A path from the root of an object to one of its fields or list items, printed as upstream's {@code fieldpath.Path}
 * prints it in conflict messages: {@code .spec.replicas}, {@code .spec.containers[name="app"].image}. Immutable.
 */
public record FieldPath(List<PathElement> elements) {

    public FieldPath {
        elements = List.copyOf(elements);
    }

    /** A path of field names only, e.g. {@code of("spec", "replicas")}. */
    public static FieldPath of(String... fields) {
        List<PathElement> path = new ArrayList<>();
        for (String f : fields) {
            path.add(new PathElement.Field(f));
        }
        return new FieldPath(path);
    }

    public FieldPath child(PathElement element) {
        List<PathElement> path = new ArrayList<>(elements);
        path.add(element);
        return new FieldPath(path);
    }

    @Override
    public String toString() {
        return elements.stream().map(PathElement::toString).collect(Collectors.joining());
    }
}
