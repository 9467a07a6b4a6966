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
}
