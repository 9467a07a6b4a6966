package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Deployment controller on a real store: what it writes to the ReplicaSets. */
class DeploymentControllerTest {

    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    static final KubernetesSerialization JSON = new KubernetesSerialization();

    @TempDir
    Path dir;
    ObjectStore store;
    DeploymentController controller;
    SimpleMeterRegistry registry;

    @BeforeEach
    void setUp() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        store = new ObjectStore(dir, JSON, clock, 100);
        registry = new SimpleMeterRegistry();
        controller = new DeploymentController(store, new EventRecorder(store, clock), JSON, clock,
                (d, rs, settings, since, now) -> { throw new AssertionError("no canary here"); }, new RolloutMetrics(registry));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void anUndoneRevisionKeepsItsRevisionHistoryWithinTheControllersLimit() {
        // maxRevHistoryLengthInChars: a ReplicaSet undone to 540 times over must not grow its annotation without bound
        PodTemplateSpec v1 = template("web:1");
        Deployment d = store.create(new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "web").endSelector().withTemplate(v1).endSpec().build());
        String history = IntStream.rangeClosed(1, 540).mapToObj(Integer::toString).collect(Collectors.joining(",")); // 2,051 chars
        String hashV1 = PodTemplates.hash(v1, JSON);
        replicaSet(d, hashV1, v1, 541, Map.of(DeploymentPlanner.REVISION_HISTORY_ANNOTATION, history));
        replicaSet(d, "other", template("web:2"), 542, Map.of());

        controller.reconcile(ObjectKey.of(d));

        ReplicaSet renumbered = store.<ReplicaSet>get(new ObjectKey(ResourceKind.REPLICASET, "default", "web-" + hashV1)).orElseThrow();
        assertThat(renumbered.getMetadata().getAnnotations()).containsEntry(DeploymentPlanner.REVISION_ANNOTATION, "543");
        String after = renumbered.getMetadata().getAnnotations().get(DeploymentPlanner.REVISION_HISTORY_ANNOTATION);
        assertThat(after).hasSizeLessThanOrEqualTo(RolloutHistory.MAX_REVISION_HISTORY_CHARS).endsWith(",539,540,541");
        assertThat(after).isEqualTo(history.substring(history.indexOf(",23,") + 1) + ",541"); // 1 to 22 dropped, oldest first
    }

    @Test
    void aTemplateChangedBackReusesItsReplicaSetAsTheNewestRevision() {
        // A, then B, then A again as a Go client writes it back (kubectl rollout undo): its value fields at their
        // zero value left out, labels in another order, a quantity in another unit
        Deployment d = store.create(new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withTemplate(templateA(true)).endSpec().build());
        controller.reconcile(ObjectKey.of(d));
        ReplicaSet a = only(owned(d));
        assertThat(a.getMetadata().getAnnotations()).containsEntry(DeploymentPlanner.REVISION_ANNOTATION, "1");
        assertThat(revisionOf(d)).as("SetDeploymentRevision: the Deployment carries its new ReplicaSet's revision").isEqualTo("1");
        long generation = store.<Deployment>get(ObjectKey.of(d)).orElseThrow().getMetadata().getGeneration();
        assertThat(controller.reconcile(ObjectKey.of(d)).changed()).as("nothing left to write").isFalse();

        setTemplate(d, template("web:2"));
        controller.reconcile(ObjectKey.of(d));
        assertThat(owned(d)).hasSize(2);
        assertThat(revisionOf(d)).isEqualTo("2");
        assertThat(store.<Deployment>get(ObjectKey.of(d)).orElseThrow().getMetadata().getGeneration())
                .as("the template change alone moved the generation, not the annotation").isEqualTo(generation + 1);
        scale(a.getMetadata().getName(), 0); // the rollout to B completed
        ReplicaSet b = owned(d).stream().filter(rs -> !rs.getMetadata().getName().equals(a.getMetadata().getName())).findFirst().orElseThrow();
        scale(b.getMetadata().getName(), 2);

        setTemplate(d, templateA(false));
        controller.reconcile(ObjectKey.of(d));
        ReplicaSet reused = store.<ReplicaSet>get(ObjectKey.of(a)).orElseThrow();
        assertThat(owned(d)).hasSize(2);
        assertThat(reused.getMetadata().getUid()).isEqualTo(a.getMetadata().getUid());
        assertThat(reused.getMetadata().getAnnotations()).containsEntry(DeploymentPlanner.REVISION_ANNOTATION, "3")
                .containsEntry(DeploymentPlanner.REVISION_HISTORY_ANNOTATION, "1");
        assertThat(revisionOf(d)).as("renumbered: the Deployment follows").isEqualTo("3");

        controller.reconcile(ObjectKey.of(d));
        assertThat(store.<ReplicaSet>get(ObjectKey.of(a)).orElseThrow().getSpec().getReplicas()).as("scaled up by the surge").isEqualTo(1);
        assertThat(owned(d)).extracting(rs -> rs.getMetadata().getUid()).containsExactlyInAnyOrder(a.getMetadata().getUid(), b.getMetadata().getUid());
    }

    @Test
    void aTemplateChangedBackByHandIsAManualRollbackWithUpstreamsEvent() {
        // kubectl rollout undo: the Deployment's template back to revision 1's; the controller adopts that ReplicaSet
        Deployment d = store.create(new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "web").endSelector().withTemplate(template("web:1")).endSpec().build());
        replicaSet(d, PodTemplates.hash(template("web:1"), JSON), template("web:1"), 1, Map.of());
        replicaSet(d, PodTemplates.hash(template("web:2"), JSON), template("web:2"), 2, Map.of());

        controller.reconcile(ObjectKey.of(d));

        assertThat(manualRollbacks()).isEqualTo(1.0);
        assertThat(rollbackEvents(d)).containsExactly("Normal DeploymentRollback Rolled back deployment web to revision 1");
        controller.reconcile(ObjectKey.of(d));
        assertThat(manualRollbacks()).as("counted once: the ReplicaSet is the newest revision now").isEqualTo(1.0);
        assertThat(rollbackEvents(d)).hasSize(1);
    }

    @Test
    void theRenumberingAfterAnAutomaticRollbackIsNotCountedAsManual() {
        // Berth's own rollback left its marker with the template: the renumbering that follows is not a user's
        Deployment d = store.create(new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "web").endSelector().withTemplate(template("web:1")).endSpec().build());
        String hashV1 = PodTemplates.hash(template("web:1"), JSON);
        replicaSet(d, hashV1, template("web:1"), 1, Map.of());
        replicaSet(d, PodTemplates.hash(template("web:2"), JSON), template("web:2"), 2, Map.of());
        store.<Deployment>mutate(ObjectKey.of(d), x -> {
            x.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(DeploymentController.AUTOMATIC_ROLLBACK_ANNOTATION, "web-" + hashV1)));
            return x;
        });

        controller.reconcile(ObjectKey.of(d));

        assertThat(store.<ReplicaSet>get(new ObjectKey(ResourceKind.REPLICASET, "default", "web-" + hashV1)).orElseThrow()
                .getMetadata().getAnnotations()).containsEntry(DeploymentPlanner.REVISION_ANNOTATION, "3");
        assertThat(manualRollbacks()).isZero();
        assertThat(rollbackEvents(d)).isEmpty();
        assertThat(store.<Deployment>get(ObjectKey.of(d)).orElseThrow().getMetadata().getAnnotations())
                .as("the marker is consumed").doesNotContainKey(DeploymentController.AUTOMATIC_ROLLBACK_ANNOTATION);
    }

    double manualRollbacks() {
        var counter = registry.find("berth.rollbacks").tags("namespace", "default", "deployment", "web", "reason", "manual").counter();
        return counter == null ? 0 : counter.count();
    }

    List<String> rollbackEvents(Deployment d) {
        return store.<io.fabric8.kubernetes.api.model.Event>list(ResourceKind.EVENT, "default", null).stream()
                .filter(e -> "DeploymentRollback".equals(e.getReason()) && d.getMetadata().getName().equals(e.getInvolvedObject().getName()))
                .map(e -> e.getType() + " " + e.getReason() + " " + e.getMessage()).toList();
    }

    /** Template A as kubectl apply sends it ({@code asApplied}) or as a Go client writes it back. */
    static PodTemplateSpec templateA(boolean asApplied) {
        PodTemplateSpecBuilder t = new PodTemplateSpecBuilder().withNewMetadata()
                .addToLabels(asApplied ? Map.of("app", "web") : Map.of("tier", "front"))
                .addToLabels(asApplied ? Map.of("tier", "front") : Map.of("app", "web")).endMetadata();
        return t.withNewSpec().addNewContainer().withName("app").withImage("web:1")
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString(8080)).endHttpGet()
                    .withInitialDelaySeconds(asApplied ? 0 : null).withPeriodSeconds(5).endReadinessProbe()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").withReadOnly(asApplied ? false : null).endVolumeMount()
                .withNewResources().addToLimits("memory", new Quantity(asApplied ? "0.5Gi" : "512Mi")).endResources()
                .endContainer()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().build();
    }

    void setTemplate(Deployment d, PodTemplateSpec template) {
        store.<Deployment>mutate(ObjectKey.of(d), x -> {
            x.getSpec().setTemplate(template);
            return x;
        });
    }

    void scale(String replicaSet, int replicas) {
        store.<ReplicaSet>mutate(new ObjectKey(ResourceKind.REPLICASET, "default", replicaSet), rs -> {
            rs.getSpec().setReplicas(replicas);
            rs.setStatus(new ReplicaSetStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas).build());
            return rs;
        });
    }

    String revisionOf(Deployment d) {
        return store.<Deployment>get(ObjectKey.of(d)).orElseThrow().getMetadata().getAnnotations().get(DeploymentPlanner.REVISION_ANNOTATION);
    }

    List<ReplicaSet> owned(Deployment d) {
        return store.<ReplicaSet>list(ResourceKind.REPLICASET, "default", null).stream().filter(rs -> Owners.isOwnedBy(rs, d)).toList();
    }

    static ReplicaSet only(List<ReplicaSet> sets) {
        assertThat(sets).hasSize(1);
        return sets.get(0);
    }

    static PodTemplateSpec template(String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec().build();
    }

    void replicaSet(Deployment owner, String hash, PodTemplateSpec template, long revision, Map<String, String> annotations) {
        store.create(new ReplicaSetBuilder().withNewMetadata().withName("web-" + hash).withNamespace("default")
                .addToLabels("app", "web").addToLabels(PodTemplates.TEMPLATE_HASH_LABEL, hash)
                .addToAnnotations(DeploymentPlanner.REVISION_ANNOTATION, Long.toString(revision)).addToAnnotations(annotations)
                .withOwnerReferences(Owners.controllerRef(owner)).endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels(PodTemplates.TEMPLATE_HASH_LABEL, hash).endSelector()
                .withTemplate(template).endSpec().build());
    }
}
