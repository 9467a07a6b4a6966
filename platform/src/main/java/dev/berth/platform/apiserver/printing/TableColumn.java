package dev.berth.platform.apiserver.printing;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One {@code metav1.TableColumnDefinition}. Every field is always written, as Go writes them (no omitempty); a
 * column of priority 1 is one kubectl shows only with {@code -o wide}.
 */
@JsonPropertyOrder({ "name", "type", "format", "description", "priority" })
public record TableColumn(String name, String type, String format, String description, int priority) {

    /** {@code metav1.ObjectMeta{}.SwaggerDoc()["name"]}, k8s.io/apimachinery 1.35. */
    static final String NAME_DOC = "Name must be unique within a namespace. Is required when creating resources, although some "
            + "resources may allow a client to request the generation of an appropriate name automatically. Name is primarily "
            + "intended for creation idempotence and configuration definition. Cannot be updated. More info: "
            + "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    /** {@code metav1.ObjectMeta{}.SwaggerDoc()["creationTimestamp"]}, k8s.io/apimachinery 1.35. */
    static final String CREATION_TIMESTAMP_DOC = "CreationTimestamp is a timestamp representing the server time when this object "
            + "was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not "
            + "set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for "
            + "lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
    /** Upstream's repeated {@code {Name: "Name", Type: "string", Format: "name", ...}}. */
    static final TableColumn NAME = new TableColumn("Name", "string", "name", NAME_DOC, 0);
    /** Upstream's repeated {@code {Name: "Age", Type: "string", ...}}. */
    static final TableColumn AGE = string("Age", CREATION_TIMESTAMP_DOC);

    static TableColumn string(String name, String description) {
        return new TableColumn(name, "string", "", description, 0);
    }

    static TableColumn integer(String name, String description) {
        return new TableColumn(name, "integer", "", description, 0);
    }

    /** A string column shown only with {@code -o wide}. */
    static TableColumn wide(String name, String description) {
        return new TableColumn(name, "string", "", description, 1);
    }
}
