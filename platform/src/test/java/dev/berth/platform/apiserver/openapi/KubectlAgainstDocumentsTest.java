package dev.berth.platform.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.apiserver.discovery.AggregatedDiscovery;
import dev.berth.platform.apiserver.discovery.IssueThirteenKinds;
import dev.berth.platform.apiserver.discovery.ServedResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl (/usr/bin/kubectl, 1.32) against the documents, served by {@link DocumentServer} with a
 * kubeconfig and kubectl's caches in a temporary directory.
 */
class KubectlAgainstDocumentsTest {

    private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
    private static final List<String> API_RESOURCES = List.of(
            "bindings v1 true Binding", // first, as a cluster lists it
            "configmaps cm v1 true ConfigMap",
            "endpoints ep v1 true Endpoints",
            "events ev v1 true Event",
            "namespaces ns v1 false Namespace",
            "nodes no v1 false Node",
            "persistentvolumeclaims pvc v1 true PersistentVolumeClaim",
            "pods po v1 true Pod",
            "secrets v1 true Secret",
            "serviceaccounts sa v1 true ServiceAccount",
            "services svc v1 true Service",
            "controllerrevisions apps/v1 true ControllerRevision",
            "deployments deploy apps/v1 true Deployment",
            "replicasets rs apps/v1 true ReplicaSet",
            "statefulsets sts apps/v1 true StatefulSet",
            "selfsubjectaccessreviews authorization.k8s.io/v1 false SelfSubjectAccessReview",
            "selfsubjectrulesreviews authorization.k8s.io/v1 false SelfSubjectRulesReview",
            "horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler",
            "leases coordination.k8s.io/v1 true Lease",
            "events events.k8s.io/v1 true Event",
            "clusterrolebindings rbac.authorization.k8s.io/v1 false ClusterRoleBinding",
            "clusterroles rbac.authorization.k8s.io/v1 false ClusterRole",
            "rolebindings rbac.authorization.k8s.io/v1 true RoleBinding",
            "roles rbac.authorization.k8s.io/v1 true Role");

    private static DocumentServer server;

    @TempDir
    static Path home;

    @BeforeAll
    static void serveDocuments() throws IOException {
        assertThat(KUBECTL).as("kubectl must be installed at " + KUBECTL + " (ci/bootstrap.sh installs it)").isExecutable();
        server = new DocumentServer(ServedResources.all());
        Files.writeString(home.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: berth
                  cluster:
                    server: %s
                contexts:
                - name: berth
                  context:
                    cluster: berth
                    user: admin
                    namespace: default
                current-context: berth
                users:
                - name: admin
                  user:
                    token: test-token
                """.formatted(server.url()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void forget() {
        server.unanswered.clear();
        server.served.clear();
        server.legacyDiscoveryOnly = false;
    }

    @Test
    void apiResourcesListsEveryServedResourceFromAggregatedDiscovery() throws Exception {
        Result r = kubectl("api-resources");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst()).hasValueSatisfying(header ->
                assertThat(header.split("\\s+")).containsExactly("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"));
        assertThat(columns(r.out())).containsExactlyElementsOf(API_RESOURCES);
        assertThat(server.served).contains("/api -> 200 " + AggregatedDiscovery.MEDIA_TYPE,
                "/apis -> 200 " + AggregatedDiscovery.MEDIA_TYPE);
        assertThat(server.served).noneMatch(s -> s.startsWith("/api/v1 ") || s.startsWith("/apis/apps/v1 "));
        assertThat(server.unanswered).isEmpty();
    }

    @Test
    void apiResourcesFromLegacyDiscoveryListTheSame() throws Exception {
        server.legacyDiscoveryOnly = true;

        Result r = kubectl(home.resolve("kubeconfig"), home.resolve("legacy-cache"), "api-resources");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(columns(r.out())).containsExactlyElementsOf(API_RESOURCES);
        assertThat(server.served).contains("/api -> 200 application/json", "/api/v1 -> 200 application/json",
                "/apis/apps/v1 -> 200 application/json", "/apis/autoscaling/v2 -> 200 application/json");
    }

    @Test
    void apiResourcesWideShowsVerbsAndCategories() throws Exception {
        Result r = kubectl("api-resources", "-o", "wide", "--api-group=apps");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment\\s+"
                + "create,delete,deletecollection,get,list,patch,update,watch\\s+all");
    }

    @Test
    void apiVersionsListsEveryGroupVersion() throws Exception {
        Result r = kubectl("api-versions");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).containsExactly("apps/v1", "authorization.k8s.io/v1", "autoscaling/v1", "autoscaling/v2", "coordination.k8s.io/v1",
                "events.k8s.io/v1", "rbac.authorization.k8s.io/v1", "v1");
    }

    @Test
    void explainFollowsDeploymentSpecReplicas() throws Exception {
        Result r = kubectl("explain", "deployment.spec.replicas");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("GROUP:      apps", "KIND:       Deployment", "VERSION:    v1",
                "FIELD: replicas <integer>");
        assertThat(server.served).anyMatch(s -> s.startsWith("/openapi/v3/apis/apps/v1 -> 200 application/json"));
    }

    @Test
    void explainListsTheFieldsOfPodContainers() throws Exception {
        Result r = kubectl("explain", "pods.spec.containers");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("KIND:       Pod", "VERSION:    v1", "FIELD: containers <[]Container>");
        assertThat(r.out()).containsPattern("\\n  image\\t<string>")
                .containsPattern("\\n  ports\\t<\\[\\]ContainerPort>")
                .containsPattern("\\n  resources\\t<ResourceRequirements>")
                .containsPattern("\\n  livenessProbe\\t<Probe>");
    }

    @Test
    void explainNamesIntOrStringAndQuantityAsUpstreamDoes() throws Exception {
        Result maxSurge = kubectl("explain", "deploy.spec.strategy.rollingUpdate.maxSurge");
        Result limits = kubectl("explain", "po.spec.containers.resources.limits");

        assertThat(maxSurge.out()).as(maxSurge.err()).contains("FIELD: maxSurge <IntOrString>");
        assertThat(limits.out()).as(limits.err()).contains("FIELD: limits <map[string]Quantity>");
    }

    @Test
    void explainOfAMissingFieldFailsAsOnACluster() throws Exception {
        Result r = kubectl("explain", "deployment.spec.nosuchfield");

        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("field \"nosuchfield\" does not exist");
    }

    /**
     * kubectl's QueryParamVerifierV3 finds {@code fieldValidation} on the kind's PATCH operation and so asks the
     * server to validate ({@code fieldValidation=Strict}) instead of validating client-side. The server answers
     * these writes 404 here; what matters is what kubectl sent.
     */
    @Test
    void createAndApplyAskForStrictServerSideValidation() throws Exception {
        Path manifest = home.resolve("deployment.yaml");
        Files.writeString(manifest, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: web
                        image: registry.local/web:1
                """);

        kubectl("create", "-f", manifest.toString());
        kubectl("apply", "--server-side", "-f", manifest.toString());

        assertThat(server.unanswered).containsExactly(
                "POST /apis/apps/v1/namespaces/default/deployments?fieldManager=kubectl-create&fieldValidation=Strict",
                "PATCH /apis/apps/v1/namespaces/default/deployments/web?fieldManager=kubectl&fieldValidation=Strict&force=false");
    }

    @Test
    void theKindsIssue13AddsAppearAndExplainAsTheyCome() throws Exception {
        try (DocumentServer more = new DocumentServer(IssueThirteenKinds.all())) {
            Path kubeconfig = home.resolve("kubeconfig-more");
            Files.writeString(kubeconfig, Files.readString(home.resolve("kubeconfig")).replace(server.url(), more.url()));

            Path cache = home.resolve("more-cache");
            Result resources = kubectl(kubeconfig, cache, "api-resources");
            Result lease = kubectl(kubeconfig, cache, "explain", "lease.spec.holderIdentity");
            Result rules = kubectl(kubeconfig, cache, "explain", "clusterroles.rules");

            assertThat(resources.exit()).as(resources.err()).isZero();
            assertThat(columns(resources.out())).contains(
                    "persistentvolumeclaims pvc v1 true PersistentVolumeClaim",
                    "serviceaccounts sa v1 true ServiceAccount",
                    "controllerrevisions apps/v1 true ControllerRevision",
                    "events ev events.k8s.io/v1 true Event",
                    "selfsubjectaccessreviews authorization.k8s.io/v1 false SelfSubjectAccessReview",
                    "clusterroles rbac.authorization.k8s.io/v1 false ClusterRole",
                    "leases coordination.k8s.io/v1 true Lease");
            assertThat(lease.out()).as(lease.err()).contains("GROUP:      coordination.k8s.io", "FIELD: holderIdentity <string>");
            assertThat(rules.out()).as(rules.err()).contains("KIND:       ClusterRole", "FIELD: rules <[]PolicyRule>");
        }
    }

    private record Result(int exit, String out, String err) {}

    /** Each line after the header with its columns joined by single spaces. */
    private static List<String> columns(String table) {
        return table.lines().skip(1).map(l -> String.join(" ", l.trim().split("\\s+"))).toList();
    }

    private static Result kubectl(String... args) throws Exception {
        return kubectl(home.resolve("kubeconfig"), home.resolve("cache"), args);
    }

    /** Runs kubectl with a kubeconfig and a discovery/OpenAPI cache directory of the test's own. */
    private static Result kubectl(Path kubeconfig, Path cache, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cache.toString()));
        command.addAll(Arrays.asList(args));
        Path out = home.resolve("out");
        Path err = home.resolve("err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("HOME", home.toString());
        Process p = builder.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl " + String.join(" ", args) + " finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
