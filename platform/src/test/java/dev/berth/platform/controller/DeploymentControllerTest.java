package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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

    @BeforeEach
    void setUp() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        store = new ObjectStore(dir, JSON, clock, 100);
        controller = new DeploymentController(store, new EventRecorder(store, clock), JSON, clock,
                (d, rs, settings, since, now) -> { throw new AssertionError("no canary here"); }, new RolloutMetrics(new SimpleMeterRegistry()));
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
