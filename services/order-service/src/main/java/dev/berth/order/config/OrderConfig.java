package dev.berth.order.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code orders.*} (env {@code ORDERS_...}). */
@ConfigMapping(prefix = "orders")
public interface OrderConfig {

    /** Card token used when an order names none (a simulated card on file). */
    @WithDefault("tok_visa")
    String defaultCardToken();

    PaymentRetry paymentRetry();

    /**
     * The reconciler that finishes what payment-service could not do at once: charging PENDING orders and
     * refunding cancelled ones.
     */
    interface PaymentRetry {
        /** How often the reconciler looks for due orders. */
        @WithDefault("5s")
        Duration period();

        /** Wait after the first failed attempt; doubles per attempt up to {@link #maxBackoff()}. */
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("30s")
        Duration maxBackoff();

        /**
         * How long a replica owns an order it is working on. Must exceed the worst-case payment call
         * (timeout × attempts + delays), so no other replica picks the order up meanwhile.
         */
        @WithDefault("30s")
        Duration lease();

        /**
         * Orders claimed at once; a pass keeps claiming batches while due orders remain. A batch is worked by
         * {@link #concurrency()} threads, so batch-size / concurrency × the slowest payment call (12 s) must stay
         * under {@link #lease()}, or another replica could claim an order still being worked on.
         */
        @WithDefault("16")
        int batchSize();

        /** Orders of a batch worked on at the same time, by each replica. */
        @WithDefault("8")
        int concurrency();
    }
}
