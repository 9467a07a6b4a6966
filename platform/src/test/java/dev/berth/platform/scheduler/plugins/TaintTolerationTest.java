package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.Taint;
import dev.berth.platform.scheduler.model.TaintEffect;
import dev.berth.platform.scheduler.model.Toleration;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.berth.platform.scheduler.Fixtures.assertStatus;
import static dev.berth.platform.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TaintTolerationTest {

    private static final Taint INFRA = Taint.of("dedicated", "infra", TaintEffect.NO_SCHEDULE);
    private static final Taint EVICTING = Taint.of("maintenance", "", TaintEffect.NO_EXECUTE);
    private static final Taint SPOT = Taint.of("spot", "true", TaintEffect.PREFER_NO_SCHEDULE);
    private static final Taint ARM = Taint.of("arch", "arm64", TaintEffect.PREFER_NO_SCHEDULE);

    static Stream<Arguments> filterCases() {
        String infraReason = "node(s) had untolerated taint {dedicated: infra}";
        return Stream.of(
                arguments("no taints", List.of(), List.of(), List.of()),
                arguments("NoSchedule untolerated", List.of(INFRA), List.of(), List.of(infraReason)),
                arguments("Equal key and value", List.of(INFRA), List.of(Toleration.equal("dedicated", "infra", TaintEffect.NO_SCHEDULE)), List.of()),
                arguments("Equal, other value", List.of(INFRA), List.of(Toleration.equal("dedicated", "db", TaintEffect.NO_SCHEDULE)),
                        List.of(infraReason)),
                arguments("Exists on the key, any effect", List.of(INFRA), List.of(Toleration.exists("dedicated", null)), List.of()),
                arguments("empty key with Exists tolerates everything", List.of(INFRA, EVICTING), List.of(Toleration.everything()), List.of()),
                arguments("toleration for another effect", List.of(INFRA), List.of(Toleration.exists("dedicated", TaintEffect.NO_EXECUTE)),
                        List.of(infraReason)),
                arguments("NoExecute untolerated", List.of(EVICTING), List.of(), List.of("node(s) had untolerated taint {maintenance: }")),
                arguments("PreferNoSchedule never filters", List.of(SPOT), List.of(), List.of()),
                arguments("first untolerated taint is reported", List.of(SPOT, EVICTING, INFRA),
                        List.of(Toleration.exists("maintenance", null)), List.of(infraReason)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String description, List<Taint> taints, List<Toleration> tolerations, List<String> reasons) {
        NodeInfo.Builder node = NodeInfo.builder("n");
        taints.forEach(node::taint);
        PodInfo.Builder pod = pod("p", "1", "1Gi");
        tolerations.forEach(pod::toleration);
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(node.build()), List.of());

        assertStatus(new TaintToleration().filter(new CycleState(snapshot), pod.build(), snapshot.node(0)), TaintToleration.NAME, reasons);
    }

    static Stream<Arguments> scoreCases() {
        return Stream.of(
                arguments("no taints", List.of(), List.of(), 0),
                arguments("one PreferNoSchedule", List.of(SPOT), List.of(), 1),
                arguments("two PreferNoSchedule", List.of(SPOT, ARM), List.of(), 2),
                arguments("NoSchedule taints do not count", List.of(INFRA, SPOT), List.of(), 1),
                arguments("tolerated with effect PreferNoSchedule", List.of(SPOT, ARM),
                        List.of(Toleration.exists("spot", TaintEffect.PREFER_NO_SCHEDULE)), 1),
                arguments("tolerated with any effect", List.of(SPOT), List.of(Toleration.equal("spot", "true", null)), 0),
                arguments("a NoSchedule toleration does not count for scoring", List.of(SPOT),
                        List.of(Toleration.exists("spot", TaintEffect.NO_SCHEDULE)), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scoreCases")
    void countsIntolerablePreferNoScheduleTaints(String description, List<Taint> taints, List<Toleration> tolerations, int expected) {
        assertThat(TaintToleration.intolerablePreferNoScheduleTaints(taints, tolerations)).isEqualTo(expected);
    }

    static Stream<Arguments> normalizeCases() {
        return Stream.of(
                arguments(new long[] {0, 1, 2}, new long[] {100, 50, 0}),
                arguments(new long[] {0, 0}, new long[] {100, 100}),
                arguments(new long[] {3, 3, 1}, new long[] {0, 0, 67}));
    }

    @ParameterizedTest
    @MethodSource("normalizeCases")
    void fewerTaintsScoreHigher(long[] raw, long[] normalized) {
        new TaintToleration().normalizeScore(null, null, raw);
        assertThat(raw).containsExactly(normalized);
    }
}
