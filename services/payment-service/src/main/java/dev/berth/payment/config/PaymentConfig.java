package dev.berth.payment.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * {@code payment.*}: the simulated processor's rules and the chaos knobs. Every key can be set from the
 * environment the usual way ({@code payment.chaos.error-rate} ↔ {@code PAYMENT_CHAOS_ERROR_RATE}).
 */
@ConfigMapping(prefix = "payment")
public interface PaymentConfig {

    Processor processor();

    Chaos chaos();

    Reservation reservation();

    interface Processor {
        /** Amounts above this are declined with {@code amount_limit_exceeded}. */
        @WithDefault("10000.00")
        BigDecimal amountLimit();
    }

    /** The PENDING row that holds an idempotency key while the processor is asked. */
    interface Reservation {
        /**
         * After this long a PENDING reservation whose holder still holds its key's lock is taken to be abandoned
         * (the holder hangs) and the next request with its key asks the processor again; a holder that died is
         * noticed at once, by its lock. Must exceed the processor's slowest answer.
         */
        @WithDefault("10s")
        Duration lease();
    }

    /** Fault injection for chaos and resilience tests; all off by default. */
    interface Chaos {
        /** Added to every processor call (e.g. {@code 300ms}). */
        @WithDefault("0s")
        Duration latency();

        /** Share of processor calls, 0.0–1.0, that fail as if the processor were unreachable (HTTP 503). */
        @WithDefault("0")
        double errorRate();

        /** Readiness reports DOWN for as long as the process runs: a broken revision to roll out on purpose. */
        @WithDefault("false")
        boolean unready();
    }
}
