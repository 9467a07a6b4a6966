package dev.berth.platform.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Kubernetes objects are written with fabric8's own serialization, exactly as the Kubernetes API would show them. */
final class Json {

    private Json() {}

    static Response object(KubernetesSerialization json, HasMetadata o) {
        return Response.ok(json.asJson(o), MediaType.APPLICATION_JSON).build();
    }
}
