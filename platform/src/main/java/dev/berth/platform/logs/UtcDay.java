package dev.berth.platform.logs;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The UTC day of a log line's {@code @timestamp}, which names the daily index the line goes to. It accepts exactly what
 * {@link OffsetDateTime#parse} accepts and gives the same day. The shape every service here writes
 * ({@code 2026-11-22T23:59:59.123456789Z}, {@code ...+01:00}) is read digit by digit; anything else goes to
 * {@code OffsetDateTime.parse}. Why: java.time's general parser took a quarter of the shipper thread's samples under
 * ci/bench-logs.sh (JFR), twice per line. Thread-safe (no state).
 */
final class UtcDay {

    /** No day: the text is not an ISO-8601 date-time with an offset. */
    static final long NONE = Long.MIN_VALUE;

    private UtcDay() {}

    /** Days since 1970-01-01 of the instant {@code text} names, in UTC; {@link #NONE} when it names none. */
    static long of(String text) {
        if (text == null) {
            return NONE;
        }
        long day = common(text);
        if (day != NONE) {
            return day;
        }
        try {
            return Math.floorDiv(OffsetDateTime.parse(text).toEpochSecond(), 86_400L);
        } catch (DateTimeParseException e) {
            return NONE;
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)}, the range of every field checked as java.time's strict resolver
     * checks it; {@link #NONE} for any other text, valid or not (the general parser decides those).
     */
    private static long common(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return NONE;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int dayOfMonth = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if ((year | month | dayOfMonth | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return NONE;
        }
        int i = 19;
        if (t.charAt(i) == '.') {
            int fraction = i + 1;
            while (++i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                // the fraction cannot move the day
            }
            if (i == fraction || i - fraction > 9 || i == n) {
                return NONE;
            }
        }
        int offsetSeconds;
        char sign = t.charAt(i);
        if (sign == 'Z' && i + 1 == n) {
            offsetSeconds = 0;
        } else if ((sign == '+' || sign == '-') && i + 6 == n && t.charAt(i + 3) == ':') {
            int offsetHours = digits(t, i + 1, 2);
            int offsetMinutes = digits(t, i + 4, 2);
            if ((offsetHours | offsetMinutes) < 0 || offsetHours > 17 || offsetMinutes > 59) {
                return NONE;
            }
            offsetSeconds = (sign == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return NONE;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, dayOfMonth).toEpochDay();
        } catch (DateTimeException e) {
            return NONE; // 2026-02-30: the general parser refuses it too
        }
        return epochDay + Math.floorDiv(hour * 3600L + minute * 60L + second - offsetSeconds, 86_400L);
    }

    /** The decimal number of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
