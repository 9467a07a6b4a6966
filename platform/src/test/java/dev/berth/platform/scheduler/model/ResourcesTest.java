package dev.berth.platform.scheduler.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ResourcesTest {

    @ParameterizedTest(name = "cpu {0} = {1}m")
    @CsvSource({"500m, 500", "1, 1000", "0.1, 100", "2.5, 2500", "1500m, 1500", "0.0001, 1", "100u, 1"})
    void parsesCpuInMilliCoresRoundingUp(String quantity, long milliCpu) {
        assertThat(Resources.parse(quantity, null).milliCpu()).isEqualTo(milliCpu);
    }

    @ParameterizedTest(name = "memory {0} = {1} bytes")
    @CsvSource({"1Gi, 1073741824", "512Mi, 536870912", "1G, 1000000000", "100k, 100000", "128974848, 128974848", "1.5Ki, 1536"})
    void parsesMemoryInBytes(String quantity, long bytes) {
        assertThat(Resources.parse(null, quantity).memoryBytes()).isEqualTo(bytes);
    }

    @Test
    void neverNegative() {
        assertThatIllegalArgumentException().isThrownBy(() -> Resources.of(1, 1).minus(Resources.of(2, 0)));
    }
}
