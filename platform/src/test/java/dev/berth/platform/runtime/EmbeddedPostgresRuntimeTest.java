package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresRuntimeTest {

    @TempDir
    Path temp;

    @Test
    void thePasswordFileForInitdbIsTheCoreUsersOnly() throws Exception {
        Path pwfile = EmbeddedPostgresRuntime.passwordFile("s3cret");
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pwfile))).isEqualTo("rw-------");
            assertThat(pwfile).hasContent("s3cret");
        } finally {
            Files.delete(pwfile);
        }
    }

    @Test
    void aPgdataThatLeavesItsVolumeIsRefusedBeforeAnythingIsInitialised() throws Exception {
        Path state = Files.createDirectories(temp.resolve("state"));
        Path outside = Files.createDirectories(temp.resolve("outside"));
        EmbeddedPostgresRuntime runtime = new EmbeddedPostgresRuntime(Set.of("postgres"), temp.resolve("binaries"), new PodDirectories(state));
        Container c = new ContainerBuilder().withName("postgres").withImage("postgres:17")
                .addNewVolumeMount().withName("data").withMountPath("/var/lib/postgresql").endVolumeMount().build();
        Pod pod = new PodBuilder().withNewMetadata().withNamespace("default").withName("db-0").endMetadata()
                .withNewSpec().withContainers(c).endSpec().build();
        String escape = "/var/lib/postgresql/" + "../".repeat(state.getNameCount() + 3) + outside.toString().substring(1);

        assertThatThrownBy(() -> runtime.prepare(pod, c, Map.of(5432, 15432), Map.of("POSTGRES_PASSWORD", "s3cret", "PGDATA", escape)))
                .isInstanceOfSatisfying(ContainerLaunchException.class, e -> {
                    assertThat(e.reason()).isEqualTo("CreateContainerConfigError");
                    assertThat(e.getMessage()).contains("PGDATA", "leaves the volume");
                });
        try (Stream<Path> files = Files.list(outside)) {
            assertThat(files).isEmpty();
        }
        assertThat(temp.resolve("binaries")).doesNotExist();
    }
}
