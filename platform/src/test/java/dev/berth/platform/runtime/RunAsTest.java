package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The container's user as kubelet decides it (rows after kubernetes pkg/kubelet/kuberuntime/security_context_others_test.go
 * TestVerifyRunAsNonRoot), and a replica really running as that user.
 */
class RunAsTest {

    private static final String WHERE = " (pod: \"bar_new(12345678)\", container: foo)";

    @TempDir
    Path dir;

    private static Pod pod(Long podRunAsUser, Boolean podNonRoot) {
        return new PodBuilder().withNewMetadata().withName("bar").withNamespace("new").withUid("12345678").endMetadata()
                .withNewSpec().withNewSecurityContext().withRunAsUser(podRunAsUser).withRunAsNonRoot(podNonRoot).endSecurityContext().endSpec().build();
    }

    private static Container container(Long runAsUser, Boolean nonRoot) {
        return new ContainerBuilder().withName("foo").withImage("busybox")
                .withSecurityContext(runAsUser == null && nonRoot == null ? null : new SecurityContextBuilder().withRunAsUser(runAsUser).withRunAsNonRoot(nonRoot).build())
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # upstream case (or Berth's)                                         | runAsUser | runAsNonRoot | image User | core uid | uid   | refusal
            Pass if SecurityContext is not set                                   | -         | -            | 0          | 0        | 0     | -
            Pass if RunAsUser is non-root and RunAsNonRoot is true               | 1000      | true         | -          | 0        | 1000  | -
            Pass if RunAsNonRoot is not set                                      | 0         | -            | 0          | 0        | 0     | -
            Pass if RunAsNonRoot is false (image user is root)                   | -         | false        | 0          | 0        | 0     | -
            Pass if RunAsNonRoot is false (RunAsUser is root)                    | 0         | false        | 0          | 0        | 0     | -
            Fail if container's RunAsUser is root and RunAsNonRoot is true       | 0         | true         | 0          | 0        | -     | container's runAsUser breaks non-root policy
            Fail if image's user is root and RunAsNonRoot is true                | -         | true         | 0          | 0        | -     | container has runAsNonRoot and image will run as root
            Fail if image's username is set and RunAsNonRoot is true             | -         | true         | test       | 0        | -     | container has runAsNonRoot and image has non-numeric user (test), cannot verify user is non-root
            Pass if image's user is non-root and RunAsNonRoot is true            | -         | true         | 1000       | 0        | 1000  | -
            Berth: no user anywhere runs as the core's user, here root: refused  | -         | true         | -          | 0        | -     | container has runAsNonRoot and image will run as root
            Berth: no user anywhere runs as the core's user, here 1000: passes   | -         | true         | -          | 1000     | 1000  | -
            Fail if image's user is invalid and RunAsNonRoot is true             | -         | true         | 2147483648 | 0        | -     | user id 2147483648 is not a valid uid
            Fail if image's user is negative and RunAsNonRoot is true            | -         | true         | -1000      | 0        | -     | user id -1000 is not a valid uid
            Pass if image's user is math.MaxInt32 and RunAsNonRoot is true       | -         | true         | 2147483647 | 0        | 2147483647 | -
            Berth: runAsUser wins over the image's user                          | 65532     | true         | 1001       | 0        | 65532 | -
            Berth: the kit's Jib images declare 1001                             | -         | true         | 1001       | 0        | 1001  | -
            """)
    void userAsKubeletDecidesIt(String name, Long runAsUser, Boolean nonRoot, String imageUser, long coreUid, Long uid, String refusal) throws Exception {
        Pod pod = pod(null, null);
        Container c = container(runAsUser, nonRoot);
        if (refusal == null) {
            assertThat(RunAs.resolve(pod, c, imageUser, dir, coreUid).uid()).isEqualTo(uid);
        } else {
            assertThatThrownBy(() -> RunAs.resolve(pod, c, imageUser, dir, coreUid))
                    .isInstanceOfSatisfying(ContainerLaunchException.class, e -> assertThat(e.reason()).isEqualTo("CreateContainerConfigError"))
                    .hasMessageStartingWith(refusal).hasMessageEndingWith(WHERE);
        }
    }

    @Test
    void podSecurityContextAppliesWhenTheContainerSetsNothing() throws Exception {
        assertThat(RunAs.resolve(pod(65532L, true), container(null, null), "0", dir, 0)).isEqualTo(new RunAs(65532, 65532));
        assertThatThrownBy(() -> RunAs.resolve(pod(null, true), container(null, null), "0", dir, 0))
                .hasMessage("container has runAsNonRoot and image will run as root" + WHERE);
    }

    @Test
    void imageUserAndGroupNamesAreLookedUpInTheImage() throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
        Files.writeString(dir.resolve("etc/group"), "root:x:0:\nstaff:x:50:\n");

        assertThat(RunAs.resolve(pod(null, null), container(null, null), "nonroot", dir, 0)).isEqualTo(new RunAs(65532, 65532));
        assertThat(RunAs.resolve(pod(null, null), container(null, null), "nonroot:staff", dir, 0)).isEqualTo(new RunAs(65532, 50));
        assertThatThrownBy(() -> RunAs.resolve(pod(null, null), container(null, null), "ghost", dir, 0))
                .hasMessage("unable to find user ghost: no matching entries in passwd file" + WHERE);
    }

    @Test
    void replicaRunsAsItsUserWhenTheCoreIsRoot() throws Exception {
        long core = RunAs.coreUid();
        RunAs user = new RunAs(65532, 65532);
        ReplicaProcess replica = ReplicaProcess.start(new LaunchSpec(List.of("sleep", "60"), Map.of(), dir, dir.resolve("logs/sleep.log"), user));
        try {
            Path status = Path.of("/proc/" + replica.pid() + "/status");
            if (core == 0) {
                // setpriv switches, then execs sleep in the same process
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(status))
                        .contains("Name:\tsleep\n", "\nUid:\t65532\t65532\t65532\t65532\n", "\nGid:\t65532\t65532\t65532\t65532\n")
                        .containsPattern("\nGroups:\\s*\n"));
                assertThat(user.notApplied(core)).isEmpty();
            } else {
                // a core that is not root cannot switch: the replica runs as the core, and that is reported
                assertThat(Files.readString(status)).contains("\nUid:\t" + core + "\t");
                assertThat(user.notApplied(core)).hasValue("the core runs as uid " + core + " and cannot switch users: the container runs as uid "
                        + core + ", not 65532");
            }
        } finally {
            replica.kill();
        }
    }
}
