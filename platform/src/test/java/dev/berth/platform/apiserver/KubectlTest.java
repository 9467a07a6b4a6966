package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.api.CoreApiProfile;
import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.cli.KubeconfigContext;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl against the core's Kubernetes API, with the kubeconfig context {@code berth up} writes: discovery,
 * client-side apply (create, then a strategic merge patch), server-side printing, jsonpath, field selectors, scale,
 * set image, label, logs with its options (timestamps, since, limit-bytes, previous), and kubectl's own error messages.
 * Each step asserts what kubectl printed and what changed.
 */
@QuarkusTest
@TestProfile(CoreApiProfile.class)
class KubectlTest {

    static final String NS = "kubectl-test";

    @Inject
    ApiServer server;

    @Inject
    ObjectStore store;

    Path kubeconfig;

    @BeforeEach
    void context() throws Exception {
        kubeconfig = Files.createTempDirectory("kubeconfig").resolve("config");
        String ca = Files.readString(ServingCertificate.certificateFile(ApiServer.certificateDir(CoreApiProfile.STATE)));
        KubeconfigContext.write(kubeconfig, "https://127.0.0.1:" + server.securePort(), ca, CoreApiTokens.DEPLOYER, NS);
        assertThat(applyNamespace(NS).lines()).containsAnyOf("namespace/" + NS + " created", "namespace/" + NS + " unchanged");
    }

    private Result applyNamespace(String ns) throws Exception {
        Path namespace = Files.createTempFile("namespace", ".yaml");
        Files.writeString(namespace, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns + "\n");
        return kubectl("apply", "-f", namespace.toString());
    }

    @Test
    void discoveryListsTheServedResources() throws Exception {
        Result r = kubectl("api-resources", "--no-headers", "-o", "name");
        assertThat(r.lines()).contains("pods", "services", "deployments.apps", "replicasets.apps", "horizontalpodautoscalers.autoscaling");
        assertThat(kubectl("api-versions").lines()).contains("v1", "apps/v1", "autoscaling/v2");
    }

    @Test
    void applyGetScaleSetImageLabelDelete() throws Exception {
        Path manifest = Files.createTempFile("app", ".yaml");
        Files.writeString(manifest, manifest("web:1"));
        assertThat(kubectl("apply", "-f", manifest.toString()).lines())
                .containsExactly("configmap/settings created", "deployment.apps/web created");
        assertThat(kubectl("apply", "-f", manifest.toString()).lines())
                .containsExactly("configmap/settings unchanged", "deployment.apps/web unchanged");

        Files.writeString(manifest, manifest("web:2"));
        assertThat(kubectl("apply", "-f", manifest.toString()).lines())
                .containsExactly("configmap/settings unchanged", "deployment.apps/web configured");
        assertThat(image()).isEqualTo("127.0.0.1:5000/web:2");

        Result table = kubectl("get", "deployments");
        assertThat(table.lines().get(0)).matches("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE");
        assertThat(table.lines().get(1)).startsWith("web ");
        assertThat(kubectl("get", "deployments", "-o", "wide").lines().get(0)).contains("CONTAINERS", "IMAGES", "SELECTOR");
        assertThat(kubectl("get", "configmaps", "--field-selector", "metadata.name=settings", "-o", "name").lines())
                .containsExactly("configmap/settings");

        assertThat(kubectl("scale", "deployment/web", "--replicas=2").lines()).containsExactly("deployment.apps/web scaled");
        assertThat(kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").lines()).containsExactly("2");

        assertThat(kubectl("set", "image", "deployment/web", "app=127.0.0.1:5000/web:3").lines()).containsExactly("deployment.apps/web image updated");
        assertThat(image()).isEqualTo("127.0.0.1:5000/web:3");

        assertThat(kubectl("label", "configmap", "settings", "team=payments").lines()).containsExactly("configmap/settings labeled");
        assertThat(kubectl("get", "configmaps", "-l", "team=payments", "-o", "name").lines()).containsExactly("configmap/settings");

        Result missing = kubectl("get", "deployment", "nope");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.lines()).contains("Error from server (NotFound): deployments.apps \"nope\" not found");

        assertThat(kubectl("delete", "configmap", "settings").lines()).containsExactly("configmap \"settings\" deleted");
        assertThat(kubectl("get", "configmaps", "-o", "name").lines()).isEmpty();
        assertThat(kubectl("delete", "deployment", "web").lines()).containsExactly("deployment.apps \"web\" deleted");
        assertThat(kubectl("delete", "namespace", NS).lines()).containsExactly("namespace \"" + NS + "\" deleted");
    }

    @Test
    void watchAndLogs() throws Exception {
        Path cm = Files.createTempFile("cm", ".yaml");
        Files.writeString(cm, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\ndata: {k: v}\n");
        Process watch = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "get", "configmaps", "-w",
                "-o", "name").redirectErrorStream(true).start();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(watch.getInputStream())).lines().forEach(seen::add));
        reader.start();
        try {
            assertThat(kubectl("apply", "-f", cm.toString()).lines()).containsExactly("configmap/watched created");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(seen).containsExactly("configmap/watched"));
            kubectl("delete", "configmap", "watched");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(seen).containsExactly("configmap/watched", "configmap/watched")); // and its deletion
        } finally {
            watch.destroy();
            watch.waitFor(10, TimeUnit.SECONDS);
        }

        // a pod bound to a node no kubelet runs, with a log file: kubectl logs reads it through the API
        Path pod = Files.createTempFile("pod", ".yaml");
        Files.writeString(pod, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: talker\nspec:\n  nodeName: no-kubelet\n"
                + "  containers:\n  - name: app\n    image: 127.0.0.1:5000/none:1\n");
        assertThat(kubectl("apply", "-f", pod.toString()).lines()).containsExactly("pod/talker created");
        Path log = CoreApiProfile.STATE.resolve("pods/" + NS + "/talker/logs/app.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "one\ntwo\nthree\n");
        assertThat(kubectl("logs", "talker", "--tail", "2").lines()).containsExactly("two", "three");
        assertThat(kubectl("delete", "pod", "talker", "--grace-period=0", "--force").exit()).isZero();
    }

    @Test
    void logsWithTimestampsSinceLimitBytesAndPrevious() throws Exception {
        String ns = "kubectl-logs";
        assertThat(applyNamespace(ns).exit()).isZero();
        if (store.get(new ObjectKey(ResourceKind.NODE, null, "kubectl-logs-node")).isEmpty()) {
            store.create(new NodeBuilder().withNewMetadata().withName("kubectl-logs-node").endMetadata().build()); // no kubelet of the core's
        }
        // restarted once: the previous instance wrote app.log two hours ago, the current one app.1.log an hour ago
        Instant old = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant current = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        store.create(new PodBuilder().withNewMetadata().withName("restarted").withNamespace(ns).endMetadata()
                .withNewSpec().withNodeName("kubectl-logs-node").addNewContainer().withName("app").withImage("none").endContainer().endSpec()
                .withNewStatus().addNewContainerStatus().withName("app").withRestartCount(1).withNewState().withNewRunning().endRunning().endState()
                .withNewLastState().withNewTerminated().withExitCode(1).endTerminated().endLastState().endContainerStatus().endStatus().build());
        Path logs = CoreApiProfile.STATE.resolve("pods/" + ns + "/restarted/logs");
        PodLogApiTest.writeWithMtime(logs.resolve("app.log"), "old 1\nold 2\n", old);
        PodLogApiTest.writeWithMtime(logs.resolve("app.1.log"), "new 1\nnew 2\nnew 3\n", current);
        String currentStamp = current.toString().replace("Z", ".000000000Z");

        assertThat(kubectl("logs", "-n", ns, "restarted", "--timestamps", "--tail=1").lines()).containsExactly(currentStamp + " new 3");
        assertThat(kubectl("logs", "-n", ns, "restarted", "-p", "--timestamps").lines())
                .containsExactly(old.toString().replace("Z", ".000000000Z") + " old 1", old.toString().replace("Z", ".000000000Z") + " old 2");
        assertThat(kubectl("logs", "-n", ns, "restarted", "--since=10m").lines()).isEmpty();
        assertThat(kubectl("logs", "-n", ns, "restarted", "--since=3h", "--limit-bytes=8").lines()).containsExactly("new 1", "ne");
        assertThat(kubectl("logs", "-n", ns, "restarted", "--since-time=" + current, "--timestamps", "--limit-bytes=38").lines())
                .containsExactly(currentStamp + " new 1", "2"); // the next line's time, cut after one byte

        store.create(new PodBuilder().withNewMetadata().withName("fresh").withNamespace(ns).endMetadata()
                .withNewSpec().withNodeName("kubectl-logs-node").addNewContainer().withName("app").withImage("none").endContainer().endSpec().build());
        Result previous = kubectl("logs", "-n", ns, "fresh", "-p");
        assertThat(previous.exit()).isNotZero();
        assertThat(previous.lines()).containsExactly("Error from server (BadRequest): previous terminated container \"app\" in pod \"fresh\" not found");
    }

    @Test
    void fieldValidationStrictWarnIgnore() throws Exception {
        String ns = "kubectl-fields";
        assertThat(applyNamespace(ns).exit()).isZero();
        Path manifest = Files.createTempFile("odd", ".yaml");
        Files.writeString(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd\ndatta:\n  mode: test\ndata:\n  mode: real\n");

        Result strict = kubectl("apply", "-n", ns, "--validate=strict", "-f", manifest.toString());
        assertThat(strict.exit()).isNotZero();
        assertThat(String.join("\n", strict.lines())).contains("strict decoding error: unknown field \"datta\"");
        assertThat(kubectl("get", "configmaps", "-n", ns, "-o", "name").lines()).isEmpty();

        Result warn = kubectl("apply", "-n", ns, "--validate=warn", "-f", manifest.toString());
        assertThat(warn.lines()).containsExactly("Warning: unknown field \"datta\"", "configmap/odd created");
        List<String> stored = kubectl("get", "configmap", "odd", "-n", ns, "-o", "json").lines();
        assertThat(stored).contains("        \"mode\": \"real\"").noneMatch(l -> l.strip().startsWith("\"datta\"")); // only in last-applied

        Files.writeString(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd\ndatta:\n  mode: test\ndata:\n  mode: changed\n");
        assertThat(kubectl("apply", "-n", ns, "--validate=false", "-f", manifest.toString()).lines()).containsExactly("configmap/odd configured");
        assertThat(kubectl("get", "configmap", "odd", "-n", ns, "-o", "jsonpath={.data.mode}").lines()).containsExactly("changed");
        assertThat(kubectl("delete", "namespace", ns).exit()).isZero();
    }

    /** kubectl's typed client posts what its generators build as Kubernetes protobuf, not JSON. */
    @Test
    void createGeneratorsSendProtobufBodies() throws Exception {
        Result configmap = kubectl("create", "configmap", "generated", "--from-literal=mode=test", "-v=8");
        assertThat(configmap.lines()).anyMatch(l -> l.contains("Content-Type: application/vnd.kubernetes.protobuf"))
                .contains("configmap/generated created");
        assertThat(kubectl("get", "configmap", "generated", "-o", "jsonpath={.data.mode}").lines()).containsExactly("test");

        assertThat(kubectl("create", "secret", "generic", "db", "--from-literal=password=s3cret").lines()).containsExactly("secret/db created");
        assertThat(kubectl("get", "secret", "db", "-o", "jsonpath={.data.password}").lines())
                .containsExactly(java.util.Base64.getEncoder().encodeToString("s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(kubectl("create", "deployment", "gen", "--image=127.0.0.1:5000/web:1", "--replicas=0", "--port=8080").lines())
                .containsExactly("deployment.apps/gen created");
        assertThat(kubectl("get", "deployment", "gen", "-o", "jsonpath={.spec.template.spec.containers[0].ports[0].containerPort} "
                + "{.spec.strategy.rollingUpdate.maxSurge}").lines()).containsExactly("8080 25%");
        assertThat(kubectl("create", "service", "clusterip", "gen", "--tcp=80:8080").lines()).containsExactly("service/gen created");
        assertThat(kubectl("get", "service", "gen", "-o", "jsonpath={.spec.ports[0].port}->{.spec.ports[0].targetPort}").lines())
                .containsExactly("80->8080");
        assertThat(kubectl("create", "serviceaccount", "builder").lines()).containsExactly("serviceaccount/builder created");
        assertThat(kubectl("--token", CoreApiTokens.ADMIN, "create", "role", "reader", "--verb=get,list", "--resource=pods").lines())
                .containsExactly("role.rbac.authorization.k8s.io/reader created");
        assertThat(kubectl("--token", CoreApiTokens.ADMIN, "create", "rolebinding", "reader", "--role=reader", "--serviceaccount=" + NS + ":builder")
                .lines()).containsExactly("rolebinding.rbac.authorization.k8s.io/reader created");

        // a protobuf body is validated as a JSON one: refused with the field named, nothing stored
        Result invalid = kubectl("create", "configmap", "Not_A_Name", "--from-literal=a=b");
        assertThat(invalid.exit()).isNotZero();
        assertThat(invalid.lines()).anyMatch(l -> l.contains("is invalid") && l.contains("metadata.name"));
        assertThat(kubectl("get", "configmaps", "-o", "name").lines()).containsExactly("configmap/generated");
        for (String[] o : new String[][] {{"deployment", "gen"}, {"service", "gen"}, {"secret", "db"}, {"configmap", "generated"},
            {"serviceaccount", "builder"}}) {
            assertThat(kubectl("delete", o[0], o[1]).exit()).isZero();
        }
        assertThat(kubectl("--token", CoreApiTokens.ADMIN, "delete", "rolebinding,role", "reader").exit()).isZero();
    }

    @Test
    void aNodeFailsAndRecoversThroughItsStatusAsBerthNodesFailDoes() throws Exception {
        String ready = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"%s\",\"reason\":\"%s\"}]}}";
        // the edit role (this context's user) may not write a node's status; an admin may
        Result denied = kubectl("patch", "node", "node-3", "--subresource=status", "-p", ready.formatted("False", "NodeFailed"));
        assertThat(denied.exit()).isNotZero();
        assertThat(denied.lines()).anyMatch(l -> l.contains("Forbidden") && l.contains("nodes/status"));
        try {
            assertThat(kubectl("--token", CoreApiTokens.ADMIN, "patch", "node", "node-3", "--subresource=status", "-p",
                    ready.formatted("False", "NodeFailed")).lines()).containsExactly("node/node-3 patched");
            assertThat(status("node-3")).isEqualTo("NotReady");
        } finally {
            assertThat(kubectl("--token", CoreApiTokens.ADMIN, "patch", "node", "node-3", "--subresource=status", "-p",
                    ready.formatted("True", "KubeletReady")).lines()).containsExactly("node/node-3 patched");
        }
        assertThat(status("node-3")).isEqualTo("Ready");
    }

    private String status(String node) throws Exception {
        return kubectl("--token", CoreApiTokens.ADMIN, "get", "node", node, "--no-headers").lines().get(0).split("\\s+")[1];
    }

    private String image() throws Exception {
        return kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}").lines().get(0);
    }

    private static String manifest(String image) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  mode: test
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: app
                        image: 127.0.0.1:5000/%s
                        env:
                        - name: MODE
                          value: test
                """.formatted(image);
    }

    record Result(int exit, List<String> lines) {}

    Result kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--context", "berth"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out.lines().filter(l -> !l.isBlank()).toList());
    }
}
