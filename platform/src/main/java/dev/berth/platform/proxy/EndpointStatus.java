package dev.berth.platform.proxy;

/**
 * What the proxy knows of one endpoint right now: for {@code berth describe service} and tests.
 *
 * @param draining true once the endpoint was drained or removed: it gets no new requests
 * @param inFlight requests (HTTP) or connections (TCP) through it that have not finished
 * @param routed   requests or connections ever routed to it; frozen once {@code draining} is true
 */
public record EndpointStatus(Endpoint endpoint, boolean draining, int inFlight, long routed) {
}
