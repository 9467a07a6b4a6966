package dev.berth.platform.runtime;

import dev.berth.platform.image.ImagePullException;
import dev.berth.platform.image.ImageStore;
import dev.berth.platform.image.PreparedImage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Java application images without a container engine: the image is pulled by digest and unpacked, and its
 * entrypoint — which must start {@code java} — is run by the host JVM inside the unpacked root, with
 * <ul>
 *   <li>the memory limit as the JVM's RAM limit ({@code -XX:MaxRAM}, heap at 75 % of it),</li>
 *   <li>the CPU limit as its processor count ({@code -XX:ActiveProcessorCount}, rounded up),</li>
 *   <li>{@code java.io.tmpdir} in the pod's own directory (its {@code /tmp} emptyDir if it mounts one),</li>
 *   <li>the container port(s) mapped to free host ports, announced as {@code QUARKUS_HTTP_PORT} and {@code PORT},</li>
 *   <li>the image's class-data archive for this JVM, or the flags that write it ({@link ClassDataArchives}).</li>
 * </ul>
 * Any other image is refused with a message naming it.
 */
public final class JavaImageRuntime implements ContainerRuntime {

    private final ImageStore images;
    private final PodDirectories dirs;
    private final Path java;
    private final ClassDataArchives archives;
    private final long coreUid = RunAs.coreUid();

    public JavaImageRuntime(ImageStore images, PodDirectories dirs, ClassDataArchives archives, HostJvm jvm) {
        this.images = images;
        this.dirs = dirs;
        this.archives = archives;
        this.java = jvm.java();
    }

    @Override
    public boolean handles(String image) {
        return true; // the fallback: every image that no embedded runtime claims
    }

    @Override
    public Launch prepare(Pod pod, Container c, Map<Integer, Integer> hostPorts, Map<String, String> env) throws ContainerLaunchException {
        PreparedImage image;
        try {
            image = images.prepare(c.getImage());
        } catch (ImagePullException e) {
            throw new ContainerLaunchException("ErrImagePull", e.getMessage());
        }
        List<String> argv = new ArrayList<>();
        argv.addAll(c.getCommand() != null && !c.getCommand().isEmpty() ? c.getCommand() : image.config().entrypoint());
        argv.addAll(c.getArgs() != null && !c.getArgs().isEmpty() ? c.getArgs()
                : (c.getCommand() != null && !c.getCommand().isEmpty() ? List.of() : image.config().cmd()));
        if (argv.isEmpty() || !isJava(argv.get(0))) {
            throw new ContainerLaunchException("CreateContainerError", "image " + c.getImage() + " is not a Java application image (its command is "
                    + argv + "); the local engine runs Java images and the embedded backing services (berth.runtime.embedded-*)");
        }
        Path root = image.rootfs();
        RunAs user = RunAs.resolve(pod, c, image.config().user(), root, coreUid);
        Path workDir = inside(root, image.config().workingDir().isEmpty() ? "/" : image.config().workingDir());
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmFlags(pod, c));
        int archiveFlags = command.size();
        for (String arg : argv.subList(1, argv.size())) {
            command.add(rebase(root, arg));
        }
        Map<String, String> full = new LinkedHashMap<>(image.config().env());
        full.remove("PATH");
        full.putAll(env);
        full.put("HOSTNAME", pod.getMetadata().getName());
        full.put("HOME", workDir.toString());
        if (!hostPorts.isEmpty()) {
            int first = hostPorts.values().iterator().next();
            full.putIfAbsent("QUARKUS_HTTP_PORT", Integer.toString(first));
            full.putIfAbsent("QUARKUS_HTTP_HOST", "127.0.0.1");
            full.putIfAbsent("PORT", Integer.toString(first));
        }
        full.put("PATH", java.getParent() + ":/usr/local/bin:/usr/bin:/bin");
        Path podDir = dirs.podDir(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        try {
            // the replica's own files become its user's; the image and the JVM only need to be reachable
            user.own(podDir, coreUid);
            user.reach(root, coreUid);
            user.reach(podDir, coreUid);
            user.reach(java, coreUid);
        } catch (java.io.IOException e) {
            throw new ContainerLaunchException("CreateContainerConfigError", "cannot give uid " + user.uid() + " access to " + podDir + ": " + e.getMessage());
        }
        // last: the plan may claim the writer's place, which nothing after this can fail to hand back
        ClassDataArchives.Use classData = archives.forImage(image.digest(), root, user, c.getStartupProbe() != null || c.getReadinessProbe() != null);
        command.addAll(archiveFlags, classData.flags()); // before the image's own arguments, which may override them
        return new Launch(new LaunchSpec(command, full, workDir,
                dirs.logFile(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), c.getName()), user), image.imageId(), Map.of(), classData);
    }

    private List<String> jvmFlags(Pod pod, Container c) {
        List<String> flags = new ArrayList<>();
        Map<String, Quantity> limits = c.getResources() == null || c.getResources().getLimits() == null ? Map.of() : c.getResources().getLimits();
        Quantity memory = limits.get("memory");
        if (memory != null) {
            flags.add("-XX:MaxRAM=" + Quantity.getAmountInBytes(memory).toBigInteger());
            flags.add("-XX:MaxRAMPercentage=75");
        }
        Quantity cpu = limits.get("cpu");
        if (cpu != null) {
            BigDecimal cpus = Quantity.getAmountInBytes(cpu).setScale(0, RoundingMode.CEILING).max(BigDecimal.ONE);
            flags.add("-XX:ActiveProcessorCount=" + cpus.toBigInteger());
        }
        flags.add("-Djava.io.tmpdir=" + tmpDir(pod, c));
        return flags;
    }

    private Path tmpDir(Pod pod, Container c) {
        for (VolumeMount m : c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
            if ("/tmp".equals(m.getMountPath()) && isEmptyDir(pod, m.getName())) {
                return dirs.emptyDir(pod, m.getName());
            }
        }
        return dirs.tmp(pod);
    }

    private static boolean isEmptyDir(Pod pod, String volume) {
        for (Volume v : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
            if (v.getName().equals(volume) && v.getEmptyDir() != null) {
                return true;
            }
        }
        return false;
    }

    static boolean isJava(String program) {
        return program.equals("java") || program.endsWith("/java");
    }

    /** An absolute path that exists inside the image points there; anything else is left alone. */
    static String rebase(Path root, String arg) {
        if (arg.startsWith("/") && Files.exists(inside(root, arg))) {
            return inside(root, arg).toString();
        }
        return arg;
    }

    static Path inside(Path root, String path) {
        return root.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
    }
}
