package dev.berth.platform.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kubectl apply --server-side} after client-side apply, against kube-apiserver's own cases in
 * {@code k8s.io/apimachinery/pkg/util/managedfields/internal/lastappliedmanager_test.go}
 * (TestApplyUsingLastAppliedAnnotation, TestServiceApply, TestReplicationControllerApply, TestPodApply), one row per
 * upstream case, run as its {@code testConflicts} runs them: the original object, carrying the last-applied
 * configuration (the original's own when the case gives none), is written by {@code test_client_side_apply}; the
 * applied one is applied without force, giving exactly the expected conflicts (all with that manager) or none; a
 * forced apply then succeeds; the object ends up with every applied value.
 */
class ClientSideApplyUpgradeTest {

    private static final String CLIENT_SIDE = "test_client_side_apply";

    private final FieldManager fields = new FieldManager(ApplySchema.kubernetes(), Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC));

    static Arguments row(String upstreamCase, Class<?> kind, String manager, String lastApplied, String original, String applied,
            String... conflicts) {
        return Arguments.of(upstreamCase, kind, manager, lastApplied, original, applied, List.of(conflicts));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                row("TestApplyUsingLastAppliedAnnotation test 0: test conflicts due to fields not allowed by last-applied", Deployment.class, "kubectl",
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                    spec:
                      replicas: 3
                      selector:
                        matchLabels:
                          app: my-app
                      template:
                        metadata:
                          labels:
                            app: my-app
                        spec:
                          containers:
                          - name: my-c
                            image: my-image-v1
                          - name: my-c2
                            image: my-image2
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-app
                    spec:
                      replicas: 100
                      selector:
                        matchLabels:
                          app: my-app
                      template:
                        metadata:
                          labels:
                            app: my-app
                        spec:
                          containers:
                          - name: my-c
                            image: my-image-v2
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-new-label
                    spec:
                      replicas: 333
                      selector:
                        matchLabels:
                          app: my-new-label
                      template:
                        metadata:
                          labels:
                            app: my-new-label
                        spec:
                          containers:
                          - name: my-c
                            image: my-image-new
                    """, ".metadata.labels.app", ".spec.replicas", ".spec.template.spec.containers[name=\"my-c\"].image"),
                row("TestApplyUsingLastAppliedAnnotation test 1: expect conflict on replicas, changed since the last client-side apply", Deployment.class, "kubectl",
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-app
                    spec:
                      replicas: 3
                      selector:
                        matchLabels:
                          app: my-app
                      template:
                        metadata:
                          labels:
                            app: my-app
                        spec:
                          containers:
                          - name: my-c
                            image: my-image
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-app
                    spec:
                      replicas: 100
                      selector:
                        matchLabels:
                          app: my-app
                      template:
                        metadata:
                          labels:
                            app: my-app
                        spec:
                          containers:
                          - name: my-c
                            image: my-image
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-new-label
                    spec:
                      replicas: 3
                      template:
                        metadata:
                          labels:
                            app: my-app
                        spec:
                          containers:
                          - name: my-c
                            image: my-image
                    """, ".spec.replicas"),
                row("TestApplyUsingLastAppliedAnnotation test 2: applied object matches original", Deployment.class, "kubectl",
                    null,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-app
                    spec:
                      replicas: 100
                      selector:
                        matchLabels:
                          app: my-app
                      template:
                        metadata:
                          labels:
                            app: my-app
                        spec:
                          containers:
                          - name: my-c
                            image: my-image
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-app
                    spec:
                      replicas: 100
                      selector:
                        matchLabels:
                          app: my-app
                      template:
                        metadata:
                          labels:
                            app: my-app
                        spec:
                          containers:
                          - name: my-c
                            image: my-image
                    """),
                row("TestApplyUsingLastAppliedAnnotation test 3: test allowed update with no conflicts", Deployment.class, "kubectl",
                    null,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-app
                    spec:
                      replicas: 3
                      selector:
                        matchLabels:
                          app: my-app
                      template:
                        metadata:
                          labels:
                            app: my-app
                        spec:
                          containers:
                          - name: my-c
                            image: my-image
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-new-label
                    spec:
                      replicas: 333
                      selector:
                        matchLabels:
                          app: my-new-label
                      template:
                        metadata:
                          labels:
                            app: my-new-label
                        spec:
                          containers:
                          - name: my-c
                            image: my-image
                    """),
                row("TestApplyUsingLastAppliedAnnotation test 4: expect conflicts because field manager is NOT kubectl", Deployment.class, "not_kubectl",
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-app
                    spec:
                      replicas: 3
                      selector:
                        matchLabels:
                          app: my-app
                      template:
                        metadata:
                          labels:
                            app: my-app
                        spec:
                          containers:
                          - name: my-c
                            image: my-image-v1
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-app
                    spec:
                      replicas: 100
                      selector:
                        matchLabels:
                          app: my-app
                      template:
                        metadata:
                          labels:
                            app: my-app
                        spec:
                          containers:
                          - name: my-c
                            image: my-image-v2
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-new-label
                    spec:
                      replicas: 333
                      selector:
                        matchLabels:
                          app: my-new-label
                      template:
                        metadata:
                          labels:
                            app: my-new-label
                        spec:
                          containers:
                          - name: my-c
                            image: my-image-new
                    """, ".metadata.labels.app", ".spec.replicas", ".spec.selector", ".spec.template.metadata.labels.app", ".spec.template.spec.containers[name=\"my-c\"].image"),
                row("TestApplyUsingLastAppliedAnnotation test 5: test allowed update with no conflicts", Deployment.class, "kubectl",
                    null,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-app
                    spec:
                      replicas: 3
                      selector:
                        matchLabels:
                          app: my-app
                      template:
                        metadata:
                          labels:
                            app: my-app
                        spec:
                          containers:
                          - name: my-c
                            image: my-image
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-new-label
                    spec:
                      replicas: 3
                      selector:
                        matchLabels:
                          app: my-app
                      template:
                        metadata:
                          labels:
                            app: my-app
                        spec:
                          containers:
                          - name: my-c
                            image: my-new-image
                    """),
                row("TestApplyUsingLastAppliedAnnotation test 6: expect changes to fail because field manager is not kubectl", Deployment.class, "not_kubectl",
                    null,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-app
                    spec:
                      replicas: 100
                      selector:
                        matchLabels:
                          app: my-app
                      template:
                        metadata:
                          labels:
                            app: my-app
                        spec:
                          containers:
                          - name: my-c
                            image: my-image
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                      labels:
                        app: my-new-label
                    spec:
                      replicas: 3
                      selector:
                        matchLabels:
                          app: my-app
                      template:
                        metadata:
                          labels:
                            app: my-app
                        spec:
                          containers:
                          - name: my-c
                            image: my-new-image
                    """, ".metadata.labels.app", ".spec.replicas", ".spec.template.spec.containers[name=\"my-c\"].image"),
                row("TestApplyUsingLastAppliedAnnotation test 7: update replicas", Deployment.class, "kubectl",
                    null,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                    spec:
                      replicas: 3
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                    spec:
                      replicas: 100
                    """),
                row("TestApplyUsingLastAppliedAnnotation test 8: expect conflict due to apiVersion mismatch with last-applied", Deployment.class, "kubectl",
                    """
                    apiVersion: extensions/v1beta1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                    spec:
                      replicas: 3
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                    spec:
                      replicas: 3
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                    spec:
                      replicas: 100
                    """, ".spec.replicas"),
                row("TestApplyUsingLastAppliedAnnotation test 9: expect conflict due to invalid object", Deployment.class, "kubectl",
                    """
                    apiVerison: foo
                    kind: bar
                    spec: expect conflict due to invalid object
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                    spec:
                      replicas: 3
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                    spec:
                      replicas: 100
                    """, ".spec.replicas"),
                row("TestApplyUsingLastAppliedAnnotation test 10: last-applied is empty", Deployment.class, "kubectl",
                    "",
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                    spec:
                      replicas: 3
                    """,
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: my-deployment
                    spec:
                      replicas: 100
                    """, ".spec.replicas"),
                row("TestServiceApply test 0: All accepted while using the same field manager", Service.class, "kubectl",
                    null,
                    """
                    apiVersion: v1
                    kind: Service
                    metadata:
                      name: test
                    spec:
                      ports:
                      - name: https
                        port: 443
                        protocol: TCP
                        targetPort: 8443
                      selector:
                        old: test
                    """,
                    """
                    apiVersion: v1
                    kind: Service
                    metadata:
                      name: test
                    spec:
                      ports:
                      - name: https
                        port: 443
                        protocol: TCP
                        targetPort: 8444
                      selector:
                        new: test
                    """),
                row("TestServiceApply test 1: Allowed to remove selectors while using the same field manager", Service.class, "kubectl",
                    null,
                    """
                    apiVersion: v1
                    kind: Service
                    metadata:
                      name: test
                    spec:
                      ports:
                      - name: https
                        port: 443
                        protocol: TCP
                        targetPort: 8443
                      selector:
                        old: test
                    """,
                    """
                    apiVersion: v1
                    kind: Service
                    metadata:
                      name: test
                    spec:
                      ports:
                      - name: https
                        port: 443
                        protocol: TCP
                        targetPort: 8444
                      selector: {}
                    """),
                row("TestServiceApply test 2: test selector update not allowed by last-applied", Service.class, "not_kubectl",
                    null,
                    """
                    apiVersion: v1
                    kind: Service
                    metadata:
                      name: test
                    spec:
                      ports:
                      - name: https
                        port: 443
                        protocol: TCP
                        targetPort: 8443
                      selector:
                        old: test
                    """,
                    """
                    apiVersion: v1
                    kind: Service
                    metadata:
                      name: test
                    spec:
                      ports:
                      - name: https
                        port: 443
                        protocol: TCP
                        targetPort: 8444
                      selector:
                        new: test
                    """, ".spec.selector", ".spec.ports[port=443,protocol=\"TCP\"].targetPort"),
                row("TestReplicationControllerApply test 0: All accepted while using the same field manager", ReplicationController.class, "kubectl",
                    null,
                    """
                    apiVersion: v1
                    kind: ReplicationController
                    metadata:
                      name: test
                    spec:
                      replicas: 0
                      selector:
                        old: test
                    """,
                    """
                    apiVersion: v1
                    kind: ReplicationController
                    metadata:
                      name: test
                    spec:
                      replicas: 3
                      selector:
                        new: test
                    """),
                row("TestReplicationControllerApply test 1: test selector update not allowed by last-applied", ReplicationController.class, "not_kubectl",
                    null,
                    """
                    apiVersion: v1
                    kind: ReplicationController
                    metadata:
                      name: test
                    spec:
                      replicas: 0
                      selector:
                        old: test
                    """,
                    """
                    apiVersion: v1
                    kind: ReplicationController
                    metadata:
                      name: test
                    spec:
                      replicas: 3
                      selector:
                        new: test
                    """, ".spec.selector", ".spec.replicas"),
                row("TestPodApply test 0: All accepted while using the same field manager", Pod.class, "kubectl",
                    null,
                    """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: test
                      namespace: test
                    spec:
                      containers:
                      - args:
                        - -v=2
                        command:
                        - controller
                        image: some.registry/app:latest
                        name: doJob
                      nodeName: definetlyControlPlane
                      nodeSelector:
                        node-role.kubernetes.io/master: ""
                    """,
                    """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: test
                      namespace: test
                    spec:
                      containers:
                      - args:
                        - -v=2
                        command:
                        - controller
                        image: some.registry/app:latest
                        name: doJob
                      nodeSelector:
                        node-role.kubernetes.io/worker: ""
                    """),
                row("TestPodApply test 1: test selector update not allowed by last-applied", Pod.class, "not_kubectl",
                    null,
                    """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: test
                      namespace: test
                    spec:
                      containers:
                      - args:
                        - -v=2
                        command:
                        - controller
                        image: some.registry/app:latest
                        name: doJob
                      nodeName: definetlyControlPlane
                      nodeSelector:
                        node-role.kubernetes.io/master: ""
                    """,
                    """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: test
                      namespace: test
                    spec:
                      containers:
                      - args:
                        - -v=2
                        command:
                        - controller
                        image: some.registry/app:latest
                        name: doJob
                      nodeName: definetlyControlPlane
                      nodeSelector:
                        node-role.kubernetes.io/master: ""
                        otherNodeType: ""
                    """, ".spec.nodeSelector"),
                row("TestPodApply test 2: purging selector not allowed for different manager", Pod.class, "not_kubectl",
                    null,
                    """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: test
                      namespace: test
                    spec:
                      containers:
                      - args:
                        - -v=2
                        command:
                        - controller
                        image: some.registry/app:latest
                        name: doJob
                      nodeName: definetlyControlPlane
                      nodeSelector:
                        node-role.kubernetes.io/master: ""
                    """,
                    """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: test
                      namespace: test
                    spec:
                      containers:
                      - args:
                        - -v=2
                        command:
                        - controller
                        image: some.registry/app:latest
                        name: doJob
                      nodeName: another
                      nodeSelector: {}
                    """, ".spec.nodeSelector", ".spec.nodeName"),
                row("TestPodApply test 3: same manager could purge nodeSelector", Pod.class, "kubectl",
                    null,
                    """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: test
                      namespace: test
                    spec:
                      containers:
                      - args:
                        - -v=2
                        command:
                        - controller
                        image: some.registry/app:latest
                        name: doJob
                      nodeName: definetlyControlPlane
                      nodeSelector:
                        node-role.kubernetes.io/master: ""
                    """,
                    """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: test
                      namespace: test
                    spec:
                      containers:
                      - args:
                        - -v=2
                        command:
                        - controller
                        image: some.registry/app:latest
                        name: doJob
                      nodeName: another
                      nodeSelector: {}
                    """)

        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void applyAfterClientSideApply(String upstreamCase, Class<?> kind, String manager, String lastApplied, String original, String applied,
            List<String> conflicts) throws Exception {
        ObjectNode originalObject = Scenario.yaml(original);
        String annotation = lastApplied == null ? Scenario.JSON.writeValueAsString(Scenario.yaml(original))
                : lastApplied.isEmpty() ? "" : Scenario.JSON.writeValueAsString(Scenario.yaml(lastApplied));
        ((ObjectNode) originalObject.get("metadata")).putObject("annotations").put(FieldManager.LAST_APPLIED, annotation);
        ObjectNode live = fields.update(null, originalObject, kind, CLIENT_SIDE, "", new FieldSet());
        ObjectNode appliedObject = Scenario.yaml(applied);

        ObjectNode result;
        if (conflicts.isEmpty()) {
            result = fields.apply(live, appliedObject, kind, manager, false, new FieldSet());
        } else {
            assertThatThrownBy(() -> fields.apply(live, appliedObject, kind, manager, false, new FieldSet()))
                    .isInstanceOfSatisfying(ApplyConflictException.class, e -> {
                        assertThat(e.conflicts()).extracting(ApplyConflictException.Conflict::field).containsExactlyInAnyOrderElementsOf(conflicts);
                        assertThat(e.conflicts()).extracting(ApplyConflictException.Conflict::manager)
                                .allMatch(m -> m.startsWith("\"" + CLIENT_SIDE + "\" using "));
                    });
            result = fields.apply(live, appliedObject, kind, manager, true, new FieldSet()); // yet force resolves them all
        }
        assertThat(derivative(appliedObject, result)).as("the object has every applied value: %s", result).isTrue();
    }

    /**
     * apimachinery's {@code Semantic.DeepDerivative}: every value {@code applied} sets is {@code live}'s; an empty
     * map or list sets nothing.
     */
    static boolean derivative(JsonNode applied, JsonNode live) {
        if (applied == null || applied.isNull()) {
            return true;
        }
        if (applied.isObject()) {
            if (applied.isEmpty()) {
                return true;
            }
            if (live == null || !live.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = applied.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!derivative(e.getValue(), live.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (applied.isArray()) {
            if (applied.isEmpty()) {
                return true;
            }
            if (live == null || !live.isArray() || live.size() != applied.size()) {
                return false;
            }
            for (int i = 0; i < applied.size(); i++) {
                if (!derivative(applied.get(i), live.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return applied.equals(live);
    }
}
