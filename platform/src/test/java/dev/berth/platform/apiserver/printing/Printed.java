package dev.berth.platform.apiserver.printing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What the table tests share: a fixed clock standing for upstream's {@code time.Now()}, times relative to it, and the
 * two views of a printed row. kube-apiserver always prints wide; upstream's tests call {@code printX(obj,
 * GenerateOptions{})} too, whose cells are exactly the wide cells of the priority-0 columns ({@link #narrow}).
 */
final class Printed {

    static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Ages AGES = new Ages(CLOCK);

    private Printed() {}

    /** {@code time.Now().Add(-d)}, RFC 3339 with the nanoseconds kept (upstream's tests hold full-precision times). */
    static String ago(Duration d) {
        return NOW.minus(d).toString();
    }

    /** {@code time.Now().Add(d)}. */
    static String fromNow(Duration d) {
        return NOW.plus(d).toString();
    }

    /** {@code time.Now().Add(1.9e9)}: upstream's usual creationTimestamp, printed "0s" (clock skew tolerance). */
    static String almostNow() {
        return fromNow(Duration.ofMillis(1900));
    }

    static ObjectMeta named(String name) {
        return new ObjectMetaBuilder().withName(name).build();
    }

    static ObjectMeta created(String name, String creationTimestamp) {
        return new ObjectMetaBuilder().withName(name).withCreationTimestamp(creationTimestamp).build();
    }

    /** The row kube-apiserver serves: every column's cell. */
    static <T extends HasMetadata> List<Object> wide(KindTable<T> table, HasMetadata object) {
        return table.print(object, AGES).cells();
    }

    /** What {@code printX(obj, GenerateOptions{})} returns: the cells of the columns kubectl shows without {@code -o wide}. */
    static <T extends HasMetadata> List<Object> narrow(KindTable<T> table, HasMetadata object) {
        List<Object> cells = wide(table, object);
        List<Object> shown = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            if (table.columns().get(i).priority() == 0) {
                shown.add(cells.get(i));
            }
        }
        return shown;
    }
}
