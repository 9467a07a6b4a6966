package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The StatefulSet's step and status with revisions, after upstream's {@code stateful_set_control_test.go}
 * ({@code TestStatefulSetControlRollingUpdate}, {@code ...WithPartition}, {@code ...OnDelete}): pods written as
 * {@code "<ordinal>:<revision>[:ready|:finished]"}, current revision {@code c}, update revision {@code u}.
 */
class StatefulSetPlannerTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // case, replicas, strategy, partition, pods, expected step, currentReplicas, updatedReplicas, currentRevision
                Arguments.of("creation: ordinal 0 from the update revision", 2, "RollingUpdate", 0, List.of(), "create 0 u", 0, 0, "c"),
                Arguments.of("OrderedReady: 1 waits for 0", 2, "RollingUpdate", 0, List.of("0:u"), "none", 0, 1, "c"),
                Arguments.of("scale up once 0 is Ready", 2, "RollingUpdate", 0, List.of("0:u:ready"), "create 1 u", 0, 1, "c"),
                Arguments.of("complete: the update revision becomes current", 2, "RollingUpdate", 0, List.of("0:u:ready", "1:u:ready"),
                        "none", 2, 2, "u"),
                Arguments.of("rolling update: the highest ordinal first", 3, "RollingUpdate", 0,
                        List.of("0:c:ready", "1:c:ready", "2:c:ready"), "delete 2", 3, 0, "c"),
                Arguments.of("rolling update: then the next below", 3, "RollingUpdate", 0,
                        List.of("0:c:ready", "1:c:ready", "2:u:ready"), "delete 1", 2, 1, "c"),
                Arguments.of("rolling update: waits for the replaced one to be Ready", 3, "RollingUpdate", 0,
                        List.of("0:c:ready", "1:c:ready", "2:u"), "none", 2, 1, "c"),
                Arguments.of("partition 2: ordinals below keep the current revision", 3, "RollingUpdate", 2,
                        List.of("0:c:ready", "1:c:ready", "2:u:ready"), "none", 2, 1, "c"),
                Arguments.of("partition 2: a missing ordinal below comes back current", 3, "RollingUpdate", 2,
                        List.of("0:c:ready", "2:u:ready"), "create 1 c", 1, 1, "c"),
                Arguments.of("OnDelete: nothing replaced", 2, "OnDelete", 0, List.of("0:c:ready", "1:c:ready"), "none", 2, 0, "c"),
                Arguments.of("OnDelete: a deleted pod comes back updated", 2, "OnDelete", 0, List.of("0:c:ready"), "create 1 u", 1, 0, "c"),
                Arguments.of("a finished pod is deleted to come back", 1, "RollingUpdate", 0, List.of("0:c:finished"), "delete 0", 0, 0, "c"),
                Arguments.of("scale down: the highest ordinal goes", 1, "RollingUpdate", 0, List.of("0:u:ready", "1:u:ready"), "delete 1",
                        0, 2, "c"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stepAndStatus(String name, int replicas, String strategy, int partition, List<String> pods, String step,
            int currentReplicas, int updatedReplicas, String currentRevision) {
        StatefulSet set = new StatefulSetBuilder().withNewMetadata().withName("web").withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewUpdateStrategy().withType(strategy)
                .withNewRollingUpdate().withPartition(partition).endRollingUpdate().endUpdateStrategy().endSpec().build();
        List<Pod> owned = new ArrayList<>();
        for (String p : pods) {
            String[] parts = p.split(":");
            PodBuilder b = new PodBuilder().withNewMetadata().withName("web-" + parts[0])
                    .addToLabels(StatefulSetRevisions.POD_REVISION_LABEL, parts[1]).endMetadata();
            if (parts.length > 2 && parts[2].equals("ready")) {
                b.withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
            } else if (parts.length > 2 && parts[2].equals("finished")) {
                b.withNewStatus().withPhase("Failed").endStatus();
            }
            owned.add(b.build());
        }
        StatefulSetPlanner.Plan plan = StatefulSetPlanner.plan(set, owned, "c", "u");
        assertThat(describe(plan.step())).isEqualTo(step);
        assertThat(plan.status().getCurrentReplicas()).as("currentReplicas").isEqualTo(currentReplicas);
        assertThat(plan.status().getUpdatedReplicas()).as("updatedReplicas").isEqualTo(updatedReplicas);
        assertThat(plan.status().getCurrentRevision()).as("currentRevision").isEqualTo(currentRevision);
        assertThat(plan.status().getUpdateRevision()).isEqualTo("u");
    }

    private static String describe(StatefulSetPlanner.Step step) {
        if (step instanceof StatefulSetPlanner.Step.Create c) {
            return "create " + c.ordinal() + " " + c.revision();
        }
        if (step instanceof StatefulSetPlanner.Step.Delete d) {
            return "delete " + d.pod().getMetadata().getName().substring("web-".length());
        }
        return "none";
    }
}
