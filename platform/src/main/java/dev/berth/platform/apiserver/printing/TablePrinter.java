package dev.berth.platform.apiserver.printing;

import dev.berth.platform.apiserver.printing.KindTable.Row;
import dev.berth.platform.apiserver.printing.Table.TableRow;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Turns objects of one kind into the {@code meta.k8s.io/v1 Table} kube-apiserver answers to
 * {@code Accept: application/json;as=Table;g=meta.k8s.io;v=v1}: upstream's columns and cells for the kinds it has
 * printers for (all columns, the {@code -o wide} ones included: kubectl hides those itself), the default Name/Created At
 * table for any other kind. Ages are measured on the injected clock. Pure apart from reading the clock; thread-safe.
 */
public final class TablePrinter {

    private static final List<TableColumn> DEFAULT_COLUMNS = List.of(TableColumn.NAME,
            new TableColumn("Created At", "date", "", TableColumn.CREATION_TIMESTAMP_DOC, 0));
    private static final DateTimeFormatter RFC3339_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    /** Go's zero time, as the default table writes an unset creationTimestamp. */
    private static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";

    private final Ages ages;
    private final KindTables tables;

    public TablePrinter(Clock clock) {
        this.ages = new Ages(clock);
        this.tables = KindTables.BUILT_IN;
    }

    /**
     * A list's (or, with one object and its resourceVersion, a get's) Table with column definitions.
     *
     * @param resourceVersion the list's resourceVersion, or null
     * @param continueToken the list's continue token, or null
     * @throws IllegalArgumentException when an object is not of {@code kind}
     */
    public Table table(ResourceKind kind, List<? extends HasMetadata> objects, IncludeObject include, String resourceVersion,
            String continueToken) {
        ListMeta meta = new ListMetaBuilder().withResourceVersion(resourceVersion).withContinue(continueToken).build();
        return table(kind.apiVersion(), kind.kind(), objects, TableOptions.of(include), meta);
    }

    /**
     * The Table of {@code objects}, all of {@code apiVersion}/{@code kind} (a kind without its own table gets the
     * default one); {@code listMeta} is copied as the Table's metadata. For a watch event, pass the one object and
     * {@link TableOptions#withoutHeaders()} after the first event, as kube-apiserver does.
     *
     * @throws IllegalArgumentException when an object is not of the kind's fabric8 type, or a printed time is not RFC 3339
     */
    public Table table(String apiVersion, String kind, List<? extends HasMetadata> objects, TableOptions options, ListMeta listMeta) {
        Optional<KindTable<?>> kindTable = tables.find(apiVersion, kind);
        if (kindTable.isEmpty()) {
            return defaultTable(objects, options, listMeta);
        }
        KindTable<?> t = kindTable.get();
        List<TableRow> rows = objects.stream().map(o -> {
            Row row = t.print(o, ages);
            return new TableRow(row.cells(), row.conditions(), rowObject(o, options.includeObject()));
        }).toList();
        return Table.of(listMeta, options.noHeaders() ? null : t.columns(), rows);
    }

    /** {@code rest.NewDefaultTableConvertor}: Name and Created At (RFC 3339, UTC); no rows at all for no objects. */
    private Table defaultTable(List<? extends HasMetadata> objects, TableOptions options, ListMeta listMeta) {
        List<TableRow> rows = objects.isEmpty() ? null : objects.stream()
                .map(o -> new TableRow(List.of(Cells.name(o), createdAt(o)), List.of(), rowObject(o, options.includeObject())))
                .toList();
        return Table.of(listMeta, options.noHeaders() ? null : DEFAULT_COLUMNS, rows);
    }

    private static String createdAt(HasMetadata o) {
        Instant t = Ages.instant(o.getMetadata() == null ? null : o.getMetadata().getCreationTimestamp());
        return t == null ? GO_ZERO_TIME : RFC3339_SECONDS.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    private static Object rowObject(HasMetadata o, IncludeObject include) {
        return switch (include) {
            case NONE -> null;
            case METADATA -> PartialObjectMetadata.of(o);
            case OBJECT -> o;
        };
    }
}
