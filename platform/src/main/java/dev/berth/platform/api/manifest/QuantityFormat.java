package dev.berth.platform.api.manifest;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' quantity grammar ({@code apimachinery/pkg/api/resource/quantity.go}) and range, checked on the
 * text before any arithmetic: fabric8 computes {@code 1e-32000000} exactly, which costs seconds each time it is
 * read. Kubernetes holds at most 2^63-1 and nothing finer than 1n, capping or rounding the rest; Berth refuses
 * them instead, so what is stored is what was asked for. Pure; thread-safe.
 */
public final class QuantityFormat {

    private static final Pattern QUANTITY = Pattern.compile("([+-]?)(\\d*)(?:\\.(\\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?");
    private static final Map<String, Integer> DECIMAL_SI = Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
    private static final Map<String, Integer> BINARY_SI = Map.of("Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50, "Ei", 60);
    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    /** Longer than any quantity in range could reasonably be written (19 digits, a point, 9 decimals, a suffix). */
    private static final int MAX_LENGTH = 64;
    private static final String RANGE = "must be between 1n and 9223372036854775807 with at most 9 decimal places (e.g. 250m, 1, 512Mi)";

    private QuantityFormat() {}

    /** What is wrong with {@code q}, or empty when Kubernetes would store it exactly. */
    public static Optional<String> problem(Quantity q) {
        String text = (q.getAmount() == null ? "" : q.getAmount()) + (q.getFormat() == null ? "" : q.getFormat());
        if (text.length() > MAX_LENGTH) {
            return Optional.of("is longer than " + MAX_LENGTH + " characters; a quantity " + RANGE);
        }
        Matcher m = QUANTITY.matcher(text);
        String integer = m.matches() ? m.group(2) : "";
        String fraction = m.matches() && m.group(3) != null ? m.group(3) : "";
        if (integer.isEmpty() && fraction.isEmpty()) {
            return Optional.of("'" + text + "' is not a quantity: a number with an optional suffix (e.g. 250m, 1, 512Mi, 1e3)");
        }
        String suffix = m.group(4) == null ? "" : m.group(4);
        BigDecimal value = new BigDecimal(m.group(1) + (integer.isEmpty() ? "0" : integer) + "." + fraction + "0");
        if (BINARY_SI.containsKey(suffix)) {
            value = value.multiply(BigDecimal.valueOf(2).pow(BINARY_SI.get(suffix)));
        } else {
            Integer exponent = DECIMAL_SI.containsKey(suffix) ? DECIMAL_SI.get(suffix) : exponent(suffix);
            if (exponent == null) {
                return Optional.of("'" + text + "' has an exponent out of range: a quantity " + RANGE);
            }
            value = value.scaleByPowerOfTen(exponent);
        }
        if (value.abs().compareTo(MAX) > 0 || (value.signum() != 0 && value.stripTrailingZeros().scale() > 9)) {
            return Optional.of("'" + text + "' is out of range: a quantity " + RANGE);
        }
        return Optional.empty();
    }

    /** The exponent of {@code e-3}/{@code E6}, or null beyond what any in-range quantity needs. */
    private static Integer exponent(String suffix) {
        String digits = suffix.substring(1).replaceFirst("^[+-]", "").replaceFirst("^0+(?=\\d)", "");
        if (digits.length() > 3) {
            return null;
        }
        int e = Integer.parseInt(digits);
        return suffix.charAt(1) == '-' ? -e : e;
    }
}
