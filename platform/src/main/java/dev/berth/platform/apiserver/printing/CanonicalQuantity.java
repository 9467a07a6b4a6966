package dev.berth.platform.apiserver.printing;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * A quantity the way apimachinery's {@code Quantity.String()} prints it (its canonical form): {@code 1024Mi} as
 * {@code 1Gi}, {@code 0.1} as {@code 100m}, {@code 1500} as {@code 1500}, {@code 1e3} as {@code 1e3}; binary amounts
 * below 1024 or with a fraction fall back to decimal SI. kube-apiserver stores quantities in this form, so its
 * tables show it. Pure.
 */
final class CanonicalQuantity {

    private static final Map<Integer, String> DECIMAL_SI = Map.of(-9, "n", -6, "u", -3, "m", 0, "", 3, "k", 6, "M", 9, "G", 12, "T",
            15, "P", 18, "E");
    private static final String[] BINARY_SI = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
    private static final BigInteger TEN = BigInteger.TEN;
    private static final BigInteger KI = BigInteger.valueOf(1024);

    private enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    private CanonicalQuantity() {}

    /** Go's {@code (*Quantity).String()}: {@code <nil>} for a missing quantity. */
    static String string(Quantity q) {
        if (q == null) {
            return "<nil>";
        }
        String suffix = q.getFormat() == null ? "" : q.getFormat();
        Format format = suffix.endsWith("i") ? Format.BINARY_SI
                : suffix.startsWith("e") || suffix.startsWith("E") ? Format.DECIMAL_EXPONENT : Format.DECIMAL_SI;
        BigDecimal value = value(q.getAmount(), suffix, format);
        if (value.scale() > 9) { // apimachinery rounds up to the nano
            value = value.setScale(9, RoundingMode.UP);
        }
        if (value.signum() == 0) {
            return "0";
        }
        if (format == Format.BINARY_SI) {
            boolean small = value.abs().compareTo(BigDecimal.valueOf(1024)) < 0;
            if (small || value.stripTrailingZeros().scale() > 0) {
                format = Format.DECIMAL_SI;
            } else {
                return binary(value.toBigIntegerExact());
            }
        }
        return decimal(value, format);
    }

    /**
     * The exact value (fabric8's {@code getAmountInBytes} goes through a double for Pi and Ei).
     *
     * @throws IllegalArgumentException for a suffix the quantity grammar does not have
     */
    private static BigDecimal value(String amount, String suffix, Format format) {
        BigDecimal number = new BigDecimal(amount == null || amount.isEmpty() ? "0" : amount);
        return switch (format) {
            case BINARY_SI -> {
                int power = List.of(BINARY_SI).indexOf(suffix);
                if (power < 1) {
                    throw new IllegalArgumentException("'" + amount + suffix + "' has no quantity suffix " + suffix);
                }
                yield number.multiply(new BigDecimal(KI.pow(power)));
            }
            case DECIMAL_EXPONENT -> number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
            case DECIMAL_SI -> {
                Integer exponent = DECIMAL_SI.entrySet().stream().filter(e -> e.getValue().equals(suffix)).map(Map.Entry::getKey).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("'" + amount + suffix + "' has no quantity suffix " + suffix));
                yield number.scaleByPowerOfTen(exponent);
            }
        };
    }

    /** Mantissa times 1024^n, the largest n (Ki..Ei) leaving a whole mantissa. */
    private static String binary(BigInteger value) {
        BigInteger amount = value;
        int exponent = 0;
        while (amount.abs().compareTo(KI) >= 0 && amount.mod(KI).signum() == 0 && exponent < BINARY_SI.length - 1) {
            amount = amount.divide(KI);
            exponent++;
        }
        return amount + BINARY_SI[exponent];
    }

    /** Mantissa times 10^e, e a multiple of 3 as large as a whole mantissa allows. */
    private static String decimal(BigDecimal value, Format format) {
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger amount = stripped.unscaledValue();
        int exponent = -stripped.scale();
        while (exponent % 3 != 0) {
            amount = amount.multiply(TEN);
            exponent--;
        }
        if (format == Format.DECIMAL_EXPONENT) {
            return exponent == 0 ? amount.toString() : amount + "e" + exponent;
        }
        String si = DECIMAL_SI.get(exponent);
        return si != null ? amount + si : amount + "e" + exponent;
    }
}
