package dev.berth.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI with {@code --engine kubernetes}: the kubeconfig's cluster (fabric8's mock server) takes the same commands. */
@EnableKubernetesMockClient(crud = true)
class KubernetesCliTest {

    KubernetesClient client;

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int berth(String... args) {
        CommandLine cli = new CommandLine(new BerthCli()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @AfterEach
    void forgetKubeconfig() {
        System.clearProperty("kubeconfig");
    }

    @Test
    void applyGetScaleAndDeleteGoToTheKubeconfigsCluster() throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                  - name: ci
                    user: {token: not-checked}
                contexts:
                  - name: other
                    context: {cluster: nowhere, user: ci}
                  - name: mock
                    context: {cluster: mock, user: ci, namespace: berth}
                current-context: other
                """.formatted(client.getMasterUrl()));
        System.setProperty("kubeconfig", kubeconfig.toString());
        Path manifest = dir.resolve("web.yaml");
        Files.writeString(manifest, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: "ghcr.io/acme/web@sha256:1111111111111111111111111111111111111111111111111111111111111111"}]}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web}
                spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
                """);

        assertThat(berth("--engine", "kubernetes", "--context", "mock", "apply", "-f", manifest.toString(), "-n", "berth")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("deployment/web created", "poddisruptionbudget/web created");
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace("berth").withName("web").get()).isNotNull();

        assertThat(berth("--engine", "kubernetes", "--context", "mock", "scale", "deployment/web", "--replicas", "3", "-n", "berth")).as(err.toString()).isZero();
        assertThat(client.apps().deployments().inNamespace("berth").withName("web").get().getSpec().getReplicas()).isEqualTo(3);

        assertThat(berth("--engine", "kubernetes", "--context", "mock", "get", "deployments", "-n", "berth")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("web");

        assertThat(berth("--engine", "kubernetes", "--context", "mock", "delete", "deployment", "web", "-n", "berth")).as(err.toString()).isZero();
        assertThat(client.apps().deployments().inNamespace("berth").withName("web").get()).isNull();

        // describe shows the cluster's own reasons: a Pending pod's FailedScheduling event from the scheduler
        client.pods().inNamespace("berth").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("web-1")
                .endMetadata().withNewSpec().withSchedulerName("berth").addNewContainer().withName("web").withImage("web@sha256:1").endContainer()
                .endSpec().withNewStatus().withPhase("Pending").endStatus().build()).create();
        client.v1().events().inNamespace("berth").resource(new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata()
                .withName("web-1.1").endMetadata().withNewInvolvedObject().withKind("Pod").withName("web-1").withNamespace("berth")
                .endInvolvedObject().withType("Warning").withReason("FailedScheduling").withMessage("0/3 nodes are available: 3 Insufficient cpu.")
                .withNewSource().withComponent("berth-scheduler").endSource().withCount(1).build()).create();
        assertThat(berth("--engine", "kubernetes", "--context", "mock", "describe", "pod", "web-1", "-n", "berth")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("FailedScheduling", "0/3 nodes are available: 3 Insufficient cpu.");

        assertThat(berth("--engine", "kubernetes", "--context", "mock", "logs", "--search", "error")).isNotZero();
        assertThat(err.toString()).contains("log search reads the logs the local core shipped");
        assertThat(berth("--engine", "nomad", "get", "pods")).isNotZero();
    }
}
