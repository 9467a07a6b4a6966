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
     * @param classData      the JVM and class-data archive a Java image runs with; null for other runtimes
     */
    record Launch(LaunchSpec spec, String imageId, Map<String, Probe> probeOverrides, ClassDataArchives.Use classData) {

        public Launch(LaunchSpec spec, String imageId, Map<String, Probe> probeOverrides) {
            this(spec, imageId, probeOverrides, null);
        }

        public Optional<Probe> override(String kind) {
            return Optional.ofNullable(probeOverrides.get(kind));
        }

        /** The same launch with another spec (the next instance's log file). */
        public Launch withSpec(LaunchSpec other) {
            return new Launch(other, imageId, probeOverrides, classData);
        }

        /** Its process has ended or never started: see {@link ClassDataArchives.Use#finish()}. */
        public Optional<ClassDataArchives.Written> finish() {
            return classData == null ? Optional.empty() : classData.finish();
        }
    }
}
