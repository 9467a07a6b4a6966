package dev.berth.platform.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Field ownership of the served kinds, after kube-apiserver's {@code fieldmanager_test.go} (TestApplyFailsWithManagedFields,
 * TestApplySuccessWithNoManagedFields, TestNoOpChanges, TestResetManagedFieldsEmptyList, TestResetManagedFieldsEmptyItem,
 * TestApplyStripsFields, TestUpdateViaSubresources) and {@code managedfieldsupdater_test.go}
 * (TestManagedFieldsUpdateDoesModifyTime, TestManagedFieldsApplyDoesModifyTime, TestTakingOverManagedFieldsDuringUpdate…),
 * and the conflict message of {@code fieldmanager/internal/conflict_test.go}.
 */
class FieldManagerTest {

    private static final FieldSet NONE = new FieldSet();
    private static final FieldSet STATUS = FieldSet.of(FieldPath.of("status"));

    private final MutableClock clock = new MutableClock();
    private final FieldManager fields = new FieldManager(ApplySchema.kubernetes(), clock);

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: default
              labels:
                app: web
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.27
                    ports:
                    - containerPort: 80
            """;

    @Test
    void kubectlApplyOfADeploymentRecordsWhatKubeApiserverRecords() {
        ObjectNode applied = fields.apply(null, Scenario.yaml(DEPLOYMENT), Deployment.class, "kubectl", false, STATUS);

        JsonNode entry = applied.at("/metadata/managedFields/0");
        assertThat(applied.at("/metadata/managedFields").size()).isEqualTo(1);
        assertThat(entry.get("manager").asText()).isEqualTo("kubectl");
        assertThat(entry.get("operation").asText()).isEqualTo("Apply");
        assertThat(entry.get("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(entry.get("time").asText()).isEqualTo("2026-12-03T10:00:00Z");
        assertThat(entry.get("fieldsType").asText()).isEqualTo("FieldsV1");
        // a selector is an atomic struct; items are members with "."; protocol takes its default TCP in the key
        assertThat(entry.get("fieldsV1").toString()).isEqualTo("{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},"
                + "\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},\"f:template\":{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},"
                + "\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{},"
                + "\"f:ports\":{\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{}}}}}}}}}");
        assertThat(applied.at("/spec/replicas").asInt()).isEqualTo(2);
    }

    @Test
    void createByUpdateOwnsNewMapsWithDotButNotTheStructsOfTheZeroObject() {
        ObjectNode created = fields.update(null, Scenario.yaml(DEPLOYMENT), Deployment.class, "kubectl-create", "", STATUS);

        JsonNode entry = created.at("/metadata/managedFields/0");
        assertThat(entry.get("operation").asText()).isEqualTo("Update");
        assertThat(entry.has("subresource")).isFalse();
        assertThat(entry.get("fieldsV1").toString()).isEqualTo("{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},"
                + "\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},\"f:template\":{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},"
                + "\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{},"
                + "\"f:ports\":{\".\":{},\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{}}}}}}}}}");
    }

    @Test
    void applyConflictingWithAnUpdaterNamesItAsKubeApiserverDoes() {
        ObjectNode live = fields.apply(null, Scenario.yaml(DEPLOYMENT), Deployment.class, "kubectl", false, STATUS);
        ObjectNode scaled = live.deepCopy();
        scaled.with("spec").put("replicas", 5);
        live = fields.update(live, scaled, Deployment.class, "kube-controller-manager", "", STATUS);
        assertThat(owners(live)).containsExactly("kubectl", "kube-controller-manager");

        ObjectNode again = Scenario.yaml(DEPLOYMENT);
        ObjectNode current = live;
        assertThatThrownBy(() -> fields.apply(current, again, Deployment.class, "kubectl", false, STATUS))
                .isInstanceOf(ApplyConflictException.class)
                .hasMessage("Apply failed with 1 conflict: conflict with \"kube-controller-manager\" using apps/v1: .spec.replicas")
                .satisfies(e -> assertThat(((ApplyConflictException) e).conflicts()).containsExactly(
                        new ApplyConflictException.Conflict("\"kube-controller-manager\" using apps/v1", FieldPath.of("spec", "replicas"))));

        ObjectNode forced = fields.apply(current, again, Deployment.class, "kubectl", true, STATUS);
        assertThat(forced.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(owners(forced)).as("the updater owned nothing else and is dropped").containsExactly("kubectl");
    }

    @Test
    void twoAppliersOfEqualValuesShareAndDifferentValuesConflictPerField() {
        ObjectNode live = fields.apply(null, Scenario.yaml(DEPLOYMENT), Deployment.class, "a", false, STATUS);
        ObjectNode shared = fields.apply(live, Scenario.yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {replicas: 2}
                """), Deployment.class, "b", false, STATUS);
        assertThat(owners(shared)).as("b changed nothing, so has no time, and sorts first as upstream").containsExactly("b", "a");
        assertThat(shared.at("/metadata/managedFields/0").has("time")).isFalse();

        assertThatThrownBy(() -> fields.apply(shared, Scenario.yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, labels: {app: other}}
                spec: {replicas: 3}
                """), Deployment.class, "c", false, STATUS))
                .hasMessage("Apply failed with 3 conflicts: conflicts with \"a\":\n- .metadata.labels.app\n- .spec.replicas\n"
                        + "conflicts with \"b\":\n- .spec.replicas");
    }

    @Test
    void fieldsAManagerStopsApplyingAreRemovedUnlessAnotherOwnsThem() {
        ObjectNode live = fields.apply(null, Scenario.yaml(DEPLOYMENT), Deployment.class, "kubectl", false, STATUS);
        ObjectNode labelled = live.deepCopy();
        labelled.with("metadata").with("labels").put("team", "shop");
        live = fields.update(live, labelled, Deployment.class, "kubectl-label", "", STATUS);

        ObjectNode fewer = fields.apply(live, Scenario.yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: default}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - {name: nginx, image: nginx:1.27}
                """), Deployment.class, "kubectl", false, STATUS);

        assertThat(fewer.at("/spec").has("replicas")).isFalse();
        assertThat(fewer.at("/metadata/labels").toString()).isEqualTo("{\"team\":\"shop\"}");
        assertThat(fewer.at("/spec/template/spec/containers/0").has("ports")).isFalse();
    }

    @Test
    void noOpChangesLeaveTheObjectAsTestNoOpChanges() {
        ObjectNode live = fields.apply(null, Scenario.yaml(DEPLOYMENT), Deployment.class, "kubectl", false, STATUS);
        clock.advance();

        assertThat(fields.apply(live, Scenario.yaml(DEPLOYMENT), Deployment.class, "kubectl", false, STATUS)).isEqualTo(live);
        assertThat(fields.update(live, live.deepCopy(), Deployment.class, "kubectl-edit", "", STATUS)).isEqualTo(live);
        assertThat(fields.apply(live, Scenario.yaml(DEPLOYMENT), Deployment.class, "other", false, STATUS))
                .as("a new manager of equal values changes managedFields").isNotEqualTo(live);
    }

    @Test
    void updateTimesMoveOnlyWhenTheManagerChangedSomethingAsManagedFieldsUpdaterTest() {
        ObjectNode live = fields.update(null, Scenario.yaml(DEPLOYMENT), Deployment.class, "editor", "", STATUS);
        clock.advance();
        ObjectNode same = fields.update(live, live.deepCopy(), Deployment.class, "editor", "", STATUS);
        assertThat(same.at("/metadata/managedFields/0/time").asText()).isEqualTo("2026-12-03T10:00:00Z");

        ObjectNode changed = same.deepCopy();
        changed.with("spec").put("replicas", 9);
        ObjectNode after = fields.update(same, changed, Deployment.class, "editor", "", STATUS);
        assertThat(after.at("/metadata/managedFields/0/time").asText()).isEqualTo("2026-12-03T10:00:01Z");
    }

    @Test
    void applyRefusesManagedFieldsAsTestApplyFailsWithManagedFields() {
        assertThatThrownBy(() -> fields.apply(null, Scenario.yaml("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                  managedFields: [{manager: test}]
                """), Pod.class, "fieldmanager_test", false, STATUS))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("metadata.managedFields must be nil");
    }

    @Test
    void managedFieldsResetByAnEmptyListOrOneEmptyItem() {
        ObjectNode live = fields.apply(null, Scenario.yaml("{apiVersion: v1, kind: Pod, metadata: {name: p, labels: {a: b}}}"),
                Pod.class, "fieldmanager_test_apply", false, STATUS);
        for (String reset : new String[] {"[]", "[{}]"}) {
            ObjectNode next = Scenario.yaml("{apiVersion: v1, kind: Pod, metadata: {name: p, managedFields: " + reset + ", labels: {a: b}}}");

            assertThat(fields.update(live, next, Pod.class, "update_manager", "", STATUS).at("/metadata").has("managedFields"))
                    .as("reset by %s", reset).isFalse();
        }
    }

    @Test
    void explicitManagedFieldsOfAnUpdateReplaceTheLiveOnesButNotThroughASubresource() {
        ObjectNode live = fields.apply(null, Scenario.yaml("{apiVersion: v1, kind: Pod, metadata: {name: p, labels: {a: b}}}"),
                Pod.class, "kubectl", false, STATUS);
        ObjectNode next = live.deepCopy();
        ((ObjectNode) next.at("/metadata/managedFields/0")).put("manager", "renamed");

        assertThat(owners(fields.update(live, next, Pod.class, "x", "", STATUS))).containsExactly("renamed");
        assertThat(owners(fields.update(live, next, Pod.class, "x", "status", NONE))).containsExactly("kubectl");
    }

    @Test
    void statusWritesAreRecordedWithTheirSubresource() {
        ObjectNode live = fields.apply(null, Scenario.yaml("{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {nodeName: n1}}"),
                Pod.class, "kubectl", false, STATUS);
        ObjectNode running = live.deepCopy();
        running.putObject("status").put("phase", "Running");

        ObjectNode written = fields.update(live, running, Pod.class, "kubelet", "status", NONE);

        JsonNode kubelet = written.at("/metadata/managedFields/1");
        assertThat(kubelet.get("manager").asText()).isEqualTo("kubelet");
        assertThat(kubelet.get("subresource").asText()).isEqualTo("status");
        assertThat(kubelet.get("fieldsV1").toString()).isEqualTo("{\"f:status\":{\".\":{},\"f:phase\":{}}}");
    }

    @Test
    void anObjectNobodyOwnsIsOwnedBeforeFirstApply() {
        ObjectNode unowned = Scenario.yaml("{apiVersion: v1, kind: Service, metadata: {name: s}, spec: {type: ClusterIP, ports: [{port: 80}]}}");

        assertThatThrownBy(() -> fields.apply(unowned, Scenario.yaml("{apiVersion: v1, kind: Service, metadata: {name: s}, spec: {type: NodePort}}"),
                Service.class, "kubectl", false, STATUS))
                .hasMessage("Apply failed with 1 conflict: conflict with \"before-first-apply\" using v1: .spec.type");
        ObjectNode same = fields.apply(unowned, Scenario.yaml("{apiVersion: v1, kind: Service, metadata: {name: s}, spec: {ports: [{port: 80, protocol: TCP}]}}"),
                Service.class, "kubectl", false, STATUS);
        assertThat(owners(same)).containsExactly("kubectl", "before-first-apply");
    }

    @Test
    void serverMetadataIsNeverOwnedAsTestApplyStripsFields() {
        ObjectNode applied = fields.apply(null, Scenario.yaml("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: default, uid: u, resourceVersion: "1", generation: 1, creationTimestamp: "2026-01-01T00:00:00Z"}
                """), Pod.class, "kubectl", false, STATUS);

        assertThat(applied.at("/metadata").has("managedFields")).as("nothing left to own").isFalse();
    }

    @Test
    void kubectlServerSideApplyKeepsTheClientSideAnnotationInStep() {
        ObjectNode live = Scenario.yaml("{apiVersion: v1, kind: Pod, metadata: {name: p, annotations: {"
                + "kubectl.kubernetes.io/last-applied-configuration: '{}'}}, spec: {nodeName: a}}");
        live = fields.update(null, live, Pod.class, "kubectl-client-side-apply", "", STATUS);

        ObjectNode applied = fields.apply(live, Scenario.yaml("{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {nodeName: a, hostname: h}}"),
                Pod.class, "kubectl", false, STATUS);

        assertThat(applied.at("/metadata/annotations").get(FieldManager.LAST_APPLIED).asText())
                .isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"a\",\"hostname\":\"h\"}}");
    }

    private static java.util.List<String> owners(JsonNode object) {
        java.util.List<String> out = new java.util.ArrayList<>();
        object.at("/metadata/managedFields").forEach(e -> out.add(e.get("manager").asText()));
        return out;
    }

    /** A clock the test moves by a second. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-03T10:00:00Z");

        void advance() {
            now = now.plusSeconds(1);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
