package dev.berth.platform.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class ModelSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOYMENT = "io.k8s.api.apps.v1.Deployment";

    @Test
    void aKindIsAnObjectWithItsJsonPropertiesAndItsGroupVersionKind() throws Exception {
        SortedMap<String, ObjectNode> schemas = schemasOf(Deployment.class, FieldExtensions.NONE);

        assertThat(schemas.get(DEPLOYMENT)).isEqualTo(JSON.readTree("""
                {"type": "object",
                 "properties": {
                   "apiVersion": {"type": "string"},
                   "kind": {"type": "string"},
                   "metadata": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}]},
                   "spec": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"}]},
                   "status": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentStatus"}]}},
                 "x-kubernetes-group-version-kind": [{"group": "apps", "kind": "Deployment", "version": "v1"}]}
                """));
    }

    @Test
    void javaTypesMapToOpenApiTypesAndFormats() throws Exception {
        SortedMap<String, ObjectNode> schemas = schemasOf(Deployment.class, FieldExtensions.NONE);
        JsonNode spec = schemas.get("io.k8s.api.apps.v1.DeploymentSpec").get("properties");
        JsonNode pod = schemas.get("io.k8s.api.core.v1.PodSpec").get("properties");
        JsonNode meta = schemas.get("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").get("properties");

        assertThat(spec.get("replicas")).isEqualTo(JSON.readTree("{\"type\": \"integer\", \"format\": \"int32\"}"));
        assertThat(spec.get("paused")).isEqualTo(JSON.readTree("{\"type\": \"boolean\"}"));
        assertThat(meta.get("generation")).isEqualTo(JSON.readTree("{\"type\": \"integer\", \"format\": \"int64\"}"));
        assertThat(meta.get("labels")).isEqualTo(JSON.readTree(
                "{\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\"}}"));
        assertThat(pod.get("containers")).isEqualTo(JSON.readTree(
                "{\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/io.k8s.api.core.v1.Container\"}}"));
        assertThat(schemas.get("io.k8s.api.core.v1.ResourceRequirements").at("/properties/limits")).isEqualTo(JSON.readTree(
                "{\"type\": \"object\", \"additionalProperties\": {\"$ref\": \"#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity\"}}"));
        assertThat(schemas.get("io.k8s.api.core.v1.HTTPGetAction").at("/properties/port")).isEqualTo(JSON.readTree(
                "{\"allOf\": [{\"$ref\": \"#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString\"}]}"));
        assertThat(schemas).doesNotContainKey("io.k8s.api.core.v1.Pod");
    }

    /** Upstream's schemas of the scalar types (kube-openapi's OpenAPIV3OneOfTypes / OpenAPISchemaFormat). */
    @Test
    void scalarTypesAreUpstreamsScalarSchemas() throws Exception {
        SortedMap<String, ObjectNode> schemas = schemasOf(Deployment.class, FieldExtensions.NONE);
        SortedMap<String, ObjectNode> events = schemasOf(Event.class, FieldExtensions.NONE);

        assertThat(schemas.get("io.k8s.apimachinery.pkg.api.resource.Quantity"))
                .isEqualTo(JSON.readTree("{\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"number\"}]}"));
        assertThat(schemas.get("io.k8s.apimachinery.pkg.util.intstr.IntOrString")).isEqualTo(JSON.readTree(
                "{\"oneOf\": [{\"type\": \"integer\"}, {\"type\": \"string\"}], \"format\": \"int-or-string\","
                        + " \"x-kubernetes-int-or-string\": true}"));
        assertThat(events.get("io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"))
                .isEqualTo(JSON.readTree("{\"type\": \"string\", \"format\": \"date-time\"}"));
        assertThat(events.get("io.k8s.api.events.v1.Event").at("/properties/eventTime/allOf/0/$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime");
    }

    @Test
    void javaTimeFieldsAreDateTimeStringsAndObjectFieldsHoldAnyJson() throws Exception {
        SortedMap<String, ObjectNode> leases = schemasOf(Lease.class, FieldExtensions.NONE);
        SortedMap<String, ObjectNode> revisions = schemasOf(ControllerRevision.class, FieldExtensions.NONE);

        assertThat(leases.get("io.k8s.api.coordination.v1.LeaseSpec").at("/properties/acquireTime"))
                .isEqualTo(JSON.readTree("{\"type\": \"string\", \"format\": \"date-time\"}"));
        assertThat(revisions.get("io.k8s.api.apps.v1.ControllerRevision").at("/properties/data"))
                .isEqualTo(JSON.readTree("{\"type\": \"object\", \"x-kubernetes-preserve-unknown-fields\": true}"));
    }

    @Test
    void extensionsSitBesideTheirPropertysSchema() throws Exception {
        FieldExtensions patchMetadata = (owner, property) -> {
            if (owner == PodSpec.class && property.equals("containers")) {
                return Map.of("x-kubernetes-patch-merge-key", "name", "x-kubernetes-patch-strategy", "merge",
                        "x-kubernetes-list-type", "map", "x-kubernetes-list-map-keys", List.of("name"));
            }
            if (owner == DeploymentSpec.class && property.equals("strategy")) {
                return Map.of("x-kubernetes-patch-strategy", "retainKeys");
            }
            return Map.of();
        };
        SortedMap<String, ObjectNode> schemas = schemasOf(Deployment.class, patchMetadata);

        assertThat(schemas.get("io.k8s.api.core.v1.PodSpec").at("/properties/containers")).isEqualTo(JSON.readTree("""
                {"type": "array", "items": {"$ref": "#/components/schemas/io.k8s.api.core.v1.Container"},
                 "x-kubernetes-list-map-keys": ["name"], "x-kubernetes-list-type": "map",
                 "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"}
                """));
        assertThat(schemas.get("io.k8s.api.apps.v1.DeploymentSpec").at("/properties/strategy")).isEqualTo(JSON.readTree("""
                {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy"}],
                 "x-kubernetes-patch-strategy": "retainKeys"}
                """));
        assertThat(schemas.get("io.k8s.api.core.v1.Container").at("/properties/ports").has("x-kubernetes-patch-merge-key"))
                .isFalse();
    }

    @Test
    void extensionsThatAreNotVendorExtensionsOrNotStringsAreRefused() {
        ModelSchemas unprefixed = new ModelSchemas((owner, property) -> Map.of("patchStrategy", "merge"));
        ModelSchemas numeric = new ModelSchemas((owner, property) ->
                owner == Container.class && property.equals("ports") ? Map.of("x-kubernetes-list-map-keys", 80) : Map.of());

        assertThatThrownBy(() -> unprefixed.ref(Container.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("extension patchStrategy of io.fabric8.kubernetes.api.model.Container.")
                .hasMessageEndingWith("does not start with x-");
        assertThatThrownBy(() -> numeric.ref(Container.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("extension x-kubernetes-list-map-keys of io.fabric8.kubernetes.api.model.Container.ports"
                        + " must be a string or a list of strings, not 80");
    }

    @Test
    void aTypeThatContainsItselfRefersToItsOwnComponent() {
        ModelSchemas schemas = new ModelSchemas(FieldExtensions.NONE);
        schemas.ref(JSONSchemaProps.class);
        String name = SchemaNames.of(JSONSchemaProps.class);

        ObjectNode props = schemas.closure(List.of(name)).get(name);
        assertThat(props.at("/properties/properties/additionalProperties/$ref").asText())
                .isEqualTo(ModelSchemas.REF_PREFIX + name);
    }

    @Test
    void closureOfAnUnknownComponentIsRefused() {
        assertThatThrownBy(() -> new ModelSchemas(FieldExtensions.NONE).closure(List.of("io.k8s.api.core.v1.Pod")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no component io.k8s.api.core.v1.Pod");
    }

    private static SortedMap<String, ObjectNode> schemasOf(Class<?> root, FieldExtensions extensions) {
        ModelSchemas schemas = new ModelSchemas(extensions);
        schemas.ref(root);
        return schemas.closure(List.of(SchemaNames.of(root)));
    }
}
