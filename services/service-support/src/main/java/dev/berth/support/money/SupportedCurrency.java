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
import java.util.Set;

/**
 * An ISO 4217 code from the explicit set Berth's services accept. Every one has two minor units, which is
 * what the {@code numeric(19,2)} money columns store; zero- and three-decimal currencies (JPY, KWD) are left
 * out on purpose rather than rounded. {@code null} is valid here: pair it with {@code @NotNull}.
 */
@Documented
@Constraint(validatedBy = SupportedCurrency.Validator.class)
@Target({FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
@Retention(RUNTIME)
public @interface SupportedCurrency {

    Set<String> CODES = Set.of("EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "CAD", "AUD");

    String message() default "must be one of AUD, CAD, CHF, CZK, DKK, EUR, GBP, NOK, PLN, SEK, USD";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<SupportedCurrency, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || CODES.contains(value);
        }
    }
}
