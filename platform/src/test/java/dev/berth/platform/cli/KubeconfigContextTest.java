package dev.berth.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code berth} context merged into a kubeconfig as kind does, read back by the real kubectl. */
class KubeconfigContextTest {

    static final String CA = dev.berth.platform.apiserver.ServingCertificate.create().certificatePem();

    static final String OTHER = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: prod
              cluster:
                server: https://prod.example:6443
            users:
            - name: prod-admin
              user:
                token: prod-token
            contexts:
            - name: prod
              context:
                cluster: prod
                user: prod-admin
            current-context: prod
            """;

    @Test
    void addsBerthBesideOtherContextsAndMakesItCurrent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, OTHER);

        KubeconfigContext.write(file, "https://127.0.0.1:7443", CA, "first-token", "berth");
        KubeconfigContext.write(file, "https://127.0.0.1:7443", CA, "second-token", "berth"); // a later `up` replaces, never duplicates

        assertThat(kubectl(file, "config", "get-contexts", "-o", "name")).containsExactlyInAnyOrder("berth", "prod");
        assertThat(kubectl(file, "config", "current-context")).containsExactly("berth");
        assertThat(kubectl(file, "config", "view", "--raw", "-o", "jsonpath={.users[?(@.name==\"berth-admin\")].user.token}"))
                .containsExactly("second-token");
        assertThat(kubectl(file, "config", "view", "--raw", "-o", "jsonpath={.users[?(@.name==\"prod-admin\")].user.token}"))
                .containsExactly("prod-token");
        assertThat(kubectl(file, "config", "view", "-o", "jsonpath={.clusters[?(@.name==\"prod\")].cluster.server}"))
                .containsExactly("https://prod.example:6443");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(kubectl(file, "config", "view", "--raw", "-o", "jsonpath={.clusters[?(@.name==\"berth\")].cluster.certificate-authority-data}"))
                .containsExactly(java.util.Base64.getEncoder().encodeToString(CA.getBytes()));
    }

    @Test
    void createsTheFileWhenThereIsNone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".kube/config");
        KubeconfigContext.write(file, "https://127.0.0.1:7443", CA, "t", "berth");
        assertThat(kubectl(file, "config", "view", "-o", "jsonpath={.contexts[0].context.namespace}")).containsExactly("berth");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    static List<String> kubectl(Path kubeconfig, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
