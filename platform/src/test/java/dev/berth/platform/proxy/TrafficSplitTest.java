package dev.berth.platform.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {

    @Test
    void equalHasNoWeights() {
        assertThat(TrafficSplit.EQUAL.isEqual()).isTrue();
        assertThat(TrafficSplit.of("a", 90, "b", 10).weightOf("c")).isZero();
    }

    @Test
    void rejectsNegativeAndAllZeroWeights() {
        assertThatThrownBy(() -> new TrafficSplit(Map.of("a", -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a' must be >= 0");
        assertThatThrownBy(() -> TrafficSplit.of("a", 0, "b", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one revision");
    }

    @Test
    void endpointAndConfigRejectNonsense() {
        assertThatThrownBy(() -> new Endpoint("web-1", "127.0.0.1", 0, "r1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Endpoint(" ", "127.0.0.1", 80, "r1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceProxyConfig.http(
                new dev.berth.platform.model.ObjectKey(dev.berth.platform.model.ResourceKind.DEPLOYMENT, "default", "web"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a proxy serves a Service");
    }
}
