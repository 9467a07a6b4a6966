package dev.berth.platform.runtime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a container of a pod into a process to run. The local engine has two: Java application images (the
 * image's layers run by the host JVM) and embedded backing services (PostgreSQL images run by the embedded
 * binaries). Implementations are thread-safe.
 */
public interface ContainerRuntime {

    /** Whether this runtime runs {@code image}. */
    boolean handles(String image);

    /**
     * Prepares the launch (pulling and unpacking the image if needed — this may take a while).
     *
     * @param hostPorts container port → host port the process must listen on
     * @param env       the resolved environment of the container
     */
    Launch prepare(Pod pod, Container container, Map<Integer, Integer> hostPorts, Map<String, String> env) throws ContainerLaunchException;

    /**
     * @param imageId        the image really run, pinned by digest when there is one
     * @param probeOverrides probes that replace the container's own (an embedded service cannot run exec probes)
     */
    record Launch(LaunchSpec spec, String imageId, Map<String, Probe> probeOverrides) {
        public Optional<Probe> override(String kind) {
            return Optional.ofNullable(probeOverrides.get(kind));
        }
    }
}
