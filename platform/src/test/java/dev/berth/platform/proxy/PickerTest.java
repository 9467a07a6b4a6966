package dev.berth.platform.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The load-balancing pickers as pure functions of their upstreams, loads and tried set. */
class PickerTest {

    static List<String> picks(Picker<FakeUpstream> picker, int n, Collection<? extends Upstream> tried) {
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FakeUpstream u = picker.pick(tried);
            picked.add(u == null ? null : u.replica());
        }
        return picked;
    }

    static Map<String, Integer> count(List<String> picked) {
        Map<String, Integer> counts = new TreeMap<>();
        picked.forEach(p -> counts.merge(p, 1, Integer::sum));
        return counts;
    }

    @Test
    void roundRobinTakesEachInTurnAndPassesOverTried() {
        FakeUpstream a = new FakeUpstream("a", "r");
        FakeUpstream b = new FakeUpstream("b", "r");
        FakeUpstream c = new FakeUpstream("c", "r");
        Picker<FakeUpstream> picker = LoadBalancingStrategy.ROUND_ROBIN.newPicker(List.of(a, b, c));

        assertThat(picks(picker, 6, Set.of())).containsExactly("a", "b", "c", "a", "b", "c");
        assertThat(picks(picker, 4, Set.of(b))).doesNotContain("b").doesNotContainNull();
        assertThat(picker.pick(Set.of(a, b, c))).isNull();
        assertThat(LoadBalancingStrategy.ROUND_ROBIN.newPicker(List.<FakeUpstream>of()).pick(Set.of())).isNull();
    }

    static Stream<Arguments> leastRequestsCases() {
        return Stream.of(
                // loads of a, b, c; tried; expected picks
                Arguments.of(List.of(2, 0, 1), Set.of(), List.of("b", "b", "b")),
                Arguments.of(List.of(0, 0, 0), Set.of(), List.of("a", "b", "c", "a")),   // ties take turns
                Arguments.of(List.of(1, 1, 3), Set.of(), List.of("a", "b", "a", "a")),   // scan start rotates over a,b,c
                Arguments.of(List.of(2, 0, 1), Set.of("b"), List.of("c", "c")),        // least of the untried
                Arguments.of(List.of(0, 0, 0), Set.of("a", "b", "c"), Stream.of((String) null, null).toList()));
    }

    @ParameterizedTest
    @MethodSource("leastRequestsCases")
    void leastRequestsPicksTheLeastLoadedUntried(List<Integer> loads, Set<String> triedNames, List<String> expected) {
        List<FakeUpstream> upstreams = List.of(
                new FakeUpstream("a", "r").busy(loads.get(0)),
                new FakeUpstream("b", "r").busy(loads.get(1)),
                new FakeUpstream("c", "r").busy(loads.get(2)));
        List<FakeUpstream> tried = upstreams.stream().filter(u -> triedNames.contains(u.replica())).toList();

        Picker<FakeUpstream> picker = LoadBalancingStrategy.LEAST_REQUESTS.newPicker(upstreams);

        assertThat(picks(picker, expected.size(), tried)).isEqualTo(expected);
    }

    static Stream<Arguments> weightedCases() {
        return Stream.of(
                // weights, picks, expected picks per revision (exact: smooth WRR is deterministic)
                Arguments.of(Map.of("stable", 90, "canary", 10), 100, Map.of("stable", 90, "canary", 10)),
                Arguments.of(Map.of("stable", 90, "canary", 10), 10, Map.of("stable", 9, "canary", 1)),
                Arguments.of(Map.of("a", 5, "b", 3, "c", 2), 100, Map.of("a", 50, "b", 30, "c", 20)),
                Arguments.of(Map.of("stable", 1, "canary", 1), 10, Map.of("stable", 5, "canary", 5)),
                Arguments.of(Map.of("stable", 100, "canary", 0), 50, Map.of("stable", 50)),
                Arguments.of(Map.of("stable", 3), 9, Map.of("stable", 9))); // canary unnamed: weight 0
    }

    @ParameterizedTest
    @MethodSource("weightedCases")
    void weightsPickTheRevisionThenTheEndpoint(Map<String, Integer> weights, int n, Map<String, Integer> expected) {
        List<FakeUpstream> upstreams = List.of(
                new FakeUpstream("stable-1", "stable"), new FakeUpstream("stable-2", "stable"),
                new FakeUpstream("canary-1", "canary"),
                new FakeUpstream("a-1", "a"), new FakeUpstream("b-1", "b"), new FakeUpstream("c-1", "c"));
        Rotation<FakeUpstream> rotation = Rotation.of(upstreams, new TrafficSplit(weights), LoadBalancingStrategy.ROUND_ROBIN);

        Map<String, Integer> byRevision = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            byRevision.merge(rotation.acquire(Set.of()).endpoint().revision(), 1, Integer::sum);
        }

        assertThat(byRevision).isEqualTo(new TreeMap<>(expected));
    }

    @Test
    void weightsRoundRobinWithinARevisionAndSkipRevisionsWhoseEndpointsWereAllTried() {
        FakeUpstream s1 = new FakeUpstream("s1", "stable");
        FakeUpstream s2 = new FakeUpstream("s2", "stable");
        FakeUpstream c1 = new FakeUpstream("c1", "canary");
        Rotation<FakeUpstream> rotation = Rotation.of(List.of(s1, s2, c1), TrafficSplit.of("stable", 1, "canary", 1),
                LoadBalancingStrategy.ROUND_ROBIN);

        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            picked.add(rotation.acquire(Set.of()).replica());
        }
        assertThat(picked).containsExactly("s1", "c1", "s2", "c1");
        assertThat(rotation.acquire(Set.of(c1)).endpoint().revision()).isEqualTo("stable");
        assertThat(rotation.acquire(Set.of(s1, s2)).replica()).isEqualTo("c1");
        assertThat(rotation.acquire(Set.of(s1, s2, c1))).isNull();
    }

    @Test
    void splitWhoseRevisionsHaveNoEndpointsFallsBackToEveryEndpoint() {
        FakeUpstream a = new FakeUpstream("a", "old");
        FakeUpstream b = new FakeUpstream("b", "old");
        Rotation<FakeUpstream> rotation = Rotation.of(List.of(a, b), TrafficSplit.of("next", 50, "other", 50),
                LoadBalancingStrategy.ROUND_ROBIN);

        assertThat(List.of(rotation.acquire(Set.of()).replica(), rotation.acquire(Set.of()).replica()))
                .containsExactly("a", "b");
    }

    @Test
    void acquirePassesOverAnUpstreamThatStartedDraining() {
        FakeUpstream a = new FakeUpstream("a", "r");
        FakeUpstream b = new FakeUpstream("b", "r");
        Rotation<FakeUpstream> rotation = Rotation.of(List.of(a, b), TrafficSplit.EQUAL, LoadBalancingStrategy.ROUND_ROBIN);
        a.drain(java.time.Duration.ZERO);

        assertThat(List.of(rotation.acquire(Set.of()), rotation.acquire(Set.of()))).containsExactly(b, b);
        assertThat(a.status().routed()).isZero();
        assertThat(b.status()).isEqualTo(new EndpointStatus(b.endpoint(), false, 2, 2));
    }
}
