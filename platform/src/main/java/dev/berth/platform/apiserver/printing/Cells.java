package dev.berth.platform.apiserver.printing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Go's zero values for fabric8's nulls (a missing string is {@code ""}, a missing count 0, a missing list empty) and
 * the small formatters upstream's printers share. Pure.
 */
final class Cells {

    static final String NONE = "<none>";

    private Cells() {}

    static String str(String s) {
        return s == null ? "" : s;
    }

    static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    static int count(Integer i) {
        return i == null ? 0 : i;
    }

    static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    static <K, V> Map<K, V> map(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }

    static String orNone(String s) {
        return isEmpty(s) ? NONE : s;
    }

    static String name(HasMetadata o) {
        return o.getMetadata() == null ? "" : str(o.getMetadata().getName());
    }

    /** Go's {@code int64(x)} of an optional int32 field. */
    static Long int64(Integer i) {
        return (long) count(i);
    }

    /** {@code labels.FormatLabels}: the {@code k=v} strings sorted (as strings, like Go), comma-separated, or {@code <none>}. */
    static String formatLabels(Map<String, String> labels) {
        return orNone(map(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(",")));
    }

    /** {@code layoutContainerCells}: the containers' names, then their images, each comma-separated. */
    static List<String> containerCells(List<Container> containers) {
        return List.of(list(containers).stream().map(c -> str(c.getName())).collect(Collectors.joining(",")),
                list(containers).stream().map(c -> str(c.getImage())).collect(Collectors.joining(",")));
    }
}
