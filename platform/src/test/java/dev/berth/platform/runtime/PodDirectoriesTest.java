package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.store.StoreException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Pod directories stay under the state directory whatever the names, and their deletion never follows a link out. */
class PodDirectoriesTest {

    @TempDir
    Path temp;
    Path state;
    Path outside;
    PodDirectories dirs;

    @BeforeEach
    void layout() throws Exception {
        state = Files.createDirectories(temp.resolve("state"));
        outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "precious");
        dirs = new PodDirectories(state);
    }

    static Pod pod(String namespace, String name) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata().build();
    }

    static List<String> tree(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    static Stream<Arguments> namesOutsideTheirDirectory() {
        return Stream.of(
                Arguments.of("pod dir, absolute namespace", "metadata.namespace", (Consumer<Fixture>) f -> f.dirs.tmp(pod(f.outside.toString(), "p"))),
                Arguments.of("pod dir, namespace ..", "metadata.namespace", (Consumer<Fixture>) f -> f.dirs.tmp(pod("..", "p"))),
                Arguments.of("pod dir, name ../../outside", "metadata.name", (Consumer<Fixture>) f -> f.dirs.tmp(pod("default", "../../outside"))),
                Arguments.of("pod dir, empty name", "metadata.name", (Consumer<Fixture>) f -> f.dirs.tmp(pod("default", ""))),
                Arguments.of("pod dir, name with NUL", "metadata.name", (Consumer<Fixture>) f -> f.dirs.tmp(pod("default", "p\0"))),
                Arguments.of("pod dir, name of 256 bytes", "metadata.name", (Consumer<Fixture>) f -> f.dirs.tmp(pod("default", "p".repeat(256)))),
                Arguments.of("emptyDir volume ../../../outside", "spec.volumes[].name",
                        (Consumer<Fixture>) f -> f.dirs.emptyDir(pod("default", "p"), "../../../../outside")),
                Arguments.of("emptyDir volume ..", "spec.volumes[].name", (Consumer<Fixture>) f -> f.dirs.emptyDir(pod("default", "p"), "..")),
                Arguments.of("claim a/../../../outside", "spec.volumeClaimTemplates[].metadata.name",
                        (Consumer<Fixture>) f -> f.dirs.claim(pod("default", "p"), "a/../../../outside")),
                Arguments.of("claim data-<pod name of 251 bytes>", "spec.volumeClaimTemplates[].metadata.name",
                        (Consumer<Fixture>) f -> f.dirs.claim(pod("default", "p".repeat(251)), "data")),
                Arguments.of("log of container ../../../../outside/x", "spec.containers[].name",
                        (Consumer<Fixture>) f -> f.dirs.logFile("default", "p", "../../../../outside/x")),
                Arguments.of("delete, namespace ../..", "metadata.namespace", (Consumer<Fixture>) f -> f.dirs.deletePodDir("../..", "outside")),
                Arguments.of("delete, absolute name", "metadata.name", (Consumer<Fixture>) f -> f.dirs.deletePodDir("default", f.outside.toString())));
    }

    record Fixture(PodDirectories dirs, Path outside) {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("namesOutsideTheirDirectory")
    void aNameThatIsNotOneElementIsRefusedAndNothingIsCreatedOrDeleted(String what, String field, Consumer<Fixture> use) throws Exception {
        List<String> before = tree(temp);
        assertThatThrownBy(() -> use.accept(new Fixture(dirs, outside))).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.reason()).isEqualTo(StoreException.Reason.INVALID);
            assertThat(e.field()).isEqualTo(field);
        });
        assertThat(tree(temp)).isEqualTo(before);
        assertThat(outside.resolve("keep.txt")).hasContent("precious");
    }

    @Test
    void aClaimVolumeIsTheClaimsDirectorySharedByEveryPodThatNamesIt() {
        Pod named = new PodBuilder(pod("default", "web-0")).withNewSpec().addNewVolume().withName("data").withNewPersistentVolumeClaim()
                .withClaimName("data-web-0").endPersistentVolumeClaim().endVolume().endSpec().build();
        Pod byHand = new PodBuilder(pod("default", "tool")).withNewSpec().addNewVolume().withName("scratch").withNewPersistentVolumeClaim()
                .withClaimName("data-web-0").endPersistentVolumeClaim().endVolume().endSpec().build();
        Path claim = state.toAbsolutePath().normalize().resolve("volumes/default/data-web-0");
        assertThat(dirs.claim(named, "data")).isEqualTo(claim).isDirectory();
        assertThat(dirs.claim(byHand, "scratch")).isEqualTo(claim);
        assertThat(dirs.claim(pod("default", "web-0"), "data")).isEqualTo(claim); // a pod from before claims were objects
    }

    @Test
    void aLinkPlantedInsideAPodDirectoryIsRemovedNotFollowed() throws Exception {
        Path tmp = dirs.tmp(pod("default", "p"));
        Files.createSymbolicLink(tmp.resolve("escape"), outside);
        Files.createSymbolicLink(dirs.emptyDir(pod("default", "p"), "cache").resolve("file"), outside.resolve("keep.txt"));

        dirs.deletePodDir("default", "p");

        assertThat(dirs.podDir("default", "p")).doesNotExist();
        assertThat(tree(outside)).containsExactly("", "keep.txt");
        assertThat(outside.resolve("keep.txt")).hasContent("precious");
    }

    @Test
    void aPodDirectoryReachedThroughALinkOutOfTheStateDirectoryIsNotDeleted() throws Exception {
        Files.createDirectories(outside.resolve("p"));
        Files.writeString(outside.resolve("p").resolve("data"), "precious");
        Files.createDirectories(state.resolve("pods"));
        Files.createSymbolicLink(state.resolve("pods").resolve("evil"), outside);

        assertThatThrownBy(() -> dirs.deletePodDir("evil", "p")).isInstanceOf(UncheckedIOException.class).hasMessageContaining("resolves to " + outside);

        assertThat(outside.resolve("p").resolve("data")).hasContent("precious");
    }

    @Test
    void eachInstanceOfAContainerWritesItsOwnLogFileNumberedOnFromTheNewest() throws Exception {
        Path logs = state.toAbsolutePath().normalize().resolve("pods/default/p/logs");
        assertThat(dirs.logFile("default", "p", "app")).isEqualTo(logs.resolve("app.log"));
        assertThat(dirs.nextLogFile("default", "p", "app")).isEqualTo(logs.resolve("app.log"));
        Files.createDirectories(logs);
        for (String name : List.of("app.log", "app.2.log", "app.10.log", "app.1.log", "web.log", "app.x.log", "app.log.tmp")) {
            Files.writeString(logs.resolve(name), name);
        }
        assertThat(dirs.instanceLogs("default", "p", "app")).extracting(f -> f.getFileName().toString())
                .containsExactly("app.log", "app.1.log", "app.2.log", "app.10.log");
        assertThat(dirs.logFile("default", "p", "app")).isEqualTo(logs.resolve("app.10.log"));
        assertThat(dirs.nextLogFile("default", "p", "app")).isEqualTo(logs.resolve("app.11.log"));
        assertThat(dirs.instanceLogs("default", "p", "web")).containsExactly(logs.resolve("web.log"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "none", value = {"app.log, app", "app.3.log, app", "my-app.12.log, my-app",
            "app.x.log, none", "app..log, none", ".log, none", "app.log.tmp, none"})
    void theContainerOfALogFileIsItsNameWithoutTheInstanceNumber(String file, String container) {
        assertThat(PodDirectories.containerOf(Path.of(file))).isEqualTo(container);
    }
}
