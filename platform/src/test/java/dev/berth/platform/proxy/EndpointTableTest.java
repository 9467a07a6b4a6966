package dev.berth.platform.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Endpoint-set bookkeeping: upstream reuse, removal, sticky drains, close. */
class EndpointTableTest {

    final List<FakeUpstream> created = new ArrayList<>();
    final EndpointTable<FakeUpstream> table = new EndpointTable<>(endpoint -> {
        FakeUpstream upstream = new FakeUpstream(endpoint);
        created.add(upstream);
        return upstream;
    }, LoadBalancingStrategy.ROUND_ROBIN, Duration.ZERO);

    static final Endpoint A = new Endpoint("web-a", "127.0.0.1", 10_001, "r1");
    static final Endpoint B = new Endpoint("web-b", "127.0.0.1", 10_002, "r1");

    List<Endpoint> inRotation() {
        return table.rotation().upstreams().stream().map(Upstream::endpoint).toList();
    }

    @Test
    void keepsTheUpstreamOfAnEndpointAcrossUpdatesAndCountsDuplicatesOnce() {
        table.update(List.of(A, B, A));
        table.update(List.of(B, A));

        assertThat(created).hasSize(2);
        assertThat(inRotation()).containsExactly(B, A);
        assertThat(table.inRotation()).isEqualTo(2);
    }

    @Test
    void anEndpointLeftOutIsDrainedAndForgotten() {
        table.update(List.of(A, B));
        FakeUpstream b = created.get(1);

        table.update(List.of(A));

        assertThat(inRotation()).containsExactly(A);
        assertThat(b.connectionsClosed()).isTrue();
        assertThat(table.status()).extracting(EndpointStatus::endpoint).containsExactly(A);
    }

    @Test
    void aDrainedEndpointStaysOutUntilAnUpdateLeavesItOut() {
        table.update(List.of(A, B));
        table.drain(B, Duration.ZERO);

        table.update(List.of(A, B));
        assertThat(inRotation()).containsExactly(A);

        table.update(List.of(A));
        table.update(List.of(A, B));
        assertThat(inRotation()).containsExactly(A, B);
        assertThat(created).hasSize(3); // B came back as a new upstream
    }

    @Test
    void updateWithoutSplitKeepsTheSplit() {
        TrafficSplit split = TrafficSplit.of("r1", 90, "r2", 10);
        table.update(List.of(A), split);
        table.update(List.of(A, B));

        assertThat(table.split()).isEqualTo(split);
    }

    @Test
    void closeClosesEveryUpstreamAndRefusesLaterUpdates() {
        table.update(List.of(A, B));

        table.close();

        assertThat(created).allMatch(FakeUpstream::connectionsClosed);
        assertThat(table.rotation().isEmpty()).isTrue();
        assertThatThrownBy(() -> table.update(List.of(A))).isInstanceOf(IllegalStateException.class);
    }
}
