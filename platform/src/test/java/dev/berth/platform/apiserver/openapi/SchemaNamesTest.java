package dev.berth.platform.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaNamesTest {

    /** Each row: a fabric8 class and the name of the same type in upstream's api/openapi-spec/v3 documents. */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "io.fabric8.kubernetes.api.model.Pod, io.k8s.api.core.v1.Pod",
            "io.fabric8.kubernetes.api.model.PodSpec, io.k8s.api.core.v1.PodSpec",
            "io.fabric8.kubernetes.api.model.ResourceClaim, io.k8s.api.core.v1.ResourceClaim",
            "io.fabric8.kubernetes.api.model.Binding, io.k8s.api.core.v1.Binding",
            "io.fabric8.kubernetes.api.model.ObjectMeta, io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
            "io.fabric8.kubernetes.api.model.ListMeta, io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta",
            "io.fabric8.kubernetes.api.model.Status, io.k8s.apimachinery.pkg.apis.meta.v1.Status",
            "io.fabric8.kubernetes.api.model.DeleteOptions, io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
            "io.fabric8.kubernetes.api.model.Patch, io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
            "io.fabric8.kubernetes.api.model.Condition, io.k8s.apimachinery.pkg.apis.meta.v1.Condition",
            "io.fabric8.kubernetes.api.model.MicroTime, io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
            "io.fabric8.kubernetes.api.model.APIResourceList, io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList",
            "io.fabric8.kubernetes.api.model.Quantity, io.k8s.apimachinery.pkg.api.resource.Quantity",
            "io.fabric8.kubernetes.api.model.IntOrString, io.k8s.apimachinery.pkg.util.intstr.IntOrString",
            "io.fabric8.kubernetes.api.model.runtime.RawExtension, io.k8s.apimachinery.pkg.runtime.RawExtension",
            "io.fabric8.kubernetes.api.model.version.Info, io.k8s.apimachinery.pkg.version.Info",
            "io.fabric8.kubernetes.api.model.apps.Deployment, io.k8s.api.apps.v1.Deployment",
            "io.fabric8.kubernetes.api.model.apps.ControllerRevision, io.k8s.api.apps.v1.ControllerRevision",
            "io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler, io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler",
            "io.fabric8.kubernetes.api.model.autoscaling.v1.Scale, io.k8s.api.autoscaling.v1.Scale",
            "io.fabric8.kubernetes.api.model.policy.v1.Eviction, io.k8s.api.policy.v1.Eviction",
            "io.fabric8.kubernetes.api.model.rbac.ClusterRole, io.k8s.api.rbac.v1.ClusterRole",
            "io.fabric8.kubernetes.api.model.coordination.v1.Lease, io.k8s.api.coordination.v1.Lease",
            "io.fabric8.kubernetes.api.model.events.v1.Event, io.k8s.api.events.v1.Event",
            "io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview, io.k8s.api.authorization.v1.SelfSubjectAccessReview",
            "io.fabric8.kubernetes.api.model.batch.v1.Job, io.k8s.api.batch.v1.Job",
    })
    void fabric8ClassesTakeUpstreamNames(String fabric8Class, String upstreamName) throws ClassNotFoundException {
        assertThat(SchemaNames.of(Class.forName(fabric8Class))).isEqualTo(upstreamName);
    }

    @Test
    void classesOutsideFabric8sModelHaveNoUpstreamName() {
        assertThatThrownBy(() -> SchemaNames.of(String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("java.lang.String is not a fabric8 Kubernetes model type");
    }
}
