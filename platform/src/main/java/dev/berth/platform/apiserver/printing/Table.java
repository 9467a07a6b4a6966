package dev.berth.platform.apiserver.printing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.ListMeta;
import java.util.List;

/**
 * A {@code meta.k8s.io/v1 Table}, field for field as Go writes it: {@code columnDefinitions} is {@code null} when the
 * headers were left out, {@code rows} is {@code null} only from the default table of an empty list. Serialise it with
 * fabric8's {@code KubernetesSerialization} (the row objects are fabric8 types).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({ "kind", "apiVersion", "metadata", "columnDefinitions", "rows" })
public record Table(String kind, String apiVersion, ListMeta metadata, List<TableColumn> columnDefinitions, List<TableRow> rows) {

    public static final String API_VERSION = "meta.k8s.io/v1";
    public static final String KIND = "Table";

    /** A Table of these columns and rows; no list metadata is written as {@code {}}, as Go writes an empty ListMeta. */
    static Table of(ListMeta metadata, List<TableColumn> columnDefinitions, List<TableRow> rows) {
        return new Table(KIND, API_VERSION, metadata == null ? new ListMeta() : metadata, columnDefinitions, rows);
    }

    /**
     * One {@code metav1.TableRow}: as many cells as the table has columns (strings, {@code Long}s, {@code Boolean}s),
     * the row's conditions (a finished pod's {@code Completed}), and the object as {@code includeObject} asked
     * ({@code null} for None).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({ "cells", "conditions", "object" })
    public record TableRow(List<Object> cells, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RowCondition> conditions, Object object) {}

    /** {@code metav1.TableRowCondition}. */
    @JsonPropertyOrder({ "type", "status", "reason", "message" })
    public record RowCondition(String type, String status, @JsonInclude(JsonInclude.Include.NON_EMPTY) String reason,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) String message) {}
}
