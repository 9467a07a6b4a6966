package dev.berth.platform.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.apiserver.discovery.ServedResources;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** fabric8's client, which the core's own engine uses, reads the discovery documents (the legacy form). */
class Fabric8AgainstDocumentsTest {

    private static DocumentServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void connect() throws Exception {
        server = new DocumentServer(ServedResources.all());
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(server.url())
                .withOauthToken("test-token").withRequestRetryBackoffLimit(0).build()).build();
    }

    @AfterAll
    static void close() {
        client.close();
        server.close();
    }

    @Test
    void readsTheServerVersion() {
        VersionInfo version = client.getKubernetesVersion();

        assertThat(version.getMajor()).isEqualTo("1");
        assertThat(version.getMinor()).isEqualTo("32");
        assertThat(version.getGitVersion()).isEqualTo("v1.32.0-berth");
    }

    @Test
    void readsGroupsAndResources() {
        assertThat(client.getApiGroups().getGroups()).extracting(APIGroup::getName).containsExactly("apps", "events.k8s.io", "authorization.k8s.io", "autoscaling",
                "rbac.authorization.k8s.io", "coordination.k8s.io");
        assertThat(client.getApiGroup("apps").getPreferredVersion().getGroupVersion()).isEqualTo("apps/v1");
        assertThat(client.getApiResources("apps/v1").getResources()).extracting(APIResource::getName)
                .contains("deployments", "deployments/scale", "statefulsets/status");
        assertThat(client.getApiResources("v1").getResources()).extracting(APIResource::getName)
                .contains("pods", "pods/log", "nodes", "namespaces/finalize");
    }

    @Test
    void knowsWhichKindsTheServerServes() {
        assertThat(client.supports("apps/v1", "Deployment")).isTrue();
        assertThat(client.supports("autoscaling/v2", "HorizontalPodAutoscaler")).isTrue();
        assertThat(client.supports("batch/v1", "Job")).isFalse();
    }
}
