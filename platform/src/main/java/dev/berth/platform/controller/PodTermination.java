package dev.berth.platform.controller;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Graceful pod deletion: a pod that may have a running process is marked terminating (deletionTimestamp) and
 * the kubelet stops it — drained, SIGTERM, grace period, SIGKILL — then removes it; a pod with no process
 * (never scheduled, or finished) is removed at once.
 */
@FunctionalInterface
public interface PodTermination {

    void terminate(Pod pod, String component);
}
