package dev.berth.support.idempotency;

import dev.berth.support.problem.ProblemException;
import java.util.regex.Pattern;

/**
 * The {@code Idempotency-Key} request header (IETF draft-ietf-httpapi-idempotency-key-header): required on
 * every POST that creates something, 1–255 visible ASCII characters.
 */
public final class IdempotencyKey {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private IdempotencyKey() {}

    /**
     * @return the key, unchanged
     * @throws ProblemException 400 naming the header when it is missing or malformed
     */
    public static String require(String header) {
        if (header == null || header.isBlank()) {
            throw ProblemException.invalidField(HEADER, "header is required");
        }
        if (!VALID.matcher(header).matches()) {
            throw ProblemException.invalidField(HEADER, "must be 1-255 visible ASCII characters");
        }
        return header;
    }
}
