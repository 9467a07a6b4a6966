package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.apiserver.defaults.Defaults;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The planner read absent strategy fields as upstream's defaults before the API server set them; a Deployment with
 * the defaults written out (as the API now stores it) plans exactly as the bare one did.
 */
class DefaultedDeploymentPlanningTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    @ParameterizedTest(name = "replicas {0}")
    @ValueSource(ints = {0, 1, 3, 4, 10, 101})
    void explicitDefaultsPlanAsAbsentOnes(int replicas) {
        Deployment bare = new DeploymentBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec().withReplicas(replicas)
                .withNewTemplate().withNewSpec().addNewContainer().withName("c").withImage("app:1").endContainer().endSpec().endTemplate()
                .endSpec().build();
        Deployment defaulted = Defaults.apply(JSON.clone(bare));
        assertThat(defaulted.getSpec().getStrategy().getRollingUpdate()).isNotNull();

        assertThat(DeploymentPlanner.fenceposts(defaulted)).isEqualTo(DeploymentPlanner.fenceposts(bare));
        assertThat(DeploymentPlanner.maxUnavailable(defaulted)).isEqualTo(DeploymentPlanner.maxUnavailable(bare));
        assertThat(DeploymentPlanner.recreate(defaulted)).isEqualTo(DeploymentPlanner.recreate(bare));
        assertThat(DeploymentPlanner.progressDeadline(defaulted)).isEqualTo(DeploymentPlanner.progressDeadline(bare));
        assertThat(defaulted.getSpec().getRevisionHistoryLimit()).isEqualTo(DeploymentPlanner.DEFAULT_REVISION_HISTORY_LIMIT);
    }

    @ParameterizedTest(name = "replicas unset, {0}")
    @ValueSource(strings = {"RollingUpdate", "Recreate"})
    void unsetReplicasPlanAsOne(String strategy) {
        Deployment bare = new DeploymentBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec()
                .withNewStrategy().withType(strategy).endStrategy()
                .withNewTemplate().withNewSpec().addNewContainer().withName("c").withImage("app:1").endContainer().endSpec().endTemplate()
                .endSpec().build();
        Deployment defaulted = Defaults.apply(JSON.clone(bare));
        assertThat(DeploymentPlanner.fenceposts(defaulted)).isEqualTo(DeploymentPlanner.fenceposts(bare));
        assertThat(DeploymentPlanner.maxUnavailable(defaulted)).isEqualTo(DeploymentPlanner.maxUnavailable(bare));
        assertThat(DeploymentPlanner.recreate(defaulted)).isEqualTo(DeploymentPlanner.recreate(bare));
        assertThat(DeploymentPlanner.desired(defaulted)).isEqualTo(DeploymentPlanner.desired(bare)).isEqualTo(1);
    }
}
