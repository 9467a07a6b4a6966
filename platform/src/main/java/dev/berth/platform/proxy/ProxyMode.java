package dev.berth.platform.proxy;

/** How a Service is proxied. */
public enum ProxyMode {
    /** Per request: balancing, retry on connect failure, response headers, request metrics. */
    HTTP,
    /** Per connection: each inbound connection is piped to one endpoint (PostgreSQL). */
    TCP
}
