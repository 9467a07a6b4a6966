package dev.berth.platform.proxy;

/**
 * No endpoint could take the request: none is ready, or every one refused the connection. Nothing
 * reached a replica, so the client may safely retry; HTTP Services answer 503.
 */
final class NoReadyEndpointException extends RuntimeException {

    NoReadyEndpointException(String service, int refused) {
        // No stack trace: this is an answer, not a bug, and it can happen on every request of an outage.
        super(refused == 0
                ? "service " + service + " has no ready endpoints"
                : "service " + service + " has no ready endpoint that accepts connections (" + refused + " refused)",
                null, false, false);
    }
}
