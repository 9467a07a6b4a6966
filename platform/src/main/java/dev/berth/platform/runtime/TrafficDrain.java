package dev.berth.platform.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Takes a pod out of every Service it serves and completes once its in-flight requests have finished (or the
 * timeout passed). The kubelet calls it before it sends SIGTERM, so stopping a replica fails no request.
 */
@FunctionalInterface
public interface TrafficDrain {

    CompletionStage<Void> drain(Pod pod, Duration timeout);

    /**
     * A container of the pod exited on its own: no new connection may reach it, now, rather than once its status
     * write has become an Endpoints change and the routing has followed it — a path without per-request retries
     * (the kernel's) sends new connections to a port nobody listens on meanwhile. Quick and synchronous.
     */
    default void exited(Pod pod) {
    }

    /**
     * The pod's restarted container is ready: undoes {@link #exited}, which its Endpoints change would undo as well,
     * unless the Endpoints controller saw only the pod before the exit and after the restart and changed nothing.
     */
    default void readyAgain(Pod pod) {
    }
}
