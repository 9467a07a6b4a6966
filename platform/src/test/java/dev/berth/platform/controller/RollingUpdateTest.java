package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Kubernetes Deployment controller's RollingUpdate arithmetic, table by table. */
class RollingUpdateTest {

    private static IntOrString value(String v) {
        if (v == null) {
            return null;
        }
        return v.endsWith("%") || !v.chars().allMatch(Character::isDigit) ? new IntOrString(v) : new IntOrString(Integer.parseInt(v));
    }

    @ParameterizedTest(name = "desired {2}, maxSurge {0}, maxUnavailable {1} → surge {3}, unavailable {4}")
    @CsvSource(nullValues = "-", value = {
            // surge rounds up, unavailable rounds down
            "25%, 25%, 10, 3, 2",
            "25%, 25%, 4, 1, 1",
            "25%, 25%, 1, 1, 0",
            "30%, 30%, 7, 3, 2",
            "50%, 50%, 3, 2, 1",
            "100%, 0%, 3, 3, 0",
            "0%, 100%, 3, 0, 3",
            // integers are taken as they are, even beyond desired
            "1, 0, 2, 1, 0",
            "1, 0, 3, 1, 0",
            "5, 5, 2, 5, 5",
            // both 0 → unavailable 1, so the rollout can move
            "0, 0, 3, 0, 1",
            "0%, 0%, 3, 0, 1",
            "10%, 10%, 3, 1, 0",
            "0%, 10%, 3, 0, 1",
            // defaults when the manifest says nothing: 25% and 25%
            "-, -, 4, 1, 1",
            "-, -, 10, 3, 2",
            // zero replicas: percentages of 0 are 0
            "25%, 25%, 0, 0, 1",
            // a quoted integer, as quarkus-kubernetes writes it
            "'1', '0', 2, 1, 0",
    })
    void fenceposts(String maxSurge, String maxUnavailable, int desired, int surge, int unavailable) {
        IntOrString s = maxSurge != null && maxSurge.startsWith("'") ? new IntOrString(maxSurge.replace("'", "")) : value(maxSurge);
        IntOrString u = maxUnavailable != null && maxUnavailable.startsWith("'") ? new IntOrString(maxUnavailable.replace("'", "")) : value(maxUnavailable);
        assertThat(RollingUpdate.fenceposts(s, u, desired)).isEqualTo(new RollingUpdate.Fenceposts(surge, unavailable));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @CsvSource({"abc", "-1", "-5%", "%", "1.5"})
    void refusesWhatIsNeitherAnIntegerNorAPercentage(String v) {
        assertThatThrownBy(() -> RollingUpdate.fenceposts(new IntOrString(v), new IntOrString("25%"), 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "desired {0}, surge {1}, total {2}, new {3} → new {4}")
    @CsvSource({
            // 3 replicas, maxSurge 1: one new pod at a time beside the old ones
            "3, 1, 3, 0, 1",
            "3, 1, 4, 1, 1",   // at the ceiling: wait for an old pod to go
            "3, 1, 3, 1, 2",
            "3, 1, 3, 2, 3",
            "3, 1, 3, 3, 3",   // done
            // surge 0 (maxUnavailable does the work): no growth until old pods go
            "3, 0, 3, 0, 0",
            "3, 0, 2, 0, 1",
            // a big surge is capped at desired
            "2, 5, 2, 0, 2",
            "10, 3, 10, 0, 3",
            // scale-up during a rollout: room left by the new desired count
            "5, 1, 3, 1, 4",
    })
    void newReplicaSetGrowsWithinTheSurge(int desired, int surge, int total, int newReplicas, int expected) {
        assertThat(RollingUpdate.newReplicaSetReplicas(desired, surge, total, newReplicas)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "desired {0}, unavailable {1}, total {2}, new {3}/{4} available → may scale down {5}")
    @CsvSource({
            "3, 0, 4, 1, 0, 0",  // the new pod is not available yet: nothing old may go
            "3, 0, 4, 1, 1, 1",  // now one may
            "3, 1, 3, 0, 0, 1",  // maxUnavailable 1: one old may go before any new pod exists
            "2, 0, 3, 1, 1, 1",
            "10, 2, 13, 3, 0, 2",
            "10, 2, 13, 3, 3, 5",
    })
    void oldPodsGoOnlyAsAvailabilityAllows(int desired, int unavailable, int total, int newReplicas, int newAvailable, int expected) {
        assertThat(RollingUpdate.maxScaledDown(desired, unavailable, total, newReplicas, newAvailable)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "desired {0}, unavailable {1}, available {2} → {3}")
    @CsvSource({"3, 0, 4, 1", "3, 0, 3, 0", "3, 1, 3, 1", "3, 0, 2, 0", "10, 2, 11, 3"})
    void availableScaleDownKeepsTheMinimum(int desired, int unavailable, int available, int expected) {
        assertThat(RollingUpdate.availableScaleDown(desired, unavailable, available)).isEqualTo(expected);
    }
}
