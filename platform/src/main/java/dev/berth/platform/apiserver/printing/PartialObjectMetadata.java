package dev.berth.platform.apiserver.printing;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * {@code meta.k8s.io/v1 PartialObjectMetadata}: an object's whole {@code metadata} without its body, what a Table row
 * carries for {@code includeObject=Metadata} ({@code meta.AsPartialObjectMetadata}). fabric8 has no such type.
 */
@JsonPropertyOrder({ "kind", "apiVersion", "metadata" })
public record PartialObjectMetadata(String kind, String apiVersion, ObjectMeta metadata) {

    static PartialObjectMetadata of(HasMetadata object) {
        return new PartialObjectMetadata("PartialObjectMetadata", Table.API_VERSION, object.getMetadata());
    }
}
