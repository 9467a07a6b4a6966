package dev.berth.platform.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Kubernetes objects are written with fabric8's own serialization, exactly as the Kubernetes API would show them. */
final class Json {

    private Json() {}

    static Response object(KubernetesSerialization json, HasMetadata o) {
        return Response.ok(json.asJson(o), MediaType.APPLICATION_JSON).build();
    }

    static Response list(KubernetesSerialization json, List<? extends HasMetadata> items) {
        KubernetesList list = new KubernetesList();
        list.setItems(List.copyOf(items));
        return Response.ok(json.asJson(list), MediaType.APPLICATION_JSON).build();
    }
}
