package dev.berth.support.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PrometheusConventionsTest {

    @ParameterizedTest
    @CsvSource({
        "ft.timeout.executionDuration, ft.timeout.execution_duration",
        "clientName, client_name",
        "timedOut, timed_out",
        "http.server.requests, http.server.requests",
        "jvm.gc.pause, jvm.gc.pause",
        "retryResult, retry_result"
    })
    void snakeCasesCamelCase(String in, String out) {
        assertThat(PrometheusConventions.snake(in)).isEqualTo(out);
    }

    @Test
    void renamesTagKeysAndDescribesUndescribedMeters() {
        var id = new Meter.Id("ft.retry.calls", Tags.of("retryResult", "valueReturned"), null, null, Meter.Type.COUNTER);
        Meter.Id mapped = PrometheusConventions.conventional(id);
        assertThat(mapped.getTag("retry_result")).isEqualTo("valueReturned");
        assertThat(mapped.getTag("retryResult")).isNull();
        assertThat(mapped.getDescription()).contains("SmallRye Fault Tolerance");
    }

    @Test
    void leavesConventionalMetersAlone() {
        var id = new Meter.Id("orders.created", Tags.of("status", "PAID"), null, "Orders created", Meter.Type.COUNTER);
        assertThat(PrometheusConventions.conventional(id)).isSameAs(id);
    }

    @Test
    void renamesTheCpuCountGaugeThatLooksLikeASummary() {
        var id = new Meter.Id("system.cpu.count", Tags.empty(), null, "The number of processors", Meter.Type.GAUGE);
        assertThat(PrometheusConventions.conventional(id).getName()).isEqualTo("system.cpu.processors");
    }
}
