package dev.berth.platform.proxy;

import java.util.Objects;

/**
 * One Ready replica behind a Service: where it listens and which revision (pod-template hash) it runs.
 * The caller hands only Ready endpoints to the proxy; taking a replica out of rotation is either
 * {@link ServiceProxy#drain} or leaving it out of the next {@link ServiceProxy#update}.
 *
 * <p>{@code revision} is empty when unknown (a replica without a pod-template hash); such endpoints
 * share the revision {@code ""} in metrics (a traffic split cannot name it). Two endpoints are the same endpoint
 * when all four fields are equal (a value, immutable).
 */
public record Endpoint(String replica, String host, int port, String revision) {

    public Endpoint {
        requireText(replica, "replica");
        requireText(host, "host");
        Objects.requireNonNull(revision, "revision");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("endpoint " + replica + ": port " + port + " is not in 1..65535");
        }
    }

    /** {@code host:port}, as logs and {@code berth describe} show it. */
    public String address() {
        return host + ":" + port;
    }

    private static void requireText(String value, String field) {
        if (Objects.requireNonNull(value, field).isBlank()) {
            throw new IllegalArgumentException("endpoint " + field + " must not be blank");
        }
    }
}
