package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.config.CoreConfig;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.probe.ProbeCheck;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container that really restarts, run by the kubelet as an OS process ({@code sh}): each instance writes its own log
 * file, plain logs show the running instance only, {@code previous} the one that exited before it, instances older
 * than that are removed, and every line has a time from the kubelet's sampler.
 */
class ContainerRestartLogsTest {

    static final String NS = "default";
    static final String POD = "crasher";
    /** Instances 1 to 3 print their number and exit 3; the fourth stays up. */
    static final String SCRIPT = "n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; echo \"instance $n\"; "
            + "if [ $n -ge 4 ]; then exec sleep 600; fi; exit 3";

    @TempDir
    Path state;
    ObjectStore store;
    PodDirectories dirs;
    LogFiles files;
    Kubelet kubelet;

    @BeforeEach
    void aKubeletRunningShell() {
        Clock clock = Clock.systemUTC();
        store = new ObjectStore(state.resolve("store"), new KubernetesSerialization(), clock, 100);
        dirs = new PodDirectories(state);
        LogStartOffsets starts = LogStartOffsets.load(state.resolve("log-start-offsets.json"));
        LogTimes times = new LogTimes(state.resolve("log-times"), starts, clock);
        files = new LogFiles(dirs, starts, times);
        kubelet = shellKubelet(store, state, dirs, starts, times, clock);
    }

    /** {@link #shellKubelet(ObjectStore, Path, PodDirectories, LogStartOffsets, LogTimes, Clock)} with its log state under {@code state}. */
    static Kubelet shellKubelet(ObjectStore store, Path state, Clock clock) {
        LogStartOffsets starts = LogStartOffsets.load(state.resolve("log-start-offsets.json"));
        return shellKubelet(store, state, new PodDirectories(state), starts, new LogTimes(state.resolve("log-times"), starts, clock), clock);
    }

    /** A started kubelet running every container with {@link #shell}, on the Ready virtual node {@code node-1} made here. */
    static Kubelet shellKubelet(ObjectStore store, Path state, PodDirectories dirs, LogStartOffsets starts, LogTimes times, Clock clock) {
        return shellKubelet(store, state, dirs, starts, times, clock, (pod, timeout) -> CompletableFuture.completedFuture(null));
    }

    /** The same, taking pods out of Services with {@code drain}. */
    static Kubelet shellKubelet(ObjectStore store, Path state, PodDirectories dirs, LogStartOffsets starts, LogTimes times, Clock clock,
                                TrafficDrain drain) {
        Kubelet kubelet = new Kubelet(store, new EventRecorder(store, clock), new EnvironmentResolver(store, s -> Optional.of(new InetSocketAddress("127.0.0.1", 0))), List.of(shell(dirs)),
                new ProbeCheck(null, Runnable::run), Executors.newScheduledThreadPool(2), Executors.newCachedThreadPool(),
                drain, new FastRuntime(), clock, dirs,
                new KubeletMetrics(new SimpleMeterRegistry()), new ReplicaLedger(state),
                new LogRotation(dirs, LogRotationPolicy.of("10Mi", 5), starts, ShippedLogs.NO_SHIPPER), new RetiredLogs(dirs, ShippedLogs.NO_SHIPPER),
                times);
        store.create(new NodeBuilder().withNewMetadata().withName("node-1").addToLabels(VirtualNodes.VIRTUAL_LABEL, "true").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
        kubelet.start();
        return kubelet;
    }

    @AfterEach
    void stop() throws Exception {
        kubelet.close();
        store.close();
    }

    static String read(Optional<InputStream> in) throws Exception {
        try (InputStream s = in.orElseThrow()) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void eachInstanceWritesItsOwnLogAndPreviousIsTheOneThatExitedLast() throws Exception {
        Instant started = Instant.now();
        store.create(new PodBuilder().withNewMetadata().withName(POD).withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("app").withImage("shell").withCommand("sh", "-c", SCRIPT)
                .endContainer().endSpec().build());

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            ContainerStatus status = pod().getStatus().getContainerStatuses().get(0);
            assertThat(status.getRestartCount()).isEqualTo(3);
            assertThat(status.getState().getRunning()).isNotNull();
            assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(3);
            assertThat(dirs.instanceLogs(NS, POD, "app")).extracting(p -> p.getFileName().toString())
                    .containsExactly("app.2.log", "app.3.log"); // the first two instances' logs are removed
        });
        Pod pod = pod();
        LogOptions plain = LogOptions.tail(null, false);
        LogOptions previous = new LogOptions(null, null, null, false, false, true);
        assertThat(read(files.open(pod, "app", plain, () -> Optional.of(pod)))).isEqualTo("instance 4\n");
        assertThat(read(files.open(pod, "app", previous, () -> Optional.of(pod)))).isEqualTo("instance 3\n");

        LogOptions timestamps = new LogOptions(null, null, null, false, true, false);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            String line = read(files.open(pod, "app", timestamps, () -> Optional.of(pod)));
            Instant time = Instant.parse(line.substring(0, line.indexOf(' ')));
            assertThat(time).isBetween(started, Instant.now());
            assertThat(line).endsWith(" instance 4\n");
        });
    }

    /** Runs a container's command as it is, in the pod's tmp directory, logging to the pod's log file. */
    static ContainerRuntime shell(PodDirectories dirs) {
        return new ContainerRuntime() {
            @Override
            public boolean handles(String image) {
                return true;
            }

            @Override
            public Launch prepare(Pod pod, Container c, Map<Integer, Integer> hostPorts, Map<String, String> env) {
                return new Launch(new LaunchSpec(c.getCommand(), Map.of("PATH", "/usr/bin:/bin"), dirs.tmp(pod),
                        dirs.logFile(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), c.getName())), "sh", Map.of());
            }
        };
    }

    private Pod pod() {
        return store.<Pod>get(new ObjectKey(ResourceKind.POD, NS, POD)).orElseThrow();
    }

    /** Back-offs of a fraction of a second and a log pass every 100 ms, so three restarts take about one. */
    static final class FastRuntime implements CoreConfig.Runtime {
        @Override
        public Optional<Path> javaHome() {
            return Optional.empty();
        }

        @Override
        public boolean classDataArchives() {
            return true;
        }

        @Override
        public Duration initialBackoff() {
            return Duration.ofMillis(200);
        }

        @Override
        public Duration maxBackoff() {
            return Duration.ofSeconds(1);
        }

        @Override
        public List<String> embeddedPostgresImages() {
            return List.of();
        }

        @Override
        public String logMaxSize() {
            return "10Mi";
        }

        @Override
        public int logMaxFiles() {
            return 5;
        }

        @Override
        public Duration logMonitorInterval() {
            return Duration.ofMillis(100);
        }
    }
}
