package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.berth.platform.scheduler.Fixtures.assertStatus;
import static dev.berth.platform.scheduler.Fixtures.node;
import static dev.berth.platform.scheduler.Fixtures.using;
import static dev.berth.platform.scheduler.plugins.NodeResourcesFit.REASON_CPU;
import static dev.berth.platform.scheduler.plugins.NodeResourcesFit.REASON_MEMORY;
import static dev.berth.platform.scheduler.plugins.NodeResourcesFit.REASON_TOO_MANY_PODS;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NodeResourcesFitTest {

    /** 4 cores and 8 GiB, of which 3 cores and 6 GiB are requested. */
    private static final NodeInfo HALF_FULL = using(node("n", "4", "8Gi").build(), "3", "6Gi");

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("fits exactly", HALF_FULL, "1", "2Gi", List.of()),
                arguments("one milli-core too many", HALF_FULL, "1001m", "1Gi", List.of(REASON_CPU)),
                arguments("one byte too many", HALF_FULL, "500m", String.valueOf(2L * 1024 * 1024 * 1024 + 1), List.of(REASON_MEMORY)),
                arguments("both short: both reported", HALF_FULL, "2", "4Gi", List.of(REASON_CPU, REASON_MEMORY)),
                arguments("empty node", node("n", "4", "8Gi").build(), "4", "8Gi", List.of()),
                arguments("zero request fits a full node", using(node("n", "4", "8Gi").build(), "4", "8Gi"), "0", "0", List.of()),
                arguments("zero cpu request, memory short", using(node("n", "4", "8Gi").build(), "1", "8Gi"), "0", "1", List.of(REASON_MEMORY)),
                arguments("no free pod slot", using(node("n", "4", "8Gi").maxPods(1).build(), "1", "1Gi"), "1", "1Gi",
                        List.of(REASON_TOO_MANY_PODS)),
                arguments("no pod slot and no cpu", using(node("n", "4", "8Gi").maxPods(1).build(), "4", "1Gi"), "1", "1Gi",
                        List.of(REASON_TOO_MANY_PODS, REASON_CPU)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fitsRequest(String description, NodeInfo node, String cpu, String memory, List<String> reasons) {
        assertStatus(NodeResourcesFit.fitsRequest(Resources.parse(cpu, memory), node), NodeResourcesFit.NAME, reasons);
    }
}
