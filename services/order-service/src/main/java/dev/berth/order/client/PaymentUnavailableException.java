package dev.berth.order.client;

/** payment-service could not give an answer (down, 5xx, timed out): the attempt may be retried later. */
public class PaymentUnavailableException extends RuntimeException {

    public PaymentUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
