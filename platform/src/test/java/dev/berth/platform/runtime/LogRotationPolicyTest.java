package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kubelet's rotation policy, rows from upstream's {@code pkg/kubelet/logs/container_log_manager_test.go} and the
 * checks of {@code NewContainerLogManager}, restated in bytes: a part is {@code maxSize} bytes of the file's offsets,
 * and "files kept" is the parts from {@link LogRotationPolicy#keepFrom} to the end, the current one included.
 */
class LogRotationPolicyTest {

    static Stream<Arguments> upstreamCases() {
        return Stream.of(
                // TestRotateLogs, testMaxSize 10, testMaxFiles 3
                Arguments.of("TestRotateLogs container-not-need-rotate (\"short\")", 10, 3, 5, 0),
                Arguments.of("TestRotateLogs container-need-rotate (20 bytes: one rotated, a new current, both kept)", 10, 3, 20, 0),
                // upstream keeps the whole 25-byte rotated file; parts here never outgrow maxSize, so 2 parts of 10 stay
                Arguments.of("TestRotateLogs container-has-excess-log (differs: 25+25+20 bytes, parts of exactly 10)", 10, 3, 70, 50),
                // TestRemoveExcessLog: four rotated files before this rotation, the current one full (5 parts); after it,
                // MaxFiles-2 of the four stay beside the one just rotated and the new current
                Arguments.of("TestRemoveExcessLog MaxFiles equal to 2", 10, 2, 50, 40),
                Arguments.of("TestRemoveExcessLog MaxFiles more than 2", 10, 3, 50, 30),
                Arguments.of("TestRemoveExcessLog MaxFiles more than log file number", 10, 6, 50, 0),
                // the defaults (containerLogMaxSize 10Mi, containerLogMaxFiles 5), see the policy's Javadoc
                Arguments.of("defaults, 47 Mi: four complete parts and the current", 10 << 20, 5, 47L << 20, 0),
                Arguments.of("defaults, 50 Mi: the fifth part complete, the oldest goes", 10 << 20, 5, 50L << 20, 10L << 20),
                Arguments.of("defaults, one byte short of the next part", 10 << 20, 5, (60L << 20) - 1, 10L << 20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamCases")
    void keepsTheNewestMaxFilesParts(String upstreamCase, long maxSize, int maxFiles, long size, long keepFrom) {
        LogRotationPolicy policy = new LogRotationPolicy(maxSize, maxFiles);

        assertThat(policy.keepFrom(size)).isEqualTo(keepFrom);
        assertThat(size - policy.keepFrom(size)).as("bytes kept").isLessThanOrEqualTo(maxSize * maxFiles);
    }

    @Test
    void theConfigurationIsAQuantityAsKubeletsAndMaxFilesMustBeAboveOne() {
        assertThat(LogRotationPolicy.of("10Mi", 5)).isEqualTo(new LogRotationPolicy(10L << 20, 5));
        assertThat(LogRotationPolicy.of("1e3", 2)).isEqualTo(new LogRotationPolicy(1000, 2));
        assertThat(LogRotationPolicy.of("1000m", 2).maxSize()).isEqualTo(1);
        // NewContainerLogManager: "invalid MaxFiles %d, must be > 1"
        assertThatThrownBy(() -> LogRotationPolicy.of("10Mi", 1)).hasMessage("invalid MaxFiles 1, must be > 1 (berth.runtime.log-max-files)");
        assertThatThrownBy(() -> LogRotationPolicy.of("10Mi", 0)).hasMessageStartingWith("invalid MaxFiles 0, must be > 1");
        // "failed to parse container log max size %q"
        assertThatThrownBy(() -> LogRotationPolicy.of("ten", 5)).hasMessageStartingWith("failed to parse container log max size \"ten\":");
        assertThatThrownBy(() -> LogRotationPolicy.of("1e-32000000", 5)).hasMessageStartingWith("failed to parse container log max size \"1e-32000000\":");
        assertThatThrownBy(() -> LogRotationPolicy.of("1500m", 5)).hasMessageContaining("invalid max log size");
        assertThatThrownBy(() -> LogRotationPolicy.of("0", 5)).hasMessageStartingWith("invalid max log size 0");
    }

    @Test
    void aNegativeMaxSizeTurnsRotationOffAsUpstreamsStub() {
        LogRotationPolicy off = LogRotationPolicy.of("-1", 5);

        assertThat(off.enabled()).isFalse();
        assertThat(off.keepFrom(Long.MAX_VALUE)).isZero();
    }
}
