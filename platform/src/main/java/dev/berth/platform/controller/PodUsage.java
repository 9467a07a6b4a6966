package dev.berth.platform.controller;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What the autoscaler measures (the metrics-server and custom-metrics APIs of a cluster). Rates are over the time
 * since the previous call with the same subject, so the first call has none. Thread-safe.
 */
public interface PodUsage {

    /** CPU cores the pod's containers used per second since the last sample; empty for a pod not running or a first sample. */
    OptionalDouble cpuCores(Pod pod);

    /** Requests per second through the Services in front of {@code pods} since the last sample for {@code subject}. */
    OptionalDouble requestRate(String subject, List<Pod> pods);
}
