package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which ReplicaSet has a Deployment's template, against kube-controller-manager's own tables in
 * {@code pkg/controller/deployment/util/deployment_util_test.go}: TestEqualIgnoreHash, TestFindNewReplicaSet and
 * TestFindOldReplicaSets; each row names the upstream case.
 *
 * <p>Not transcribed: TestEqualIgnoreHashAndDroppedFields and TestFindNewReplicaSet's "Get new ReplicaSet with fields
 * dropped by the API server" (Berth's API server drops no field behind a disabled feature gate, so a ReplicaSet's
 * template never lacks one its Deployment has); TestFindOldReplicaSets' first result, the old ReplicaSets that still
 * have replicas (the planner sums the replicas of all old ones instead).
 */
class NewReplicaSetTest {

    static final KubernetesSerialization JSON = new KubernetesSerialization();
    static final String HASH = PodTemplates.TEMPLATE_HASH_LABEL;
    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    static final Instant LATER = NOW.plusSeconds(60);
    static final Instant BEFORE = NOW.minusSeconds(60);

    /** generatePodTemplateSpec: a name, a node, annotations and labels. */
    static PodTemplateSpec template(String name, String nodeName, Map<String, String> annotations, Map<String, String> labels) {
        return new PodTemplateSpecBuilder().withNewMetadata().withName(name).withAnnotations(new HashMap<>(annotations))
                .withLabels(new HashMap<>(labels)).endMetadata().withNewSpec().withNodeName(nodeName).endSpec().build();
    }

    static Stream<Arguments> testEqualIgnoreHash() {
        return Stream.of(
                Arguments.of("Same spec, same labels",
                        template("foo", "foo-node", Map.of(), Map.of(HASH, "value-1", "something", "else")),
                        template("foo", "foo-node", Map.of(), Map.of(HASH, "value-1", "something", "else")), true),
                Arguments.of("Same spec, only pod-template-hash label value is different",
                        template("foo", "foo-node", Map.of(), Map.of(HASH, "value-1", "something", "else")),
                        template("foo", "foo-node", Map.of(), Map.of(HASH, "value-2", "something", "else")), true),
                Arguments.of("Same spec, the former doesn't have pod-template-hash label",
                        template("foo", "foo-node", Map.of(), Map.of("something", "else")),
                        template("foo", "foo-node", Map.of(), Map.of(HASH, "value-2", "something", "else")), true),
                Arguments.of("Same spec, the label is different, the former doesn't have pod-template-hash label, same number of labels",
                        template("foo", "foo-node", Map.of(), Map.of("something", "else")),
                        template("foo", "foo-node", Map.of(), Map.of(HASH, "value-2")), false),
                Arguments.of("Same spec, the label is different, the latter doesn't have pod-template-hash label, same number of labels",
                        template("foo", "foo-node", Map.of(), Map.of(HASH, "value-1")),
                        template("foo", "foo-node", Map.of(), Map.of("something", "else")), false),
                Arguments.of("Same spec, the label is different, and the pod-template-hash label value is the same",
                        template("foo", "foo-node", Map.of(), Map.of(HASH, "value-1")),
                        template("foo", "foo-node", Map.of(), Map.of(HASH, "value-1", "something", "else")), false),
                Arguments.of("Different spec, same labels",
                        template("foo", "foo-node", Map.of("former", "value"), Map.of(HASH, "value-1", "something", "else")),
                        template("foo", "foo-node", Map.of("latter", "value"), Map.of(HASH, "value-1", "something", "else")), false),
                Arguments.of("Different spec, different pod-template-hash label value",
                        template("foo-1", "foo-node", Map.of(), Map.of(HASH, "value-1", "something", "else")),
                        template("foo-2", "foo-node", Map.of(), Map.of(HASH, "value-2", "something", "else")), false),
                Arguments.of("Different spec, the former doesn't have pod-template-hash label",
                        template("foo-1", "foo-node-1", Map.of(), Map.of("something", "else")),
                        template("foo-2", "foo-node-2", Map.of(), Map.of(HASH, "value-2", "something", "else")), false),
                Arguments.of("Different spec, different labels",
                        template("foo", "foo-node-1", Map.of(), Map.of("something", "else")),
                        template("foo", "foo-node-2", Map.of(), Map.of("nothing", "else")), false));
    }

    @ParameterizedTest(name = "TestEqualIgnoreHash: {0}")
    @MethodSource
    void testEqualIgnoreHash(String upstreamCase, PodTemplateSpec former, PodTemplateSpec latter, boolean expected) {
        PodTemplateSpec formerBefore = JSON.clone(former);
        PodTemplateSpec latterBefore = JSON.clone(latter);
        assertThat(PodTemplates.equalIgnoreHash(former, latter, JSON)).isEqualTo(expected);
        assertThat(PodTemplates.equalIgnoreHash(latter, former, JSON)).as("in reverse order").isEqualTo(expected);
        assertThat(former).as("neither template is changed").isEqualTo(formerBefore);
        assertThat(latter).isEqualTo(latterBefore);
    }

    /** generateDeployment: one container named and imaged {@code image}, with the API's defaults. */
    static Deployment deployment(String image) {
        return new DeploymentBuilder().withNewMetadata().withName(image).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("name", image).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("name", image).endMetadata()
                        .withNewSpec().addNewContainer().withName(image).withImage(image).withImagePullPolicy("Always")
                            .withTerminationMessagePath("/dev/termination-log").endContainer()
                        .withDnsPolicy("ClusterFirst").withTerminationGracePeriodSeconds(30L).withRestartPolicy("Always")
                        .withNewSecurityContext().endSecurityContext().withEnableServiceLinks(true)
                    .endSpec().endTemplate()
                .endSpec().build();
    }

    /** generateRS: the Deployment's template, labelled {@code hash} (the RS's labels are its template's, as upstream's share one map). */
    static ReplicaSet replicaSet(Deployment d, String name, String hash, Instant created, int replicas) {
        PodTemplateSpec template = JSON.clone(d.getSpec().getTemplate());
        Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
        if (hash != null) {
            labels.put(HASH, hash);
        }
        template.getMetadata().setLabels(labels);
        return new ReplicaSetBuilder().withNewMetadata().withName(name).withUid(name + "-uid").withLabels(labels)
                .withCreationTimestamp(created == null ? null : created.toString()).endMetadata()
                .withNewSpec().withReplicas(replicas).withTemplate(template).endSpec().build();
    }

    static final Deployment NGINX = deployment("nginx");
    static final ReplicaSet NEW_RS = replicaSet(NGINX, "nginx-new", "hash", LATER, 1);
    static final ReplicaSet NEW_RS_DUP = replicaSet(NGINX, "nginx-dup", "different-hash", NOW, 0);
    static final ReplicaSet OLD_RS = replicaSet(oldDeployment(), "nginx-old", null, null, 0);
    /** gatedDeployment: a container restartPolicy the Deployment sets and this ReplicaSet does not have. */
    static final Deployment GATED = gatedDeployment();
    static final ReplicaSet DROPPED_FIELDS_RS = droppedFields(replicaSet(GATED, "nginx-dropped", PodTemplates.hash(GATED.getSpec().getTemplate(), JSON), NOW, 0));
    static final ReplicaSet EXACT_RS = replicaSet(GATED, "nginx-exact", "exact-hash", LATER, 0);

    static Deployment oldDeployment() {
        Deployment d = deployment("nginx");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setName("nginx-old-1");
        return d;
    }

    static Deployment gatedDeployment() {
        Deployment d = deployment("nginx");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setRestartPolicy("Never");
        return d;
    }

    static ReplicaSet droppedFields(ReplicaSet rs) {
        rs.getSpec().getTemplate().getSpec().getContainers().get(0).setRestartPolicy(null);
        return rs;
    }

    static Stream<Arguments> testFindNewReplicaSet() {
        return Stream.of(
                Arguments.of("Prefer a ReplicaSet with the same template over one with dropped fields", GATED,
                        List.of(DROPPED_FIELDS_RS, EXACT_RS), "nginx-exact"),
                Arguments.of("Get new ReplicaSet with the same template as Deployment spec but different pod-template-hash value", NGINX,
                        List.of(NEW_RS, OLD_RS), "nginx-new"),
                Arguments.of("Get the oldest new ReplicaSet when there are more than one ReplicaSet with the same template", NGINX,
                        List.of(NEW_RS, OLD_RS, NEW_RS_DUP), "nginx-dup"),
                Arguments.of("Get nil new ReplicaSet", NGINX, List.of(OLD_RS), null));
    }

    @ParameterizedTest(name = "TestFindNewReplicaSet: {0}")
    @MethodSource
    void testFindNewReplicaSet(String upstreamCase, Deployment d, List<ReplicaSet> owned, String expected) {
        assertThat(PodTemplates.findNewReplicaSet(d, owned, JSON).map(rs -> rs.getMetadata().getName())).isEqualTo(Optional.ofNullable(expected));
    }

    static Stream<Arguments> testFindOldReplicaSets() {
        return Stream.of(
                Arguments.of("Get old ReplicaSets", List.of(NEW_RS, OLD_RS), List.of("nginx-old")),
                Arguments.of("Get old ReplicaSets with no new ReplicaSet", List.of(OLD_RS), List.of("nginx-old")),
                Arguments.of("Get old ReplicaSets with two new ReplicaSets, only the oldest new ReplicaSet is seen as new ReplicaSet",
                        List.of(OLD_RS, NEW_RS, NEW_RS_DUP), List.of("nginx-old", "nginx-new")),
                Arguments.of("Get empty old ReplicaSets", List.of(NEW_RS), List.of()));
    }

    @ParameterizedTest(name = "TestFindOldReplicaSets: {0}")
    @MethodSource
    void testFindOldReplicaSets(String upstreamCase, List<ReplicaSet> owned, List<String> expected) {
        Optional<ReplicaSet> newRs = PodTemplates.findNewReplicaSet(NGINX, owned, JSON);
        assertThat(DeploymentPlanner.oldReplicaSets(owned, newRs).stream().sorted(PodTemplates.BY_CREATION).map(rs -> rs.getMetadata().getName()))
                .containsExactlyElementsOf(expected);
    }
}
