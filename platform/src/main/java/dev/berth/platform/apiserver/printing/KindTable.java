package dev.berth.platform.apiserver.printing;

import dev.berth.platform.apiserver.printing.Table.RowCondition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Arrays;
import java.util.List;

/**
 * One kind's table, as upstream registers it with {@code h.TableHandler(columnDefinitions, printX)}: the column
 * definitions (data) and the pure function printing one object's cells. Cells are always the wide ones: kube-apiserver
 * prints with {@code GenerateOptions{Wide: true}} and kubectl hides the priority-1 columns itself.
 */
record KindTable<T extends HasMetadata>(String apiVersion, String kind, Class<T> type, List<TableColumn> columns, Printer<T> printer) {

    KindTable {
        columns = List.copyOf(columns);
    }

    /** Prints one object of the kind. Pure. */
    @FunctionalInterface
    interface Printer<T> {
        Row print(T object, Ages ages);
    }

    /** What a printer gives back: one cell per column and the row's conditions. */
    record Row(List<Object> cells, List<RowCondition> conditions) {

        Row {
            cells = List.copyOf(cells);
            conditions = List.copyOf(conditions);
        }

        static Row of(Object... cells) {
            return new Row(Arrays.asList(cells), List.of());
        }
    }

    String key() {
        return apiVersion + "/" + kind;
    }

    /**
     * @throws IllegalArgumentException when {@code object} is not of this kind's fabric8 type
     */
    Row print(HasMetadata object, Ages ages) {
        if (!type.isInstance(object)) {
            throw new IllegalArgumentException("cannot print a " + object.getClass().getSimpleName() + " as " + kind);
        }
        Row row = printer.print(type.cast(object), ages);
        if (row.cells().size() != columns.size()) {
            // upstream's invariant: "The number of cells per row will always match the number of column definitions."
            throw new IllegalStateException(kind + " printed " + row.cells().size() + " cells for " + columns.size() + " columns");
        }
        return row;
    }
}
