package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a StatefulSet's revisions are named, hashed, written and pruned, as {@code pkg/controller/history} does. */
class StatefulSetRevisionsTest {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    @ParameterizedTest(name = "{0} + collisions {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            // FNV-32 (not 1a) over the bytes; the decimal sum mapped onto rand.SafeEncodeString's alphabet
            "''|0|65bb57b6b5", // the offset basis 2166136261
            "a|0|d8bfb88b", // 84696446
            "{\"spec\":{}}|0|6d4c5b5d8d", // 2807161848
            "{\"spec\":{}}|1|59c9b4d597", // the collision count is written after the data, in decimal
    })
    void hashControllerRevision(String data, int collisions, String hash) {
        assertThat(StatefulSetRevisions.hash(data, collisions)).isEqualTo(hash);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // rand.SafeEncodeString: each byte modulo 27 into "bcdfghjklmnpqrstvwxz2456789"
            "0123456789,456789bcdf", // '0' is 48, 48 % 27 = 21 → '4'
            "'',''",
    })
    void safeEncodeString(String in, String out) {
        assertThat(StatefulSetRevisions.safeEncode(in)).isEqualTo(out);
    }

    @Test
    void controllerRevisionNameCutsThePrefixTo223Characters() {
        // upstream TestControllerRevisionName's point: the name never exceeds 253 = 223 + "-" + a hash of at most 10
        assertThat(StatefulSetRevisions.name("web", "abc")).isEqualTo("web-abc");
        assertThat(StatefulSetRevisions.name("x".repeat(300), "6d4c5b5d8d")).hasSize(223 + 1 + 10).startsWith("x".repeat(223) + "-");
    }

    @Test
    void thePatchIsTheTemplateAsGoWritesItSortedAndReplacing() {
        StatefulSet set = set("web", "app=<1>");
        assertThat(StatefulSetRevisions.patch(set, JSON)).isEqualTo("{\"spec\":{\"template\":{\"$patch\":\"replace\","
                + "\"metadata\":{\"creationTimestamp\":null,\"labels\":{\"app\":\"web\"}},"
                + "\"spec\":{\"containers\":[{\"env\":[{\"name\":\"MODE\",\"value\":\"app=\\u003c1\\u003e\"}],\"image\":\"web:1\","
                + "\"name\":\"app\",\"resources\":{}}]}}}}");
    }

    @Test
    void aNewRevisionIsOwnedByTheSetLabelledLikeItsTemplateAndNamedByItsHash() {
        StatefulSet set = set("web", "one");
        set.getMetadata().setUid("uid-1");
        set.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of("kubernetes.io/change-cause", "first",
                "kubectl.kubernetes.io/last-applied-configuration", "{}")));
        ControllerRevision r = StatefulSetRevisions.newRevision(set, 4, 0, JSON);
        String hash = StatefulSetRevisions.hash(StatefulSetRevisions.patch(set, JSON), 0);
        assertThat(r.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(r.getRevision()).isEqualTo(4);
        assertThat(r.getMetadata().getLabels()).containsEntry("app", "web").containsEntry(StatefulSetRevisions.HASH_LABEL, hash);
        assertThat(r.getMetadata().getAnnotations()).containsOnlyKeys("kubernetes.io/change-cause");
        assertThat(r.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getUid()).isEqualTo("uid-1");
            assertThat(o.getController()).isTrue();
        });
        assertThat(JSON.asJson(r.getData())).isEqualTo(StatefulSetRevisions.patch(set, JSON)); // kept byte for byte
        assertThat(StatefulSetRevisions.newRevision(set, 4, 1, JSON).getMetadata().getName()).isNotEqualTo(r.getMetadata().getName());
    }

    @Test
    void findEqualRevisionsByDataAndNumberTheNext() {
        ControllerRevision one = StatefulSetRevisions.newRevision(set("web", "one"), 1, 0, JSON);
        ControllerRevision two = StatefulSetRevisions.newRevision(set("web", "two"), 2, 0, JSON);
        assertThat(StatefulSetRevisions.equal(List.of(one, two), StatefulSetRevisions.patch(set("web", "one"), JSON), JSON)).contains(one);
        assertThat(StatefulSetRevisions.equal(List.of(one, two), StatefulSetRevisions.patch(set("web", "three"), JSON), JSON)).isEmpty();
        assertThat(StatefulSetRevisions.nextRevision(List.of(one, two))).isEqualTo(3);
        assertThat(StatefulSetRevisions.nextRevision(List.of())).isEqualTo(1);
    }

    @Test
    void truncateHistoryKeepsLiveRevisionsAndTheNewestUpToTheLimit() {
        // upstream TestStatefulSetControl_truncateHistory: revisions a pod, current or update names are never deleted
        List<ControllerRevision> revisions = List.of(revision("r1", 1), revision("r2", 2), revision("r3", 3), revision("r4", 4),
                revision("r5", 5));
        var pod = new PodBuilder().withNewMetadata().withName("web-0").addToLabels(StatefulSetRevisions.POD_REVISION_LABEL, "r1").endMetadata().build();
        assertThat(StatefulSetRevisions.toTruncate(revisions, List.of(pod), "r4", "r5", 1)).extracting(r -> r.getMetadata().getName())
                .containsExactly("r2");
        assertThat(StatefulSetRevisions.toTruncate(revisions, List.of(), "r5", "r5", 0)).extracting(r -> r.getMetadata().getName())
                .containsExactly("r1", "r2", "r3", "r4");
        assertThat(StatefulSetRevisions.toTruncate(revisions, List.of(), "r5", "r5", 10)).isEmpty();
    }

    static ControllerRevision revision(String name, long number) {
        return new ControllerRevisionBuilder().withNewMetadata().withName(name).endMetadata().withRevision(number).build();
    }

    static StatefulSet set(String name, String mode) {
        return new StatefulSetBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("web:1").addNewEnv().withName("MODE").withValue(mode).endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build();
    }
}
