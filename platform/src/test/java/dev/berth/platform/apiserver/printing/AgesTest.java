package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Printed.AGES;
import static dev.berth.platform.apiserver.printing.Printed.ago;
import static dev.berth.platform.apiserver.printing.Printed.fromNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * apimachinery's duration_test.go (TestHumanDuration, TestHumanDurationBoundaries) and printers_test.go's
 * TestTranslateTimestampSince. Durations are nanoseconds here, as Go's are.
 */
class AgesTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final long M = 60 * S;
    private static final long H = 60 * M;
    private static final long D = 24 * H;
    private static final long Y = 365 * D;

    @ParameterizedTest(name = "TestHumanDuration: {0}ns is {1}")
    @CsvSource({
            "1000000000, 1s",
            "70000000000, 70s",
            "190000000000, 3m10s",
            "4200000000000, 70m",
            "169200000000000, 47h",
            "176400000000000, 2d1h",
            "698400000000000, 8d",
            "31708800000000000, 367d",
            "63162000000000000, 2y1d",
            "252288007200000000, 8y",
    })
    void humanDuration(long nanos, String expected) {
        assertThat(Ages.humanDuration(Duration.ofNanos(nanos))).isEqualTo(expected);
    }

    @Test
    void humanDurationBoundariesTestHumanDurationBoundaries() {
        Object[][] cases = {
                { -2 * S, "<invalid>" }, { -2 * S + 1, "0s" }, { 0L, "0s" }, { S - MS, "0s" }, { 2 * M - MS, "119s" }, { 2 * M, "2m" },
                { 2 * M + S, "2m1s" }, { 10 * M - MS, "9m59s" }, { 10 * M, "10m" }, { 10 * M + S, "10m" }, { 3 * H - MS, "179m" },
                { 3 * H, "3h" }, { 3 * H + M, "3h1m" }, { 8 * H - MS, "7h59m" }, { 8 * H, "8h" }, { 8 * H + 59 * M, "8h" },
                { 2 * D - MS, "47h" }, { 2 * D, "2d" }, { 2 * D + H, "2d1h" }, { 8 * D - MS, "7d23h" }, { 8 * D, "8d" },
                { 8 * D + 23 * H, "8d" }, { 2 * Y - MS, "729d" }, { 2 * Y, "2y" }, { 2 * Y + 23 * H, "2y" }, { 2 * Y + 23 * H + 59 * M, "2y" },
                { 2 * Y + 24 * H - MS, "2y" }, { 2 * Y + 24 * H, "2y1d" }, { 3 * Y, "3y" }, { 4 * Y, "4y" }, { 5 * Y, "5y" }, { 6 * Y, "6y" },
                { 7 * Y, "7y" }, { 8 * Y - MS, "7y364d" }, { 8 * Y, "8y" }, { 8 * Y + 364 * D, "8y" }, { 9 * Y, "9y" },
        };
        for (Object[] c : cases) {
            assertThat(Ages.humanDuration(Duration.ofNanos((Long) c[0]))).as("%dns", c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void translateTimestampSinceTestTranslateTimestampSince() {
        assertThat(AGES.since(fromNow(Duration.ofMillis(2100)))).as("a while from now").isEqualTo("<invalid>");
        assertThat(AGES.since(fromNow(Duration.ofMillis(1900)))).as("almost now").isEqualTo("0s");
        assertThat(AGES.since(ago(Duration.ZERO))).as("now").isEqualTo("0s");
        assertThat(AGES.since((String) null)).as("unknown").isEqualTo("<unknown>");
        assertThat(AGES.since(ago(Duration.ofSeconds(30)))).as("30 seconds ago").isEqualTo("30s");
        assertThat(AGES.since(ago(Duration.ofMinutes(5)))).as("5 minutes ago").isEqualTo("5m");
        assertThat(AGES.since(ago(Duration.ofMinutes(100)))).as("an hour ago").isEqualTo("100m");
        assertThat(AGES.since(ago(Duration.ofDays(2)))).as("2 days ago").isEqualTo("2d");
        assertThat(AGES.since(ago(Duration.ofDays(90)))).as("months ago").isEqualTo("90d");
        assertThat(AGES.since(ago(Duration.ofDays(10 * 365)))).as("10 years ago").isEqualTo("10y");
    }

    @Test
    void goZeroTimeEmptyAndOffsetTimesReadAsKubernetesWritesThem() {
        assertThat(AGES.since("0001-01-01T00:00:00Z")).isEqualTo("<unknown>");
        assertThat(AGES.since("")).isEqualTo("<unknown>");
        assertThat(AGES.since("2024-06-01T14:00:00+02:00")).isEqualTo("0s");
        assertThat(AGES.since("2024-06-01T11:59:59.123456Z")).as("a MicroTime").isEqualTo("0s");
        assertThat(AGES.since("1700-01-01T00:00:00Z")).as("beyond Go's 292-year duration, saturated").isEqualTo("292y");
    }

    @Test
    void aTimeThatIsNotRfc3339IsRefusedNamingIt() {
        assertThatThrownBy(() -> AGES.since("yesterday")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'yesterday' is not an RFC 3339 time");
    }
}
