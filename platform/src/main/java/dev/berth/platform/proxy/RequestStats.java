package dev.berth.platform.proxy;

/**
 * Requests one revision of a Service answered since its proxy started: what the canary analysis reads
 * when no Prometheus is there to ask.
 *
 * @param requests     every finished request (TCP: every routed connection)
 * @param serverErrors requests answered with 5xx, or whose response broke off before it was complete
 */
public record RequestStats(long requests, long serverErrors) {

    /** The share of server errors, 0 when there were no requests. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) serverErrors / requests;
    }
}
