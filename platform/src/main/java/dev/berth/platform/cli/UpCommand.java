package dev.berth.platform.cli;

import dev.berth.platform.engine.ApplyResult;
import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.EngineException;
import dev.berth.platform.engine.RolloutStatus;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import dev.berth.platform.apiserver.ApiServer;
import dev.berth.platform.apiserver.ServingCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code berth up}: starts the core (unless it runs), applies the application, shows progress until every
 * Deployment and StatefulSet is Ready, prints the URLs, and — unless {@code --detach} — stays until Ctrl-C, which
 * stops the core and with it every replica. The {@code ./berth} launcher builds and pushes the images and renders
 * the manifests first.
 */
@Command(name = "up", description = "Start Berth on this machine and run the application.")
final class UpCommand implements Callable<Integer> {

    @ParentCommand
    BerthCli root;

    @Option(names = {"-f", "--filename"}, description = "manifests to apply (the rendered local overlay)")
    List<Path> files = new ArrayList<>();

    @Option(names = {"-n", "--namespace"}, defaultValue = "berth")
    String namespace;

    @Option(names = "--core-jar", defaultValue = "platform/target/quarkus-app/quarkus-run.jar")
    Path coreJar;

    @Option(names = "--state", defaultValue = "${env:BERTH_STATE:-${sys:user.home}/.berth}")
    Path state;

    @Option(names = "--api-port", defaultValue = "7443", description = "the core's Kubernetes API port (TLS), for the kubeconfig context")
    int apiPort;

    @Option(names = "--detach", description = "return once everything is Ready; stop later with berth down")
    boolean detach;

    @Option(names = "--timeout", defaultValue = "PT5M", description = "how long to wait for Ready (ISO-8601, default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        CoreProcess core = new CoreProcess(state, root.server);
        Process started = null;
        if (core.healthy()) {
            Progress.step("core already running at " + root.server);
        } else {
            if (!Files.exists(coreJar)) {
                throw new EngineException(2, coreJar + " is missing: build first (./berth does)");
            }
            started = core.start(coreJar, detach);
            Process p = started;
            if (!detach) {
                // from now on, not only once everything is Ready: a TERM (the launcher hands on its own) or Ctrl-C while
                // the application starts stops the core this command started, and with it every replica
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    p.destroy(); // SIGTERM (Ctrl-C already reached it through the terminal's process group)
                    try {
                        p.waitFor();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "stop-core"));
            }
            Progress.waitFor("starting the core (log: " + core.logFile() + ")", Duration.ofSeconds(90), () -> {
                if (!p.isAlive()) {
                    throw new EngineException(1, "the core exited; see " + core.logFile());
                }
                return core.healthy() ? "" : null;
            });
        }
        Engine engine = root.local();
        Path kubeconfig = KubeconfigContext.defaultFile();
        // the Kubernetes API over TLS on the core's secure port, trusting the certificate the core made at its first start
        KubeconfigContext.write(kubeconfig, "https://127.0.0.1:" + apiPort,
                Files.readString(ServingCertificate.certificateFile(ApiServer.certificateDir(state.resolve("core")))),
                Files.readString(root.tokenFile).strip(), namespace);
        Progress.step("kubectl context \"" + KubeconfigContext.NAME + "\" written to " + kubeconfig + " (kubectl --context berth get pods -A)");
        StringBuilder manifests = new StringBuilder();
        for (Path f : files) {
            manifests.append(Files.readString(f)).append("\n---\n");
        }
        if (!files.isEmpty()) {
            List<ApplyResult> results = engine.apply(manifests.toString(), namespace, false);
            results.forEach(r -> Progress.step(r.line()));
        }
        Instant deadline = Instant.now().plus(timeout);
        Progress.waitFor("waiting for every workload in namespace " + namespace + " to be Ready", Duration.between(Instant.now(), deadline),
                () -> readiness(engine));
        // the first start of this build of the core: its classes, now loaded, into the archive the next start maps
        if (core.writesArchive()) {
            System.out.println("  … core: writing its class-data archive for the next start (once per build of the core and JVM)");
        }
        core.writeArchive().ifPresent(line -> Progress.step("core: " + line));
        printUrls(engine);
        if (detach) {
            Progress.step("running in the background; stop with: ./berth down");
            return 0;
        }
        Progress.step("Ctrl-C stops everything");
        if (started != null) {
            return started.waitFor() == 0 ? 0 : 1;
        }
        Thread.currentThread().join(); // the core was already running: keep showing nothing until Ctrl-C
        return 0;
    }

    /** "" when all Ready, else a progress line ("payment-service 1/2, postgres 0/1"). */
    private String readiness(Engine engine) {
        List<String> waiting = new ArrayList<>();
        int total = 0;
        List<ReplicaSet> sets = engine.list(ResourceKind.REPLICASET, namespace, null);
        for (Deployment d : engine.<Deployment>list(ResourceKind.DEPLOYMENT, namespace, null)) {
            int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            int available = d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0 : d.getStatus().getAvailableReplicas();
            total++;
            // as kubectl rollout status: the applied generation observed, every replica updated and available
            RolloutStatus rollout = RolloutStatus.of(d, sets.stream().filter(rs -> Owners.isOwnedBy(rs, d)).toList());
            if (!rollout.done()) {
                waiting.add(d.getMetadata().getName() + " " + available + "/" + want);
            }
        }
        for (StatefulSet s : engine.<StatefulSet>list(ResourceKind.STATEFULSET, namespace, null)) {
            int want = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
            int ready = s.getStatus() == null || s.getStatus().getReadyReplicas() == null ? 0 : s.getStatus().getReadyReplicas();
            total++;
            if (ready < want) {
                waiting.add(s.getMetadata().getName() + " " + ready + "/" + want);
            }
        }
        if (total == 0) {
            return null;
        }
        return waiting.isEmpty() ? "" : String.join(", ", waiting);
    }

    private void printUrls(Engine engine) {
        System.out.println();
        String orderUrl = null;
        for (Service s : engine.<Service>list(ResourceKind.SERVICE, namespace, null)) {
            Map<String, String> annotations = s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations();
            String port = annotations.get(Tables.LOCAL_PORT_ANNOTATION);
            if (port != null) {
                // where the core may use the kernel (nftables), a Service also has a virtual address whose connections
                // the kernel forwards to its replicas (replicas reach it there); 127.0.0.1:<port> is its proxy, everywhere
                String clusterIp = annotations.get(Tables.CLUSTER_IP_ANNOTATION);
                System.out.printf("  %-18s 127.0.0.1:%s%s%n", s.getMetadata().getName(), port, clusterIp == null ? ""
                        : "  (kernel path: " + clusterIp + ":" + s.getSpec().getPorts().get(0).getPort() + ")");
                if (s.getMetadata().getName().equals("order-service")) {
                    orderUrl = "http://127.0.0.1:" + port;
                }
            }
        }
        System.out.printf("  %-18s %s  (token: %s)%n", "core API", root.server, root.tokenFile);
        // started beside the core by ./berth up (ci/prometheus.sh, ci/elasticsearch.sh)
        String prometheus = System.getenv("BERTH_ANALYSIS_PROMETHEUS_URL");
        if (prometheus != null) {
            System.out.printf("  %-18s %s  (targets: %s/targets)%n", "Prometheus", prometheus, prometheus);
        }
        String elasticsearch = System.getenv("BERTH_LOGS_ELASTICSEARCH_URL");
        if (elasticsearch != null) {
            System.out.printf("  %-18s %s  (replica logs: berth-logs-*; ./berth logs --search 'log.level:ERROR')%n", "Elasticsearch", elasticsearch);
        }
        if (orderUrl != null) {
            System.out.println();
            System.out.println("  Place an order:");
            System.out.println("    curl -s -X POST " + orderUrl + "/api/orders -H 'Content-Type: application/json' \\");
            System.out.println("      -H \"Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)\" \\");
            System.out.println("      -d '{\"customerId\":\"c-42\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPrice\":\"12.50\"}]}'");
        }
        System.out.println("  Watch it:   kubectl --context " + KubeconfigContext.NAME + " get pods -n " + namespace + " -o wide");
        System.out.println();
    }

}
