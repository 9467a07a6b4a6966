package dev.berth.support.paging;

import dev.berth.support.problem.ProblemException;

/**
 * Validated paging parameters. A negative page or a size below 1 is a 400; a size above {@link #MAX_SIZE}
 * is capped (as GitHub's {@code per_page} is), and the response says which size was used. A page whose first
 * row ({@code page × size}) lies past {@link #MAX_OFFSET} is a 400 naming {@code page}: the database offset is
 * an {@code int}, and {@code 2147483647 × 20} would wrap to a negative offset.
 */
public record PageRequest(int page, int size) {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;
    public static final int MAX_OFFSET = Integer.MAX_VALUE;

    /** Parses the raw query parameters ({@code null} or empty means the default). */
    public static PageRequest of(String page, String size) {
        int p = parse("page", page, 0);
        int s = parse("size", size, DEFAULT_SIZE);
        if (p < 0) {
            throw ProblemException.invalidField("page", "must be 0 or greater");
        }
        if (s < 1) {
            throw ProblemException.invalidField("size", "must be 1 or greater");
        }
        int capped = Math.min(s, MAX_SIZE);
        if ((long) p * capped > MAX_OFFSET) {
            throw ProblemException.invalidField("page", "must be at most " + MAX_OFFSET / capped + " with size " + capped);
        }
        return new PageRequest(p, capped);
    }

    private static int parse(String name, String raw, int fallback) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField(name, "must be a whole number");
        }
    }
}
