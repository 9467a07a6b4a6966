package dev.berth.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
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

/** The CLI with {@code --engine kubernetes}: the kubeconfig's cluster (fabric8's mock server) takes the same commands; kubectl's verbs are kubectl's. */
@EnableKubernetesMockClient(crud = true)
class KubernetesCliTest {

    KubernetesClient client;

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int berth(String... args) {
        CommandLine cli = BerthCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @AfterEach
    void forgetKubeconfig() {
        System.clearProperty("kubeconfig");
    }

    @Test
    void rolloutStatusAndLogSearchGoToTheNamedContextsCluster() throws Exception {
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
        Deployment web = client.apps().deployments().inNamespace("berth").resource(new DeploymentBuilder().withNewMetadata().withName("web")
                .endMetadata().withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("web")
                .withImage("web@sha256:1").endContainer().endSpec().endTemplate().endSpec().build()).create();
        web.setStatus(new DeploymentStatusBuilder().withObservedGeneration(web.getMetadata().getGeneration()).withReplicas(2)
                .withUpdatedReplicas(1).withAvailableReplicas(1).build());
        client.apps().deployments().inNamespace("berth").resource(web).updateStatus();

        // the context named, not the kubeconfig's current one (which points nowhere)
        assertThat(berth("--engine", "kubernetes", "--context", "mock", "rollout", "status", "deployment/web", "-n", "berth", "--no-watch"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("Waiting for deployment \"web\" rollout to finish: 1 out of 2 new replicas have been updated...\n");

        assertThat(berth("--engine", "kubernetes", "--context", "mock", "rollout", "status", "deployment/nope", "-n", "berth", "--no-watch")).isEqualTo(1);
        assertThat(err.toString()).contains("deployments.apps \"nope\" not found");
        assertThat(berth("--engine", "kubernetes", "--context", "mock", "rollout", "status", "deployment/web", "-n", "berth", "--rollback-on-failure",
                "--timeout", "1s")).isEqualTo(1);

        assertThat(berth("--engine", "kubernetes", "--context", "mock", "logs", "--search", "error")).isNotZero();
        assertThat(err.toString()).contains("log search reads the logs the local core shipped");
        assertThat(berth("--engine", "nomad", "rollout", "status", "deployment/web")).isNotZero();
        assertThat(err.toString()).contains("--engine must be local or kubernetes, not \"nomad\"");
        assertThat(client.apps().deployments().inNamespace("berth").withName("web").get().getSpec().getReplicas()).as("nothing changed").isEqualTo(2);
    }

    @Test
    void kubectlsVerbsArePointedToKubectl() {
        assertThat(BerthCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("--engine", "kubernetes", "scale", "deployment/web", "--replicas", "3")).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: 'berth scale' is kubectl's: kubectl --context berth scale … ");
        assertThat(BerthCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("rollout", "restart", "deployment/web")).isEqualTo(2);
        assertThat(err.toString()).contains("error: 'berth rollout restart' is kubectl's: kubectl --context berth rollout restart … ");
        assertThat(BerthCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("nodes", "drain", "node-2")).isEqualTo(2);
        assertThat(err.toString()).contains("error: unknown action drain (fail, recover; cordon, uncordon and drain: kubectl drain node-2)");
        assertThat(BerthCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("frobnicate")).as("any other word: picocli's usage error").isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument at index 0: 'frobnicate'");
        assertThat(client.apps().deployments().inAnyNamespace().list().getItems()).as("nothing was sent").isEmpty();
    }
}
