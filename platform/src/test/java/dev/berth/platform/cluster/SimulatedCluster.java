package dev.berth.platform.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * Plays the Deployment controller and the kubelet on fabric8's mock API server for Deployment {@code shop/web}: its
 * ReplicaSets (revision N runs image web:vN, pod-template-hash hN), status conditions and pods' container statuses.
 */
public final class SimulatedCluster {

    private final KubernetesClient client;

    public SimulatedCluster(KubernetesClient client) {
        this.client = client;
    }

    public KubernetesClient client() {
        return client;
    }

    static PodTemplateSpec template(String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage(image).endContainer().endSpec().build();
    }

    /** Deployment web at revision {@code revisions} with {@code annotations}, 2 replicas, and one ReplicaSet per revision. */
    public Deployment deployment(int revisions, Map<String, String> annotations) {
        Deployment d = client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder().withNewMetadata().withName("web")
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withTemplate(template("web:v" + revisions)).endSpec().build()).create();
        for (int r = 1; r <= revisions; r++) {
            PodTemplateSpec t = template("web:v" + r);
            t.getMetadata().getLabels().put("pod-template-hash", "h" + r);
            client.apps().replicaSets().inNamespace("shop").resource(new ReplicaSetBuilder().withNewMetadata().withName("web-h" + r)
                    .addToLabels("app", "web").addToLabels("pod-template-hash", "h" + r)
                    .addToAnnotations("deployment.kubernetes.io/revision", Integer.toString(r)).addNewOwnerReference().withApiVersion("apps/v1")
                    .withKind("Deployment").withName("web").withUid(d.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().withReplicas(r == revisions ? 1 : 2).withNewSelector().addToMatchLabels("app", "web").addToMatchLabels("pod-template-hash", "h" + r)
                    .endSelector().withTemplate(t).endSpec().build()).create();
        }
        return d;
    }

    /** The controller's status: {@code updated} new replicas, {@code available}, past the progress deadline or not. */
    public void status(int updated, int replicas, int available, boolean deadlineExceeded) {
        Deployment current = client.apps().deployments().inNamespace("shop").withName("web").get();
        current.setStatus(new DeploymentStatusBuilder().withObservedGeneration(current.getMetadata().getGeneration() == null ? 1L : current.getMetadata().getGeneration())
                .withReplicas(replicas).withUpdatedReplicas(updated).withAvailableReplicas(available)
                .withConditions(deadlineExceeded
                        ? new DeploymentConditionBuilder().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                                .withMessage("ReplicaSet \"web-h2\" has timed out progressing.").build()
                        : new DeploymentConditionBuilder().withType("Progressing").withStatus("True").withReason("ReplicaSetUpdated").build())
                .build());
        client.apps().deployments().inNamespace("shop").resource(current).updateStatus();
    }

    /** A pod of revision 2 whose container has restarted {@code restarts} times, in CrashLoopBackOff when asked. */
    public Pod pod(int restarts, boolean backOff) {
        ReplicaSet rs = client.apps().replicaSets().inNamespace("shop").withName("web-h2").get();
        var status = new ContainerStatusBuilder().withName("web").withImage("web:v2").withRestartCount(restarts).withReady(false);
        if (backOff) {
            status.withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                    .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated().endLastState();
        } else {
            status.withNewState().withNewRunning().endRunning().endState();
        }
        return client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("web-h2-abcde").addToLabels("app", "web")
                .addToLabels("pod-template-hash", "h2").addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web-h2")
                .withUid(rs.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("web:v2").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withContainerStatuses(status.build()).endStatus().build()).createOr(c -> c.update());
    }

    /** The image the Deployment's template runs now. */
    public String image() {
        return client.apps().deployments().inNamespace("shop").withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    public List<Event> rolledBackEvents() {
        return client.v1().events().inNamespace("shop").list().getItems().stream()
                .filter(e -> "web".equals(e.getInvolvedObject().getName()) && RolloutSupervisor.ROLLED_BACK.equals(e.getReason())).toList();
    }
}
