package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code PodLogOptions} decoded from the query and validated as kube-apiserver 1.32 does. The validation table is
 * upstream's {@code TestValidatePodLogOptions} (successCase and errorCase, each row under its upstream name), with the
 * causes upstream's {@code ValidatePodLogOptions} gives for each error row. Upstream's rows that set {@code stream}
 * are left out: that option is alpha behind {@code PodLogsQuerySplitStreams}, off in 1.32, where the apiserver drops it.
 */
class PodLogOptionsTest {

    static final long POSITIVE_LINE = 8;
    static final long NEGATIVE_LINE = -8;
    static final long LIMIT_BYTES_GREATER_THAN_1 = 12;
    static final long LIMIT_BYTES_LESS_THAN_1 = 0;
    static final long SINCE_SECONDS_GREATER_THAN_1 = 10;
    static final long SINCE_SECONDS_LESS_THAN_1 = 0;
    static final Instant TIMESTAMP = Instant.parse("2024-05-01T10:00:00Z");

    static PodLogOptions options(Long tailLines, Long limitBytes, Long sinceSeconds, Instant sinceTime) {
        return new PodLogOptions(null, false, false, sinceSeconds, sinceTime, false, tailLines, limitBytes);
    }

    static ApiException.FieldCause invalid(String field, String detail) {
        return ApiException.FieldCause.invalid(field, detail);
    }

    static final ApiException.FieldCause TAIL_LINES_NEGATIVE = invalid("tailLines", "Invalid value: -8: must be greater than or equal to 0");
    static final ApiException.FieldCause BOTH_SINCE = new ApiException.FieldCause("FieldValueForbidden", "",
            "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified");

    static Stream<Arguments> upstreamCases() {
        return Stream.of(
                // successCase
                Arguments.of("Empty PodLogOptions", options(null, null, null, null), List.of()),
                Arguments.of("PodLogOptions with TailLines", options(POSITIVE_LINE, null, null, null), List.of()),
                Arguments.of("PodLogOptions with LimitBytes", options(null, LIMIT_BYTES_GREATER_THAN_1, null, null), List.of()),
                Arguments.of("PodLogOptions with only sinceSeconds", options(null, null, SINCE_SECONDS_GREATER_THAN_1, null), List.of()),
                Arguments.of("PodLogOptions with LimitBytes with TailLines", options(POSITIVE_LINE, LIMIT_BYTES_GREATER_THAN_1, null, null), List.of()),
                Arguments.of("PodLogOptions with LimitBytes with TailLines with SinceSeconds",
                        options(POSITIVE_LINE, LIMIT_BYTES_GREATER_THAN_1, SINCE_SECONDS_GREATER_THAN_1, null), List.of()),
                // errorCase
                Arguments.of("Invalid podLogOptions with Negative TailLines",
                        options(NEGATIVE_LINE, LIMIT_BYTES_GREATER_THAN_1, SINCE_SECONDS_GREATER_THAN_1, null), List.of(TAIL_LINES_NEGATIVE)),
                Arguments.of("Invalid podLogOptions with zero or negative LimitBytes",
                        options(POSITIVE_LINE, LIMIT_BYTES_LESS_THAN_1, SINCE_SECONDS_GREATER_THAN_1, null),
                        List.of(invalid("limitBytes", "Invalid value: 0: must be greater than 0"))),
                Arguments.of("Invalid podLogOptions with zero or negative SinceSeconds",
                        options(NEGATIVE_LINE, LIMIT_BYTES_GREATER_THAN_1, SINCE_SECONDS_LESS_THAN_1, null),
                        List.of(TAIL_LINES_NEGATIVE, invalid("sinceSeconds", "Invalid value: 0: must be greater than 0"))),
                Arguments.of("Invalid podLogOptions with both SinceSeconds and SinceTime set",
                        options(NEGATIVE_LINE, LIMIT_BYTES_GREATER_THAN_1, SINCE_SECONDS_GREATER_THAN_1, TIMESTAMP),
                        List.of(TAIL_LINES_NEGATIVE, BOTH_SINCE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamCases")
    void validatesAsUpstream(String upstreamName, PodLogOptions options, List<ApiException.FieldCause> causes) {
        assertThat(options.validate()).containsExactlyElementsOf(causes);
    }

    static MultiMap query(String... pairs) {
        MultiMap q = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            q.add(pairs[i], pairs[i + 1]);
        }
        return q;
    }

    @ParameterizedTest(name = "{0}={1} → 400")
    @CsvSource({"sinceTime, yesterday", "sinceTime, 2024-05-01 10:00:00", "tailLines, ten", "limitBytes, 1.5", "sinceSeconds, 1e3"})
    void aValueNotOfItsParametersTypeIsABadRequest(String name, String value) {
        assertThatThrownBy(() -> PodLogOptions.fromQuery(query(name, value))).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.status().getReason()).isEqualTo("BadRequest");
            assertThat(e.getMessage()).startsWith(name + ": invalid value \"" + value + "\"");
        });
    }

    @ParameterizedTest(name = "follow={0} → {1}")
    @CsvSource({"true, true", "1, true", "'', true", "yes, true", "false, false", "FALSE, false", "0, false"})
    void aBooleanIsFalseOnlyWhenAbsentFalseOrZeroAsTheParameterCodecDecodesIt(String value, boolean follow) {
        assertThat(PodLogOptions.fromQuery(query("follow", value)).follow()).isEqualTo(follow);
        assertThat(PodLogOptions.fromQuery(query()).follow()).isFalse();
    }

    @ParameterizedTest(name = "sinceTime={0}")
    @CsvSource({"2024-05-01T10:00:00Z, 2024-05-01T10:00:00Z, 2024-05-01T10:00:00Z",
            "2024-05-01T12:00:00+02:00, 2024-05-01T10:00:00Z, 2024-05-01T10:00:00Z",
            "2024-05-01T10:00:00.5Z, 2024-05-01T10:00:00.500Z, 2024-05-01T10:00:00Z"})
    void sinceTimeIsAnRfc3339TimeTheKubeletGetsInWholeSeconds(String value, Instant expected, Instant kubelet) {
        PodLogOptions o = PodLogOptions.fromQuery(query("sinceTime", value, "timestamps", "true", "limitBytes", "100", "tailLines", "3"));
        assertThat(o.sinceTime()).isEqualTo(expected);
        assertThat(o.kubelet(expected.plusSeconds(60)).since()).isEqualTo(kubelet);
        assertThat(o.kubelet(expected).timestamps()).isTrue();
        assertThat(o.kubelet(expected).limitBytes()).isEqualTo(100);
        assertThat(o.kubelet(expected).tailLines()).isEqualTo(3);
    }
}
