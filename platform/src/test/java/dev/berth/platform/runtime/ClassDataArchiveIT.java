package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.image.ImageStore;
import dev.berth.platform.image.LayerLimits;
import dev.berth.platform.model.HostPorts;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.probe.ProbeCheck;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.testapp.TestImages;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Class-data archives with real replicas: the test app's image pulled from the local registry and run by the kubelet
 * on a real JVM. Whether a JVM used an archive is read from the JVM itself: its command line
 * ({@code /proc/<pid>/cmdline}) and whether it mapped the file ({@code /proc/<pid>/maps}).
 */
class ClassDataArchiveIT {

    static final String NS = "default";
    static String v1;
    static String v2;

    @TempDir
    Path state;
    ObjectStore store;
    Kubelet kubelet;

    @BeforeAll
    static void images() throws Exception {
        Path work = Path.of("target", "class-data-it");
        v1 = TestImages.testApp("class-data-v1", work, "v1");
        v2 = TestImages.testApp("class-data-v2", work, "v2");
    }

    /** The core's own JVM, and a JDK 25 or newer (the AOT cache) when this machine has one under /usr/lib/jvm. */
    static Stream<Path> jvms() throws IOException {
        List<Path> homes = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        Path jvmDir = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvmDir)) {
            try (Stream<Path> dirs = Files.list(jvmDir)) {
                dirs.filter(d -> Files.isRegularFile(d.resolve("release")) && !Files.isSymbolicLink(d))
                        .filter(d -> HostJvm.of(d).feature() >= 25).sorted().limit(1).forEach(homes::add);
            }
        }
        return homes.stream();
    }

    void kubeletOn(Path javaHome) {
        Clock clock = Clock.systemUTC();
        store = new ObjectStore(state.resolve("store"), new KubernetesSerialization(), clock, 100);
        PodDirectories dirs = new PodDirectories(state);
        HostJvm jvm = HostJvm.of(javaHome);
        ImageStore images = new ImageStore(state.resolve("images"), Set.of(TestImages.REGISTRY), new LayerLimits(1L << 30, 4L << 30, 200_000));
        ContainerRuntime java = new JavaImageRuntime(images, dirs, new ClassDataArchives(state.resolve("class-data"), jvm, true), jvm);
        LogStartOffsets starts = LogStartOffsets.load(state.resolve("log-start-offsets.json"));
        kubelet = new Kubelet(store, new EventRecorder(store, clock), new EnvironmentResolver(store, s -> Optional.of(new InetSocketAddress("127.0.0.1", 0))), List.of(java),
                new ProbeCheck(null, Runnable::run), Executors.newScheduledThreadPool(2), Executors.newCachedThreadPool(),
                (pod, timeout) -> CompletableFuture.completedFuture(null), new ContainerRestartLogsTest.FastRuntime(), clock, dirs,
                new KubeletMetrics(new SimpleMeterRegistry()), new ReplicaLedger(state),
                new LogRotation(dirs, LogRotationPolicy.of("10Mi", 5), starts, ShippedLogs.NO_SHIPPER), new RetiredLogs(dirs, ShippedLogs.NO_SHIPPER),
                new LogTimes(state.resolve("log-times"), starts, clock));
        store.create(new NodeBuilder().withNewMetadata().withName("node-1").addToLabels(VirtualNodes.VIRTUAL_LABEL, "true").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
        kubelet.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (kubelet != null) {
            kubelet.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @ParameterizedTest
    @MethodSource("jvms")
    void theFirstReplicaWritesTheArchiveOnceReadyAndLaterStartsUseIt(Path javaHome) throws Exception {
        kubeletOn(javaHome);
        run("first", v1);
        Pod first = awaitReady("first", 0);
        assertThat(events("first")).anyMatch(e -> "Started".equals(e.getReason()) && e.getMessage().matches(".*class-data archive: writing .* once ready"));
        assertThat(first.getMetadata().getAnnotations()).containsEntry(PodWorker.JVM_ANNOTATION, HostJvm.of(javaHome).toString());
        Path archive = awaitArchive(); // while the first replica runs
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> { // recorded once the archive is in place
            assertThat(events("first")).anyMatch(e -> "ClassDataArchived".equals(e.getReason()) && e.getMessage().contains(archive.toString()));
            assertThat(classData(get("first"))).isEqualTo("wrote " + archive + " (used from the next start)");
        });

        run("another", v1); // another replica of the image
        Pod another = awaitReady("another", 0);
        assertThat(cmdline(pid(another))).contains(readFlag(javaHome) + archive).doesNotContain("-Xshare:on");
        assertThat(mapsFile(pid(another), archive)).as("the JVM mapped the archive").isTrue();
        assertThat(classData(another)).isEqualTo("used " + archive);
        assertThat(events("another")).anyMatch(e -> "Started".equals(e.getReason()) && e.getMessage().contains("class-data archive: used " + archive));

        restartGracefully("first", 0); // the first replica's next instance
        Pod second = awaitReady("first", 1);
        assertThat(cmdline(pid(second))).contains(readFlag(javaHome) + archive);
        assertThat(mapsFile(pid(second), archive)).isTrue();
    }

    @Test
    void withoutAProbeTheFirstReplicaWritesTheArchiveAtItsExit() throws Exception {
        kubeletOn(Path.of(System.getProperty("java.home")));
        store.create(new PodBuilder().withNewMetadata().withName("unprobed").withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("app").withImage(v1).addNewPort().withContainerPort(8080).endPort()
                .endContainer().endSpec().build());
        Pod first = awaitReady("unprobed", 0);
        assertThat(classData(first)).startsWith("writing ").endsWith(" at exit");
        assertThat(cmdline(pid(first))).anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit="));
        int port = HostPorts.of(first).get(8080);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> { // up (Ready came at once: no probe)
            new java.net.Socket("127.0.0.1", port).close();
            return true;
        });

        restartGracefully("unprobed", 0); // SIGTERM: the JVM exits normally, writing its archive
        Path archive = awaitArchive();
        Pod second = awaitReady("unprobed", 1);
        assertThat(cmdline(pid(second))).contains("-XX:SharedArchiveFile=" + archive);
    }

    /**
     * Junk where the archive was, with or without the archive's magic number: the kubelet removes it before the start
     * (without the magic number it is no archive; with it, it no longer matches the CRC-32C sealed when it was written —
     * JDK 17 would have mapped it and crashed), the replica is Ready without one, and writes a good archive again.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aCorruptArchiveCostsAColdStartNeverAFailedOne(boolean keepMagic) throws Exception {
        kubeletOn(Path.of(System.getProperty("java.home")));
        run("corrupt", v1);
        awaitReady("corrupt", 0);
        Path archive = awaitArchive();
        byte[] junk = new byte[(int) Files.size(archive)];
        Arrays.fill(junk, (byte) 0x5a);
        if (keepMagic) {
            System.arraycopy(Files.readAllBytes(archive), 0, junk, 0, 16);
        }
        Files.write(archive, junk);

        restartGracefully("corrupt", 0);
        Pod second = awaitReady("corrupt", 1);
        long pid = pid(second);
        assertThat(mapsFile(pid, archive)).isFalse();
        assertThat(cmdline(pid)).noneMatch(a -> a.startsWith("-XX:SharedArchiveFile="));
        String why = keepMagic ? "does not match the size and CRC-32C sealed when it was written (damaged, or written by another core)"
                : "is not a class-data archive";
        assertThat(events("corrupt")).anyMatch(e -> "Started".equals(e.getReason())
                && e.getMessage().endsWith("class-data archive: writing " + archive + " once ready (the one there " + why + ")"));
        assertThat(awaitArchive()).isEqualTo(archive);
        restartGracefully("corrupt", 1);
        Pod good = awaitReady("corrupt", 2);
        assertThat(mapsFile(pid(good), archive)).as("a good archive again").isTrue();
    }

    @Test
    void aNewImageDigestNeverUsesAnotherImagesArchive() throws Exception {
        kubeletOn(Path.of(System.getProperty("java.home")));
        run("old", v1);
        awaitReady("old", 0);
        Path old = awaitArchive();

        run("new", v2);
        Pod fresh = awaitReady("new", 0);
        long pid = pid(fresh);
        assertThat(cmdline(pid)).noneMatch(a -> a.contains(old.toString()));
        assertThat(mapsFile(pid, old)).isFalse();
        String v2Digest = v2.substring(v2.indexOf("@sha256:") + "@sha256:".length());
        assertThat(events("new")).filteredOn(e -> "Started".equals(e.getReason())).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("class-data archive: writing ").contains(v2Digest).doesNotContain(old.toString()));
    }

    private void run(String name, String image) {
        store.create(new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("app").withImage(image)
                .addNewPort().withContainerPort(8080).endPort()
                .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString(8080)).endTcpSocket().withPeriodSeconds(1).endReadinessProbe()
                .endContainer().endSpec().build());
    }

    /** SIGTERM to the running instance (a JVM that exits normally writes its archive), until the kubelet restarted it. */
    private void restartGracefully(String name, int restarts) {
        ProcessHandle.of(pid(get(name))).orElseThrow().destroy();
        await().atMost(Duration.ofSeconds(90)).until(() -> get(name).getStatus().getContainerStatuses().get(0).getRestartCount() > restarts);
    }

    private Path awaitArchive() {
        return await().atMost(Duration.ofSeconds(90)).until(() -> archives().stream().findFirst().orElse(null), a -> a != null);
    }

    private Pod awaitReady(String name, int restarts) {
        return await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(name), p -> {
            ContainerStatus status = p.getStatus().getContainerStatuses().get(0);
            return PodStatuses.isReady(p) && status.getRestartCount() == restarts && status.getState().getRunning() != null;
        });
    }

    private Pod get(String name) {
        return store.<Pod>get(new ObjectKey(ResourceKind.POD, NS, name)).orElseThrow();
    }

    private List<Event> events(String name) {
        return store.<Event>list(ResourceKind.EVENT, NS, null).stream().filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(state.resolve("class-data"))) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".crc32c")).toList(); // not the seals
        }
    }

    private static String classData(Pod p) {
        return p.getMetadata().getAnnotations().get(PodWorker.CLASS_DATA_ANNOTATION + "app");
    }

    private static String readFlag(Path javaHome) {
        return HostJvm.of(javaHome).feature() >= 25 ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
    }

    private static long pid(Pod p) {
        return Long.parseLong(p.getStatus().getContainerStatuses().get(0).getContainerID().replaceAll("berth://(\\d+)@.*", "$1"));
    }

    private static List<String> cmdline(long pid) throws IOException {
        return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
    }

    private static boolean mapsFile(long pid, Path file) throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "maps"))) {
            return lines.anyMatch(l -> l.endsWith(" " + file));
        }
    }
}
