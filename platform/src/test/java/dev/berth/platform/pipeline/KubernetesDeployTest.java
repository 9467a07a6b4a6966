package dev.berth.platform.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.engine.KubernetesEngine;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's deploy stage with {@code --engine kubernetes} against fabric8's CRUD mock server, with a stand-in
 * for the cluster's Deployment controller that creates the ReplicaSet and writes the status the real one would: the
 * stage follows the rollout to completion, and fails with the cluster's reason when the rollout exceeds its progress
 * deadline.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesDeployTest {

    KubernetesClient client;

    @TempDir
    Path root;

    static final String MANIFEST = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: ghcr.io/acme/web@sha256:1111111111111111111111111111111111111111111111111111111111111111
            """;

    /** Plays the Deployment controller: one ReplicaSet (revision 1), then a finished status, or one past its progress deadline. */
    ScheduledExecutorService controller(boolean deadlineExceeded) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
        s.scheduleWithFixedDelay(() -> {
            Deployment d = client.apps().deployments().inNamespace("berth").withName("web").get();
            if (d == null || (d.getStatus() != null && d.getStatus().getObservedGeneration() != null)) {
                return;
            }
            client.apps().replicaSets().inNamespace("berth").resource(new ReplicaSetBuilder().withNewMetadata().withName("web-h1")
                    .addToAnnotations("deployment.kubernetes.io/revision", "1").addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment")
                    .withName("web").withUid(d.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
                    .withTemplate(d.getSpec().getTemplate()).endSpec().build()).create();
            d.setStatus(deadlineExceeded
                    ? new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration() == null ? 1L : d.getMetadata().getGeneration())
                            .withReplicas(2).withUpdatedReplicas(1).withAvailableReplicas(0).withConditions(new DeploymentConditionBuilder()
                                    .withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                                    .withMessage("ReplicaSet \"web-h1\" has timed out progressing.").build()).build()
                    : new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration() == null ? 1L : d.getMetadata().getGeneration())
                            .withReplicas(2).withUpdatedReplicas(2).withReadyReplicas(2).withAvailableReplicas(2).build());
            client.apps().deployments().inNamespace("berth").resource(d).updateStatus();
        }, 100, 100, TimeUnit.MILLISECONDS);
        return s;
    }

    RunReport deploy() throws Exception {
        Files.writeString(root.resolve("manifests.yaml"), MANIFEST);
        PipelineDefinition definition = PipelineDefinition.parse(
                "stages: [{name: deploy, step: deploy, inputs: {manifests: manifests.yaml}, with: {namespace: berth}, timeout: 20s}]");
        Map<String, String> env = new HashMap<>(System.getenv());
        return new PipelineRunner(definition, new PipelineRunner.Options(null, null, "kubernetes", root, root.resolve("target/pipeline"), env),
                () -> new KubernetesEngine(client), new PipelineRunner.Listener() {
                    @Override
                    public void started(PipelineDefinition.Stage stage, int index, int total) {}

                    @Override
                    public void progress(PipelineDefinition.Stage stage, String line) {}

                    @Override
                    public void finished(StageResult result) {}
                }).run();
    }

    @Test
    void theDeployStageFollowsTheClustersRolloutToTheEnd() throws Exception {
        ScheduledExecutorService controller = controller(false);
        try {
            RunReport report = deploy();
            assertThat(report.stage("deploy").status()).as(report.stage("deploy").summary()).isEqualTo(Step.Status.SUCCEEDED);
            assertThat(report.deployed()).singleElement().satisfies(d -> {
                assertThat(d.deployment()).isEqualTo("web");
                assertThat(d.revision()).isEqualTo(1);
                assertThat(d.images()).containsExactly("ghcr.io/acme/web@sha256:1111111111111111111111111111111111111111111111111111111111111111");
            });
            assertThat(Files.readString(root.resolve("target/pipeline/logs/01-deploy.log"))).contains("deployment/web created",
                    "deployment \"web\" successfully rolled out");
        } finally {
            controller.shutdownNow();
        }
    }

    @Test
    void aRolloutPastItsProgressDeadlineFailsTheStageWithTheClustersReason() throws Exception {
        ScheduledExecutorService controller = controller(true);
        try {
            RunReport report = deploy();
            assertThat(report.succeeded()).isFalse();
            // the first revision: nothing to roll back to, so the supervisor reports it and changes nothing
            assertThat(report.stage("deploy").summary()).isEqualTo("deployment \"web\": ProgressDeadlineExceeded: deployment \"web\" "
                    + "exceeded its progress deadline; no earlier revision to roll back to");
        } finally {
            controller.shutdownNow();
        }
    }
}
