package dev.berth.platform.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.cli.KubeconfigContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real kubectl against the packaged core, with the kit's own manifests applied the way a Kubernetes user applies
 * them ({@code kubectl apply -k k8s/overlays/local}) and the everyday verbs after it. Each step asserts what kubectl
 * printed or what changed; the steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlIT {

    static final String NS = "berth";
    static final Path ROOT = Path.of(System.getProperty("berth.root", "..")).toAbsolutePath().normalize();
    static final Duration STEP = Duration.ofMinutes(4);

    static CoreUnderTest core;
    static Path kubeconfig;

    @BeforeAll
    static void startCore() throws Exception {
        int securePort = PrometheusProcess.freePort();
        core = new CoreUnderTest("kubectl", Map.of("BERTH_APISERVER_SECURE_PORT", Integer.toString(securePort))).start();
        kubeconfig = Files.createDirectories(core.state.resolve("kube")).resolve("config");
        String ca = Files.readString(core.state.resolve("pki").resolve("apiserver.crt"));
        KubeconfigContext.write(kubeconfig, "https://127.0.0.1:" + securePort, ca, CoreUnderTest.ADMIN, NS);
    }

    @AfterAll
    static void stopCore() {
        CoreUnderTest.shutDown(core);
    }

    @Test
    @Order(1)
    void applyTheKitsOverlayAndWaitForIt() throws Exception {
        Result applied = kubectl("apply", "-k", ROOT.resolve("k8s/overlays/local").toString());
        assertThat(applied.lines()).contains("namespace/berth created", "deployment.apps/order-service created",
                "deployment.apps/payment-service created", "service/order-service created", "statefulset.apps/postgres created",
                "secret/postgres-credentials created");
        Result waited = kubectl("wait", "--for=condition=Available", "deployment", "--all", "--timeout=" + STEP.toSeconds() + "s");
        assertThat(waited.lines()).as(core.diagnostics(NS)).contains("deployment.apps/order-service condition met",
                "deployment.apps/payment-service condition met");
        // applied again, nothing changes
        assertThat(kubectl("apply", "-k", ROOT.resolve("k8s/overlays/local").toString()).lines())
                .contains("deployment.apps/order-service unchanged", "service/order-service unchanged");
        // and server-side, taking the fields over from the client-side apply without a conflict
        String before = kubectl("get", "deployment", "order-service", "-o", "jsonpath={.metadata.generation}").lines().get(0);
        // --force-conflicts: kubectl's client-side-to-server-side upgrade leaves the atomic fieldRef of the kit's env
        // (defaulted with apiVersion v1) owned by kubectl-client-side-apply, which conflicts without it (a known gap)
        Result serverSide = kubectl("apply", "--server-side", "--force-conflicts", "-k", ROOT.resolve("k8s/overlays/local").toString());
        assertThat(serverSide.exit()).as(String.join("\n", serverSide.lines())).isZero();
        assertThat(serverSide.lines()).contains("deployment.apps/order-service serverside-applied", "statefulset.apps/postgres serverside-applied");
        assertThat(kubectl("get", "deployment", "order-service", "-o", "jsonpath={.metadata.generation}").lines()).containsExactly(before);
        assertThat(kubectl("get", "deployment", "order-service", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}")
                .lines().get(0)).contains("kubectl");
    }

    @Test
    @Order(2)
    void getInEveryOutputFormat() throws Exception {
        List<String> wide = kubectl("get", "pods", "-A", "-o", "wide").lines();
        assertThat(wide.get(0)).contains("NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE");
        assertThat(wide.stream().filter(l -> l.startsWith("berth") && l.contains("order-service") && l.contains("Running"))).hasSize(2);

        assertThat(kubectl("get", "deployment", "order-service", "-o", "jsonpath={.status.readyReplicas}").lines()).containsExactly("2");
        assertThat(kubectl("get", "deployments", "-o", "name").lines())
                .containsExactlyInAnyOrder("deployment.apps/order-service", "deployment.apps/payment-service");
        assertThat(kubectl("get", "service", "order-service", "-o", "yaml").lines()).contains("kind: Service", "  name: order-service");
        assertThat(String.join("\n", kubectl("get", "statefulset", "postgres", "-o", "json").lines())).contains("\"kind\": \"StatefulSet\"");
        assertThat(kubectl("get", "pods", "-l", "app.kubernetes.io/name=payment-service", "--field-selector", "status.phase=Running",
                "-o", "name").lines()).hasSize(2).allMatch(l -> l.startsWith("pod/payment-service-"));
        assertThat(kubectl("get", "deploy,svc").lines()).anyMatch(l -> l.startsWith("deployment.apps/order-service"))
                .anyMatch(l -> l.startsWith("service/order-service"));
    }

    @Test
    @Order(3)
    void describeShowsEventsAndLogsTail() throws Exception {
        String pod = kubectl("get", "pods", "-l", "app.kubernetes.io/name=order-service", "-o", "name").lines().get(0).substring("pod/".length());
        String described = String.join("\n", kubectl("describe", "pod", pod).lines());
        assertThat(described).contains("Name:", pod, "Node:", "Events:", "Scheduled");
        assertThat(String.join("\n", kubectl("describe", "deployment", "order-service").lines()))
                .contains("Replicas:", "2 desired", "Events:", "ScalingReplicaSet");

        List<String> tail = kubectl("logs", pod, "--tail", "3").lines();
        assertThat(tail).hasSizeBetween(1, 3);
        try (Follower follow = Follower.start(command("logs", "-f", "--tail", "1", pod))) {
            assertThat(follow.next(Duration.ofSeconds(30))).isNotNull(); // the last line arrives, the stream stays open
            assertThat(follow.process.isAlive()).isTrue();
        }
    }

    @Test
    @Order(4)
    void scaleAWatchSeesAndRolloutStatus() throws Exception {
        List<String> before = kubectl("get", "pods", "-l", "app.kubernetes.io/name=payment-service", "-o", "name").lines();
        try (Follower watch = Follower.start(command("get", "pods", "-l", "app.kubernetes.io/name=payment-service", "-w", "-o", "name"))) {
            assertThat(kubectl("scale", "deployment/payment-service", "--replicas=3").lines()).containsExactly("deployment.apps/payment-service scaled");
            assertThat(watch.until(l -> l.startsWith("pod/payment-service-") && !before.contains(l), Duration.ofSeconds(30))).isNotNull();
        }
        assertThat(kubectl("rollout", "status", "deployment/payment-service", "--timeout=" + STEP.toSeconds() + "s").lines())
                .as(KubectlIT::podsAndEvents) // on failure: what the pods and the kubelet said
                .contains("deployment \"payment-service\" successfully rolled out");
        assertThat(kubectl("get", "deployment", "payment-service", "-o", "jsonpath={.status.readyReplicas}").lines()).containsExactly("3");
    }

    @Test
    @Order(5)
    void labelAnnotateEditAndDiff() throws Exception {
        assertThat(kubectl("label", "deployment", "order-service", "tier=front").lines()).containsExactly("deployment.apps/order-service labeled");
        assertThat(kubectl("annotate", "deployment", "order-service", "berth.dev/owner=shop").lines())
                .containsExactly("deployment.apps/order-service annotated");
        assertThat(kubectl("get", "deployments", "-l", "tier=front", "-o", "name").lines()).containsExactly("deployment.apps/order-service");

        // what the overlay would change now: payment-service back to 2 replicas (kubectl diff exits 1 when there is a difference)
        Result diff = kubectl("diff", "-k", ROOT.resolve("k8s/overlays/local").toString());
        assertThat(diff.exit()).isEqualTo(1);
        assertThat(diff.lines()).anyMatch(l -> l.matches("-\\s+replicas: 3")).anyMatch(l -> l.matches("\\+\\s+replicas: 2"));

        Result edited = kubectlWithEnv(Map.of("KUBE_EDITOR", "sed -i -e s/replicas:\\ 3/replicas:\\ 2/"), "edit", "deployment/payment-service");
        assertThat(edited.lines()).containsExactly("deployment.apps/payment-service edited");
        assertThat(kubectl("get", "deployment", "payment-service", "-o", "jsonpath={.spec.replicas}").lines()).containsExactly("2");
        Result same = kubectl("diff", "-k", ROOT.resolve("k8s/overlays/local").toString());
        assertThat(same.exit()).as(String.join("\n", same.lines())).isZero();
    }

    @Test
    @Order(6)
    void rolloutPauseResumeRestart() throws Exception {
        assertThat(kubectl("rollout", "pause", "deployment/order-service").lines()).containsExactly("deployment.apps/order-service paused");
        assertThat(kubectl("get", "deployment", "order-service", "-o", "jsonpath={.spec.paused}").lines()).containsExactly("true");
        assertThat(kubectl("rollout", "resume", "deployment/order-service").lines()).containsExactly("deployment.apps/order-service resumed");
        int replicaSets = kubectl("get", "replicasets", "-l", "app.kubernetes.io/name=order-service", "-o", "name").lines().size();
        assertThat(kubectl("rollout", "restart", "deployment/order-service").lines()).containsExactly("deployment.apps/order-service restarted");
        assertThat(kubectl("rollout", "status", "deployment/order-service", "--timeout=" + STEP.toSeconds() + "s").lines())
                .as(core.diagnostics(NS)).contains("deployment \"order-service\" successfully rolled out");
        assertThat(kubectl("get", "replicasets", "-l", "app.kubernetes.io/name=order-service", "-o", "name").lines()).hasSize(replicaSets + 1);

        List<String> history = kubectl("rollout", "history", "deployment/order-service").lines();
        assertThat(history).anyMatch(l -> l.startsWith("REVISION")).anyMatch(l -> l.startsWith("1 ")).anyMatch(l -> l.startsWith("2 "));
        assertThat(kubectl("rollout", "undo", "deployment/order-service", "--to-revision=1").lines())
                .containsExactly("deployment.apps/order-service rolled back");
        assertThat(kubectl("rollout", "status", "deployment/order-service", "--timeout=" + STEP.toSeconds() + "s").lines())
                .as(core.diagnostics(NS)).contains("deployment \"order-service\" successfully rolled out");
        // revision 1's template is the Deployment's again: the restart's annotation is gone
        assertThat(String.join("", kubectl("get", "deployment", "order-service", "-o", "jsonpath={.spec.template.metadata.annotations}").lines()))
                .doesNotContain("kubectl.kubernetes.io/restartedAt");
        // revision 1's ReplicaSet was reused and renumbered 3 (upstream's FindNewReplicaSet), not copied into a new one
        assertThat(kubectl("rollout", "history", "deployment/order-service").lines()).anyMatch(l -> l.startsWith("3 "))
                .noneMatch(l -> l.startsWith("1 "));
        // the undo is a manual rollback: upstream's DeploymentRollback event on the Deployment
        assertThat(kubectl("get", "events", "--field-selector", "reason=DeploymentRollback,involvedObject.name=order-service",
                "-o", "jsonpath={range .items[*]}{.type} {.involvedObject.kind} {.message}{\"\\n\"}{end}").lines())
                .containsExactly("Normal Deployment Rolled back deployment order-service to revision 1");
        assertThat(kubectl("describe", "deployment", "order-service").lines())
                .anyMatch(l -> l.matches("\\s*Normal\\s+DeploymentRollback\\s+\\S+\\s+deployment-controller\\s+Rolled back deployment order-service to revision 1"));
    }

    @Test
    @Order(7)
    void authCanIForEachRole() throws Exception {
        assertThat(kubectl("auth", "can-i", "delete", "nodes").lines()).endsWith("yes"); // after kubectl's cluster-scope warning
        assertThat(kubectl("--token", CoreUnderTest.DEPLOYER, "auth", "can-i", "create", "deployments").lines()).containsExactly("yes");
        assertThat(kubectl("--token", CoreUnderTest.DEPLOYER, "auth", "can-i", "delete", "nodes").lines()).endsWith("no");
        assertThat(kubectl("--token", CoreUnderTest.VIEWER, "auth", "can-i", "list", "pods").lines()).containsExactly("yes");
        assertThat(kubectl("--token", CoreUnderTest.VIEWER, "auth", "can-i", "get", "secrets").lines()).containsExactly("no");
        Result forbidden = kubectl("--token", CoreUnderTest.VIEWER, "get", "secrets");
        assertThat(forbidden.exit()).isNotZero();
        assertThat(forbidden.lines()).anyMatch(l -> l.startsWith("Error from server (Forbidden): secrets is forbidden:"));
    }

    @Test
    @Order(8)
    void cordonAndDrainMoveTheReplicasOff() throws Exception {
        String node = kubectl("get", "pods", "-l", "app.kubernetes.io/name=payment-service", "-o", "jsonpath={.items[0].spec.nodeName}").lines().get(0);
        assertThat(kubectl("cordon", node).lines()).containsExactly("node/" + node + " cordoned");
        assertThat(kubectl("get", "node", node, "-o", "jsonpath={.spec.unschedulable}").lines()).containsExactly("true");
        Result drained = kubectl("drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=" + STEP.toSeconds() + "s");
        assertThat(drained.lines()).as(String.join("\n", drained.lines())).contains("node/" + node + " drained");
        assertThat(kubectl("get", "pods", "-A", "--field-selector", "spec.nodeName=" + node, "-o", "name").lines()).isEmpty();
        assertThat(kubectl("uncordon", node).lines()).containsExactly("node/" + node + " uncordoned");
    }

    @Test
    @Order(9)
    void autoscaleWritesAutoscalingV1ReadThroughBothVersions() throws Exception {
        // kubectl 1.32's autoscale posts autoscaling/v1; the core stores v2 and serves both
        assertThat(kubectl("autoscale", "deployment", "payment-service", "--min=1", "--max=3", "--cpu-percent=80").lines())
                .containsExactly("horizontalpodautoscaler.autoscaling/payment-service autoscaled");
        List<String> v2 = kubectl("get", "hpa").lines();
        assertThat(v2.get(0)).matches("NAME\\s+REFERENCE\\s+TARGETS\\s+MINPODS\\s+MAXPODS\\s+REPLICAS\\s+AGE");
        assertThat(v2).anyMatch(l -> l.matches("payment-service\\s+Deployment/payment-service\\s+cpu: \\S+/80%\\s+1\\s+3\\s+\\d+\\s+\\S+"));
        assertThat(kubectl("get", "horizontalpodautoscalers.v2.autoscaling", "payment-service", "-o", "jsonpath={.spec.metrics[0].resource.target.averageUtilization}")
                .lines()).containsExactly("80");
        List<String> v1 = kubectl("get", "horizontalpodautoscalers.v1.autoscaling", "payment-service", "-o", "yaml").lines();
        assertThat(v1).contains("apiVersion: autoscaling/v1", "  targetCPUUtilizationPercentage: 80", "  maxReplicas: 3", "  minReplicas: 1");
        // the core's autoscaler acts on it: its status (the target's replicas, its conditions in v1's annotation) is written
        org.awaitility.Awaitility.await().atMost(STEP).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String replicas = kubectl("get", "deployment", "payment-service", "-o", "jsonpath={.spec.replicas}").lines().get(0);
            assertThat(kubectl("get", "horizontalpodautoscalers.v1.autoscaling", "payment-service", "-o", "jsonpath={.status.currentReplicas}").lines())
                    .containsExactly(replicas);
            assertThat(String.join("\n", kubectl("get", "horizontalpodautoscalers.v1.autoscaling", "payment-service", "-o", "yaml").lines()))
                    .contains("autoscaling.alpha.kubernetes.io/conditions:").contains("ScalingActive");
        });
        assertThat(kubectl("delete", "hpa", "payment-service").lines())
                .containsExactly("horizontalpodautoscaler.autoscaling \"payment-service\" deleted");
    }

    @Test
    @Order(10)
    void explainAndApiResources() throws Exception {
        assertThat(String.join("\n", kubectl("explain", "deployment.spec.replicas").lines())).contains("FIELD: replicas <integer>");
        assertThat(kubectl("api-resources", "-o", "name").lines()).contains("deployments.apps", "statefulsets.apps", "pods", "services");
    }

    @Test
    @Order(11)
    void deleteWithCascadeAndTheNamespace() throws Exception {
        assertThat(kubectl("delete", "deployment", "order-service", "--cascade=foreground").lines())
                .containsExactly("deployment.apps \"order-service\" deleted");
        assertThat(kubectl("get", "replicasets,pods", "-l", "app.kubernetes.io/name=order-service", "-o", "name").lines()).isEmpty();
        assertThat(kubectl("delete", "namespace", NS, "--timeout=" + STEP.toSeconds() + "s").lines()).containsExactly("namespace \"berth\" deleted");
        assertThat(kubectl("get", "pods", "-A", "-o", "name").lines()).isEmpty();
    }

    record Result(int exit, List<String> lines) {}

    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--context", "berth"));
        command.addAll(List.of(args));
        return command;
    }

    /** For a failure's message: the pods, the Deployment's status and the events, as kubectl shows them. */
    static String podsAndEvents() {
        try {
            return String.join("\n", kubectl("get", "pods", "-o", "wide").lines()) + "\n"
                    + String.join("\n", kubectl("get", "deployment", "payment-service", "-o", "jsonpath={.status}").lines()) + "\n"
                    + String.join("\n", kubectl("get", "events", "--sort-by=.lastTimestamp").lines());
        } catch (Exception e) {
            return "(kubectl failed too: " + e + ")";
        }
    }

    static Result kubectl(String... args) throws Exception {
        return kubectlWithEnv(Map.of(), args);
    }

    static Result kubectlWithEnv(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command(args)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(STEP.toSeconds() + 60, TimeUnit.SECONDS)).as("kubectl " + String.join(" ", args)).isTrue();
        return new Result(p.exitValue(), out.lines().filter(l -> !l.isBlank()).toList());
    }

    /** A kubectl that keeps running ({@code -w}, {@code logs -f}), its lines read as they come; destroyed on close. */
    static final class Follower implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private Follower(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    lines.add("(read failed: " + e + ")");
                }
            }, "kubectl-follower");
            reader.setDaemon(true);
            reader.start();
        }

        static Follower start(List<String> command) throws IOException {
            return new Follower(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        String next(Duration within) throws InterruptedException {
            return lines.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** The first line matching, or null when none came within the time. */
        String until(java.util.function.Predicate<String> matching, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            for (long left = within.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                String l = lines.poll(left, TimeUnit.NANOSECONDS);
                if (l != null && matching.test(l)) {
                    return l;
                }
            }
            return null;
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
