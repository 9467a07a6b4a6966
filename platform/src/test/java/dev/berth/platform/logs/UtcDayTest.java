package dev.berth.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UtcDayTest {

    /** What java.time says: the reference UtcDay must agree with. */
    static long reference(String text) {
        try {
            return Math.floorDiv(OffsetDateTime.parse(text).toEpochSecond(), 86_400L);
        } catch (DateTimeParseException e) {
            return UtcDay.NONE;
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2026-11-22T23:59:59.123456789Z | 2026-11-22",
            "2026-11-22T23:59:59Z           | 2026-11-22",
            "2026-11-22T00:00:00.5Z         | 2026-11-22",
            "2026-11-22T23:30:00-02:00      | 2026-11-23",
            "2026-11-22T00:30:00+05:30      | 2026-11-21",
            "2024-02-29T12:00:00Z           | 2024-02-29",
            "1969-12-31T23:59:59.999Z       | 1969-12-31",
            "2026-11-22T23:59Z              | 2026-11-22",
            "2026-11-22t23:59:59z           | 2026-11-22",
            "2026-11-22T23:59:59+18:00      | 2026-11-22",
            "2026-11-22T20:00:00-04:00:30   | 2026-11-23",
            "2026-11-22T23:59:59.Z          | 2026-11-22",
            "2026-11-22T23:59:59+01         | 2026-11-22",
    })
    void aTimestampWithAnOffsetNamesItsUtcDay(String text, String day) {
        assertThat(UtcDay.of(text)).isEqualTo(java.time.LocalDate.parse(day).toEpochDay()).isEqualTo(reference(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2026-02-29T12:00:00Z", "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T23:60:00Z",
            "2026-11-22T23:59:60Z", "2026-11-22T23:59:59", "2026-11-22T23:59:59.1234567890Z",
            "2026-11-22T23:59:59+19:00", "2026-11-22 23:59:59Z", "2026-11-22T23:59:59Zjunk",
            "2026-1a-22T23:59:59Z", "yesterday", "''"})
    void anythingElseNamesNone(String text) {
        assertThat(UtcDay.of(text)).isEqualTo(UtcDay.NONE).isEqualTo(reference(text));
        assertThat(UtcDay.of(null)).isEqualTo(UtcDay.NONE);
    }

    @Test
    void agreesWithJavaTimeOnRandomInstantsOffsetsAndFractions() {
        Random random = new Random(14);
        DateTimeFormatter[] shapes = {DateTimeFormatter.ISO_OFFSET_DATE_TIME, DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX"),
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX")};
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(-5_000_000_000L, 250_000_000_000L), random.nextInt(1_000_000_000));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            String text = shapes[random.nextInt(shapes.length)].format(at.atOffset(offset));
            assertThat(UtcDay.of(text)).as(text).isEqualTo(reference(text)).isEqualTo(Math.floorDiv(at.getEpochSecond(), 86_400L));
        }
    }
}
