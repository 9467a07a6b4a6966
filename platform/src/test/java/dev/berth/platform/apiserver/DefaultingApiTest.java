package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.api.CoreApiProfile;
import dev.berth.platform.api.CoreApiTokens;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Defaulting end to end: bare objects written through the API read back with the fields kube-apiserver fills in, on
 * create and after a patch that removes a defaulted field.
 */
@QuarkusTest
@TestProfile(CoreApiProfile.class)
class DefaultingApiTest {

    static final String NS = "defaulting";

    @TestHTTPResource("/")
    URL root;

    private KubernetesClient k;

    @BeforeEach
    void client() {
        k = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(root.toString()).withOauthToken(CoreApiTokens.ADMIN)
                .withNamespace(NS).withRequestRetryBackoffLimit(0).build()).build();
        if (k.namespaces().withName(NS).get() == null) { // the NamespaceLifecycle admission refuses objects in a missing namespace
            k.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        }
    }

    @AfterEach
    void cleanUp() {
        k.apps().deployments().inNamespace(NS).delete();
        k.services().inNamespace(NS).delete();
        k.close();
    }

    @Test
    void aBareDeploymentReadsBackDefaulted() {
        k.apps().deployments().resource(new DeploymentBuilder().withNewMetadata().withName("bare").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "bare").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "bare").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("127.0.0.1:5000/bare").addNewPort().withContainerPort(8080).endPort()
                .withNewReadinessProbe().withNewHttpGet().withPort(new IntOrString(8080)).endHttpGet().endReadinessProbe()
                .endContainer().endSpec().endTemplate().endSpec().build()).create();

        DeploymentSpec spec = k.apps().deployments().withName("bare").get().getSpec();
        assertThat(spec.getReplicas()).isEqualTo(1);
        assertThat(spec.getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(spec.getStrategy().getRollingUpdate().getMaxSurge()).isEqualTo(new IntOrString("25%"));
        assertThat(spec.getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString("25%"));
        assertThat(spec.getRevisionHistoryLimit()).isEqualTo(10);
        assertThat(spec.getProgressDeadlineSeconds()).isEqualTo(600);
        PodSpec pod = spec.getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Always");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30L);
        assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirst");
        assertThat(pod.getSchedulerName()).isEqualTo("default-scheduler");
        assertThat(pod.getSecurityContext()).isNotNull();
        Container c = pod.getContainers().get(0);
        assertThat(c.getImagePullPolicy()).isEqualTo("Always"); // no tag
        assertThat(c.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
        assertThat(c.getTerminationMessagePolicy()).isEqualTo("File");
        assertThat(c.getPorts().get(0).getProtocol()).isEqualTo("TCP");
        assertThat(c.getReadinessProbe().getPeriodSeconds()).isEqualTo(10);
        assertThat(c.getReadinessProbe().getTimeoutSeconds()).isEqualTo(1);
        assertThat(c.getReadinessProbe().getSuccessThreshold()).isEqualTo(1);
        assertThat(c.getReadinessProbe().getFailureThreshold()).isEqualTo(3);
        assertThat(c.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTP");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/");

        // upstream defaults a patch's result: a merge patch removing a defaulted field gets it back
        Deployment patched = k.apps().deployments().withName("bare")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"revisionHistoryLimit\":null,\"replicas\":0}}");
        assertThat(patched.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
        assertThat(patched.getSpec().getReplicas()).isZero();
    }

    @Test
    void aBareServiceReadsBackDefaulted() {
        k.services().resource(new ServiceBuilder().withNewMetadata().withName("bare").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "bare")).addNewPort().withPort(80).endPort().endSpec().build()).create();

        Service svc = k.services().withName("bare").get();
        assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(svc.getSpec().getSessionAffinity()).isEqualTo("None");
        assertThat(svc.getSpec().getInternalTrafficPolicy()).isEqualTo("Cluster");
        assertThat(svc.getSpec().getPorts().get(0).getProtocol()).isEqualTo("TCP");
        assertThat(svc.getSpec().getPorts().get(0).getTargetPort()).isEqualTo(new IntOrString(80));
    }
}
