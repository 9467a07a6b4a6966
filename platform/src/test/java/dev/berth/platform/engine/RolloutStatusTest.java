package dev.berth.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kubectl rollout status's messages, and Berth's "rolled back" verdict. */
class RolloutStatusTest {

    static Deployment deployment(long generation, long observed, int desired, int replicas, int updated, int available, DeploymentCondition... conditions) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(desired).endSpec()
                .withNewStatus().withObservedGeneration(observed).withReplicas(replicas).withUpdatedReplicas(updated)
                    .withAvailableReplicas(available).withConditions(conditions).endStatus().build();
    }

    @ParameterizedTest(name = "{8}")
    @CsvSource(delimiter = '|', value = {
            "3|2|3|3|3|3|false|false|Waiting for deployment spec update to be observed...",
            "3|3|3|3|1|1|false|false|Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...",
            "3|3|3|4|3|3|false|false|Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...",
            "3|3|3|3|3|2|false|false|Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...",
            "3|3|3|3|3|3|true|false|deployment \"web\" successfully rolled out",
    })
    void kubectlsMessages(long generation, long observed, int desired, int replicas, int updated, int available, boolean done, boolean failed, String message) {
        assertThat(RolloutStatus.of(deployment(generation, observed, desired, replicas, updated, available), List.of()))
                .isEqualTo(new RolloutStatus(message, done, failed));
    }

    static DeploymentCondition degraded(String at) {
        return new DeploymentConditionBuilder().withType("Degraded").withStatus("True").withReason("Unready")
                .withMessage("rolled back from revision 2 to revision 1: x").withLastTransitionTime(at).build();
    }

    static ReplicaSet created(String at) {
        return new ReplicaSetBuilder().withNewMetadata().withName("web-1").withCreationTimestamp(at).endMetadata().build();
    }

    @ParameterizedTest(name = "newest ReplicaSet created {0}: failed = {1}")
    @CsvSource({"2026-11-22T09:59:00Z, true", "2026-11-22T10:00:00Z, false", "2026-11-22T10:05:00Z, false"})
    void aRollbackFailsTheRolloutUntilANewRevisionIsTried(String rsCreated, boolean failed) {
        Deployment d = deployment(3, 3, 2, 2, 2, 2, degraded("2026-11-22T10:00:00Z"));
        RolloutStatus s = RolloutStatus.of(d, List.of(created(rsCreated)));
        assertThat(s.failed()).isEqualTo(failed);
        if (failed) {
            assertThat(s.message()).isEqualTo("deployment \"web\" was rolled back automatically (Unready): rolled back from revision 2 to revision 1: x");
            assertThat(s.done()).isTrue();
        } else {
            assertThat(s.message()).isEqualTo("deployment \"web\" successfully rolled out");
        }
    }

    @Test
    void aTimedOutRolloutFails() {
        Deployment d = deployment(3, 3, 2, 3, 1, 2, new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
                .withReason("ProgressDeadlineExceeded").build());
        assertThat(RolloutStatus.of(d, List.of())).isEqualTo(new RolloutStatus("deployment \"web\" exceeded its progress deadline", true, true));
    }
}
