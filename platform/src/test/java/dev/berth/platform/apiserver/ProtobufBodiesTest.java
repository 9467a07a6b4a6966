package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.MessageLite;
import com.google.protobuf.UnknownFieldSet;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubernetes.client.proto.IntStr.IntOrString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Meta.ObjectMeta;
import io.kubernetes.client.proto.Meta.Time;
import io.kubernetes.client.proto.Resource.Quantity;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Bodies as kubectl's typed client encodes them (the Kubernetes Java client's generated messages write the same
 * wire format as client-go's), read back as kube-apiserver's JSON and then as the fabric8 types the server stores.
 */
class ProtobufBodiesTest {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    /** The {@code k8s\0} envelope around {@code object}, as client-go's protobuf serializer writes it. */
    static byte[] envelope(String apiVersion, String kind, MessageLite object) {
        return envelope(apiVersion, kind, object.toByteString());
    }

    static byte[] envelope(String apiVersion, String kind, ByteString raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'k', '8', 's', 0});
        out.writeBytes(Runtime.Unknown.newBuilder().setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(raw).build().toByteArray());
        return out.toByteArray();
    }

    @Test
    void kubectlCreateNamespaceLeavesOutGosEmptyStringsAndZeroTime() {
        JsonNode ns = ProtobufBodies.json(envelope("v1", "Namespace", V1.Namespace.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().setName("team-a").setGenerateName("").setNamespace("") // Go writes them empty
                        .setCreationTimestamp(Time.newBuilder().setSeconds(0).setNanos(0)))
                .setSpec(V1.NamespaceSpec.newBuilder()).build()));
        assertThat(ns.toString()).isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team-a\"},\"spec\":{}}");
    }

    @Test
    void aDeploymentKeepsIntOrStringQuantitiesInt64AndTimesInTheirJsonForms() {
        V1.PodTemplateSpec template = V1.PodTemplateSpec.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().putLabels("app", "web"))
                .setSpec(V1.PodSpec.newBuilder().setTerminationGracePeriodSeconds(45).addContainers(V1.Container.newBuilder()
                        .setName("web").setImage("nginx").addPorts(V1.ContainerPort.newBuilder().setContainerPort(8080))
                        .setResources(V1.ResourceRequirements.newBuilder().putRequests("cpu", Quantity.newBuilder().setString("100m").build()))
                        .setReadinessProbe(V1.Probe.newBuilder().setHandler(V1.ProbeHandler.newBuilder().setHttpGet(V1.HTTPGetAction.newBuilder()
                                .setPath("/ready").setPort(IntOrString.newBuilder().setType(1).setStrVal("http")))))))
                .build();
        V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().setName("web").setNamespace("default").setGeneration(3)
                        .setCreationTimestamp(Time.newBuilder().setSeconds(1_796_000_000L)))
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(2)
                        .setSelector(io.kubernetes.client.proto.Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType("RollingUpdate").setRollingUpdate(V1Apps.RollingUpdateDeployment
                                .newBuilder().setMaxSurge(IntOrString.newBuilder().setType(1).setStrVal("25%"))
                                .setMaxUnavailable(IntOrString.newBuilder().setType(0).setIntVal(0))))
                        .setTemplate(template))
                .build();

        JsonNode json = ProtobufBodies.json(envelope("apps/v1", "Deployment", deployment));

        assertThat(json.at("/metadata/generation").isIntegralNumber()).as("int64 as a number, not a string").isTrue();
        assertThat(json.at("/metadata/creationTimestamp").asText()).isEqualTo("2026-11-30T00:53:20Z");
        assertThat(json.at("/spec/strategy/rollingUpdate/maxSurge").asText()).isEqualTo("25%");
        assertThat(json.at("/spec/strategy/rollingUpdate/maxUnavailable").isInt()).isTrue();
        assertThat(json.at("/spec/template/spec/containers/0/resources/requests/cpu").asText()).isEqualTo("100m");
        assertThat(json.at("/spec/template/spec/containers/0/readinessProbe/httpGet/port").asText()).isEqualTo("http");
        Deployment typed = JSON.unmarshal(json.toString(), Deployment.class);
        assertThat(typed.getSpec().getReplicas()).isEqualTo(2);
        assertThat(typed.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(45L);
        assertThat(typed.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(typed.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort()).isEqualTo(8080);
    }

    @Test
    void secretBytesBecomeBase64() {
        JsonNode json = ProtobufBodies.json(envelope("v1", "Secret", V1.Secret.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("db"))
                .setType("Opaque").putData("password", ByteString.copyFrom("s3cret\0\u00ff", StandardCharsets.ISO_8859_1)).build()));
        Secret secret = JSON.unmarshal(json.toString(), Secret.class);
        assertThat(java.util.Base64.getDecoder().decode(secret.getData().get("password"))).containsExactly('s', '3', 'c', 'r', 'e', 't', 0, 0xff);
    }

    @Test
    void kubectlAuthCanI() {
        JsonNode json = ProtobufBodies.json(envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", V1Authorization.SelfSubjectAccessReview
                .newBuilder().setSpec(V1Authorization.SelfSubjectAccessReviewSpec.newBuilder().setResourceAttributes(V1Authorization.ResourceAttributes
                        .newBuilder().setNamespace("team-a").setVerb("get").setGroup("apps").setResource("deployments").setSubresource("scale")
                        .setName("web"))).build()));
        var r = JSON.unmarshal(json.toString(), SelfSubjectAccessReview.class).getSpec().getResourceAttributes();
        assertThat(new String[] {r.getNamespace(), r.getVerb(), r.getGroup(), r.getResource(), r.getSubresource(), r.getName()})
                .containsExactly("team-a", "get", "apps", "deployments", "scale", "web");
    }

    @Test
    void aFieldNewerThanTheMessagesIsRefusedNamingWhereNotDropped() {
        ObjectMeta meta = ObjectMeta.newBuilder().setName("web")
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()).build();
        byte[] body = envelope("v1", "ConfigMap", V1.ConfigMap.newBuilder().setMetadata(meta).build());
        assertThatThrownBy(() -> ProtobufBodies.json(body)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ConfigMap.metadata: field(s) [99] of k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta")
                .hasMessageContaining("send the object as JSON");
    }

    @Test
    void whatIsNotAKubernetesProtobufObjectIsRefused() {
        assertThatThrownBy(() -> ProtobufBodies.json("{}".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("no k8s\\0 prefix");
        assertThatThrownBy(() -> ProtobufBodies.json(new byte[] {'k', '8', 's', 0, 0x12, 0x05, 0x01})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a runtime.Unknown");
        assertThatThrownBy(() -> ProtobufBodies.json(envelope("autoscaling/v2", "HorizontalPodAutoscaler", V1.ConfigMap.getDefaultInstance())))
                .hasMessageContaining("no protobuf message for autoscaling/v2 HorizontalPodAutoscaler");
        byte[] cut = new byte[] {0x0a, 0x05, 'a'}; // metadata, 5 bytes long, cut after one
        assertThatThrownBy(() -> ProtobufBodies.json(envelope("v1", "ConfigMap", ByteString.copyFrom(cut))))
                .hasMessageContaining("not a k8s.io.api.core.v1.ConfigMap");
    }

    /**
     * Each field of the messages of the groups Berth serves is a JSON property of fabric8's type of the same name, except
     * the fields Go inlines into their parent's JSON ({@code json:",inline"}): exactly those {@link ProtobufBodies} inlines.
     */
    @Test
    void everyFieldIsAPropertyOfFabric8sTypeOrOneThatGoInlines() {
        Map<String, String> packages = Map.of("k8s.io.api.core.v1", "io.fabric8.kubernetes.api.model.", "k8s.io.api.apps.v1",
                "io.fabric8.kubernetes.api.model.apps.", "k8s.io.api.rbac.v1", "io.fabric8.kubernetes.api.model.rbac.", "k8s.io.api.policy.v1",
                "io.fabric8.kubernetes.api.model.policy.v1.", "k8s.io.api.authorization.v1", "io.fabric8.kubernetes.api.model.authorization.v1.",
                ProtobufBodies.META, "io.fabric8.kubernetes.api.model.");
        Set<String> notProperties = new TreeSet<>();
        int compared = 0;
        for (FileDescriptor file : List.of(V1.getDescriptor(), V1Apps.getDescriptor(), V1Rbac.getDescriptor(), V1Policy.getDescriptor(),
                V1Authorization.getDescriptor(), Meta.getDescriptor())) {
            for (Descriptor message : file.getMessageTypes()) {
                Set<String> properties = properties(packages.get(file.getPackage()) + message.getName());
                if (properties.isEmpty() || message.getName().equals("MicroTime")) {
                    continue; // no fabric8 type of that name (list types, options), or written as a string (MicroTime)
                }
                compared++;
                message.getFields().stream().filter(f -> !properties.contains(f.getName())).forEach(f -> notProperties.add(message.getName() + "." + f.getName()));
            }
        }
        assertThat(compared).isGreaterThan(250);
        assertThat(notProperties).isEqualTo(new TreeSet<>(ProtobufBodies.INLINE));
    }

    private static Set<String> properties(String className) {
        Set<String> names = new HashSet<>();
        try {
            for (Class<?> c = Class.forName(className); c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    JsonProperty p = f.getAnnotation(JsonProperty.class);
                    if (p != null) {
                        names.add(p.value());
                    }
                }
            }
        } catch (ClassNotFoundException e) {
            return Set.of();
        }
        return names;
    }
}
