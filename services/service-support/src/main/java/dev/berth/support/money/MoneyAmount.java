package dev.berth.support.money;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.math.BigDecimal;

/**
 * A positive amount of money in a two-minor-unit currency: at least 0.01, at most {@link #integerDigits()}
 * digits before the point and 2 after (what the {@code numeric(19,2)} columns store). {@code null} is valid
 * here: pair it with {@code @NotNull}.
 *
 * <p>Why not {@code @DecimalMin} + {@code @Digits}: Hibernate Validator's {@code @Digits} computes
 * {@code precision - scale} in an {@code int}, which wraps for an exponent such as {@code 1e2147483647}, so
 * that amount passed and failed later as a 500. Here every bound is a {@link BigDecimal#compareTo}, which
 * never overflows, and the fraction check strips trailing zeros ({@code 10.50} is fine, {@code 1.001} is not).
 */
@Documented
@Constraint(validatedBy = MoneyAmount.Validator.class)
@Target({FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
@Retention(RUNTIME)
public @interface MoneyAmount {

    /** Digits allowed before the decimal point; at most 17 (numeric(19,2)). */
    int integerDigits();

    String message() default "must be at least 0.01, with at most {integerDigits} digits before the decimal point and 2 after";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<MoneyAmount, BigDecimal> {

        static final BigDecimal MINIMUM = new BigDecimal("0.01");

        private BigDecimal ceiling;

        @Override
        public void initialize(MoneyAmount annotation) {
            ceiling = BigDecimal.TEN.pow(annotation.integerDigits());
        }

        @Override
        public boolean isValid(BigDecimal value, ConstraintValidatorContext context) {
            return value == null || isValid(value, ceiling);
        }

        /** Pure: {@code 0.01 <= value < ceiling} with at most two significant decimals. */
        static boolean isValid(BigDecimal value, BigDecimal ceiling) {
            return value.compareTo(MINIMUM) >= 0
                    && value.compareTo(ceiling) < 0
                    && value.stripTrailingZeros().scale() <= 2;
        }
    }
}
