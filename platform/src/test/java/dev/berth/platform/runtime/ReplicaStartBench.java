package dev.berth.platform.runtime;

import dev.berth.platform.image.ImageStore;
import dev.berth.platform.image.LayerLimits;
import dev.berth.platform.model.HostPorts;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.probe.ProbeCheck;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * ci/bench-replica-start.sh: how long a replica of an image takes from its process's start to answering its readiness
 * endpoint, as the kubelet starts it (the same {@link JavaImageRuntime} command line: 1 CPU, the memory limit), in
 * three modes, alternating in each round: {@code off} (no archive, as before archives), {@code first} (the first start
 * of the image: once Ready the kubelet has it write the archive; how long that takes is printed) and {@code archive} (a
 * later start, with it). Each run is a fresh kubelet over the same image cache, stopped gracefully after the run; the
 * stop's duration is printed too. Readiness is polled every 50 ms by the bench itself; the pod's Ready condition (the
 * kubelet's 1 s probes) is printed beside it.
 *
 * <p>Args: work-dir image rounds java-home; the replica's environment from {@code BENCH_ENV_*} variables (prefix removed).
 */
public final class ReplicaStartBench {

    record Run(double readyS, double cpuS, double podReadyS, double archivedS, double stopS, String classData) {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        String image = args[1];
        int rounds = Integer.parseInt(args[2]);
        HostJvm jvm = HostJvm.of(Path.of(args[3]));
        Map<String, String> env = new LinkedHashMap<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("BENCH_ENV_")) {
                env.put(k.substring("BENCH_ENV_".length()), v);
            }
        });
        Vertx vertx = Vertx.vertx();
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        List<String> modes = List.of("off", "first", "archive");
        System.out.printf("JVM %s, image %s%n", jvm, image);
        try {
            for (int round = 1; round <= rounds; round++) {
                // the archive run needs the archive a first run wrote: odd rounds off/first/archive, even archive/off/first
                List<String> order = round % 2 == 1 ? modes : List.of("archive", "off", "first");
                for (String mode : order) {
                    Run r = run(work, image, jvm, env, mode, vertx, round);
                    runs.computeIfAbsent(mode, m -> new ArrayList<>()).add(r);
                    System.out.printf("round %d %-7s: ready %.2f s after process start, %.2f s of CPU (pod Ready %.2f s)%s, stop %.2f s; class data: %s%n",
                            round, mode, r.readyS(), r.cpuS(), r.podReadyS(), r.archivedS() > 0 ? String.format(", archive written %.2f s after Ready", r.archivedS()) : "",
                            r.stopS(), r.classData());
                }
            }
        } finally {
            vertx.close();
        }
        double off = median(runs.get("off").stream().map(Run::readyS).toList());
        double offCpu = median(runs.get("off").stream().map(Run::cpuS).toList());
        for (String mode : modes) {
            List<Run> rs = runs.get(mode);
            double ready = median(rs.stream().map(Run::readyS).toList());
            double cpu = median(rs.stream().map(Run::cpuS).toList());
            System.out.printf("median %-7s: ready %.2f s (%.0f %% of off), %.2f s of CPU (%.0f %% of off), pod Ready %.2f s, archive written %.2f s after,"
                    + " stop %.2f s%n", mode, ready, 100 * ready / off, cpu, 100 * cpu / offCpu, median(rs.stream().map(Run::podReadyS).toList()), median(rs.stream().map(Run::archivedS).toList()),
                    median(rs.stream().map(Run::stopS).toList()));
        }
    }

    static Run run(Path work, String image, HostJvm jvm, Map<String, String> env, String mode, Vertx vertx, int round) throws Exception {
        Path classData = work.resolve("class-data");
        if (mode.equals("first") && Files.isDirectory(classData)) {
            try (Stream<Path> files = Files.list(classData)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.delete(f);
                }
            }
        }
        Path state = work.resolve("run-" + round + "-" + mode);
        Clock clock = Clock.systemUTC();
        ObjectStore store = new ObjectStore(state.resolve("store"), new KubernetesSerialization(), clock, 100);
        PodDirectories dirs = new PodDirectories(state);
        ImageStore images = new ImageStore(work.resolve("images"), Set.of("127.0.0.1:5000", "localhost:5000"), new LayerLimits(1L << 30, 4L << 30, 200_000));
        ContainerRuntime java = new JavaImageRuntime(images, dirs, new ClassDataArchives(classData, jvm, !mode.equals("off")), jvm);
        LogStartOffsets starts = LogStartOffsets.load(state.resolve("log-start-offsets.json"));
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        ExecutorService workers = Executors.newCachedThreadPool();
        Kubelet kubelet = new Kubelet(store, new EventRecorder(store, clock), new EnvironmentResolver(store, s -> Optional.of(new InetSocketAddress("127.0.0.1", 0))), List.of(java),
                new ProbeCheck(vertx, workers), timer, workers, (pod, timeout) -> CompletableFuture.completedFuture(null),
                new ContainerRestartLogsTest.FastRuntime(), clock, dirs, new KubeletMetrics(new SimpleMeterRegistry()), new ReplicaLedger(state),
                new LogRotation(dirs, LogRotationPolicy.of("10Mi", 5), starts, ShippedLogs.NO_SHIPPER), new RetiredLogs(dirs, ShippedLogs.NO_SHIPPER),
                new LogTimes(state.resolve("log-times"), starts, clock));
        store.create(new NodeBuilder().withNewMetadata().withName("node-1").addToLabels(VirtualNodes.VIRTUAL_LABEL, "true").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
        kubelet.start();
        ObjectKey key = new ObjectKey(ResourceKind.POD, "bench", "replica");
        boolean stopped = false;
        try {
            PodBuilder pod = new PodBuilder().withNewMetadata().withName("replica").withNamespace("bench").endMetadata()
                    .withNewSpec().withNodeName("node-1").withTerminationGracePeriodSeconds(60L).addNewContainer().withName("app").withImage(image)
                    .addNewPort().withContainerPort(8080).withName("http").endPort()
                    .withNewResources().addToLimits("cpu", new Quantity("1")).addToLimits("memory", new Quantity("384Mi")).endResources()
                    .withNewReadinessProbe().withNewHttpGet().withPath("/q/health/ready").withPort(new IntOrString(8080)).endHttpGet()
                    .withPeriodSeconds(1).withTimeoutSeconds(2).endReadinessProbe()
                    .endContainer().endSpec();
            env.forEach((k, v) -> pod.editSpec().editFirstContainer().addNewEnv().withName(k).withValue(v).endEnv().endContainer().endSpec());
            store.create(pod.build());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
            Instant deadline = Instant.now().plusSeconds(180);
            Instant ready = null;
            long cpuTicks = 0;
            Pod p = null;
            while (Instant.now().isBefore(deadline)) {
                p = store.<Pod>get(key).orElseThrow();
                if (ready == null && HostPorts.of(p).containsKey(8080) && answersReady(http, HostPorts.of(p).get(8080))) {
                    ready = Instant.now();
                    // what the start cost, whatever else ran on the machine: utime + stime of the JVM until then
                    String id = p.getStatus().getContainerStatuses().get(0).getContainerID();
                    cpuTicks = ProcessCpu.ticks(Long.parseLong(id.substring("berth://".length(), id.indexOf('@'))));
                }
                if (ready != null && PodStatuses.isReady(p)) {
                    break;
                }
                Thread.sleep(50);
            }
            Instant podReady = Instant.now();
            if (ready == null || !PodStatuses.isReady(p)) {
                throw new IllegalStateException("the replica did not become ready in 180 s; its log: " + dirs.logFile("bench", "replica", "app"));
            }
            String containerId = p.getStatus().getContainerStatuses().get(0).getContainerID();
            Instant started = Instant.ofEpochMilli(Long.parseLong(containerId.substring(containerId.indexOf('@') + 1)));
            String used = p.getMetadata().getAnnotations().get(PodWorker.CLASS_DATA_ANNOTATION + "app");
            double archived = 0;
            if (mode.equals("first")) { // the kubelet has the ready replica write its archive: how long that takes
                while (!hasArchive(classData) && Instant.now().isBefore(deadline.plusSeconds(120))) {
                    Thread.sleep(50);
                }
                archived = Duration.between(podReady, Instant.now()).toMillis() / 1000.0;
            }
            Instant stopping = Instant.now();
            kubelet.close(); // every replica stopped gracefully; a first start writes its archive now
            stopped = true;
            double stop = Duration.between(stopping, Instant.now()).toMillis() / 1000.0;
            return new Run(Duration.between(started, ready).toMillis() / 1000.0, cpuTicks / 100.0, Duration.between(started, podReady).toMillis() / 1000.0, archived, stop,
                    used);
        } finally {
            if (!stopped) {
                kubelet.close();
            }
            store.close();
            timer.shutdownNow();
        }
    }

    private static boolean hasArchive(Path classData) throws IOException {
        try (Stream<Path> files = Files.list(classData)) {
            return files.anyMatch(Files::isRegularFile);
        }
    }

    private static boolean answersReady(HttpClient http, int port) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
