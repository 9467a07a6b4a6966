package dev.berth.platform.runtime;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU used by replica processes, from {@code /proc/PID/stat} (utime + stime, in clock ticks of 1/100 s on Linux):
 * the cgroup-less stand-in for the kubelet's cAdvisor numbers. Each call samples and answers the cores used per
 * second since the previous sample of the same process. Thread-safe.
 */
public final class ProcessCpu {

    private static final Pattern CONTAINER_ID = Pattern.compile("berth://(\\d+)@.*");
    private static final double TICKS_PER_SECOND = 100.0;

    private record Sample(long ticks, long nanos) {}

    private final Map<Long, Sample> last = new ConcurrentHashMap<>();

    /** Cores per second over the pod's running containers; empty when none can be read or it is the first sample. */
    public OptionalDouble cores(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return OptionalDouble.empty();
        }
        double total = 0;
        boolean any = false;
        for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
            if (cs.getContainerID() == null || cs.getState() == null || cs.getState().getRunning() == null) {
                continue;
            }
            Matcher m = CONTAINER_ID.matcher(cs.getContainerID());
            if (!m.matches()) {
                continue;
            }
            OptionalDouble cores = sample(Long.parseLong(m.group(1)));
            if (cores.isPresent()) {
                total += cores.getAsDouble();
                any = true;
            }
        }
        return any ? OptionalDouble.of(total) : OptionalDouble.empty();
    }

    OptionalDouble sample(long pid) {
        long now = System.nanoTime();
        Long ticks = ticks(pid);
        if (ticks == null) {
            last.remove(pid);
            return OptionalDouble.empty();
        }
        Sample previous = last.put(pid, new Sample(ticks, now));
        if (previous == null || now <= previous.nanos()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((ticks - previous.ticks()) / TICKS_PER_SECOND / ((now - previous.nanos()) / 1e9));
    }

    /** utime + stime of a process, or null if it is gone. The command (field 2) may hold spaces: parse after its ')'. */
    static Long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            return Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12)); // fields 14 and 15 of proc(5)
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
