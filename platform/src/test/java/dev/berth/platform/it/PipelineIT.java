package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.engine.Engine;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.pipeline.PipelineDefinition;
import dev.berth.platform.pipeline.PipelineRunner;
import dev.berth.platform.pipeline.RunReport;
import dev.berth.platform.pipeline.StageResult;
import dev.berth.platform.pipeline.Step;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ci/pipeline.yaml}'s manifests → validate → deploy → verify stages against a real core running the kit's
 * application from the images ci/images.sh pushed (target/images/digests.txt): a first deploy, a re-run that changes
 * nothing (deploy skipped), a new order-service revision rolled out under load without a failed order, and a
 * payment-service revision that is Ready but cannot take payments — verify fails, the run rolls it back and exits
 * failed, and the old revision serves. The image stage's skip is checked against the real registry.
 */
class PipelineIT {

    static final Path ROOT = Path.of(System.getProperty("berth.root", "..")).toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void deployVerifySkipRolloutAndRollbackThroughThePipeline() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "it-state", "pipeline-" + System.nanoTime()).toAbsolutePath());
        PipelineDefinition definition = kitPipeline(work);
        try (CoreUnderTest core = new CoreUnderTest("pipeline", Map.of())) {
            core.start();
            Engine admin = core.admin();

            RunReport first = run(definition, admin, work, Map.of());
            assertThat(first.succeeded()).as(describe(first)).isTrue();
            assertThat(statuses(first)).containsExactly("manifests=SUCCEEDED", "validate=SUCCEEDED", "deploy=SUCCEEDED", "verify=SUCCEEDED");
            assertThat(first.deployed()).extracting(d -> d.deployment() + "@" + d.revision() + "<" + d.previousRevision())
                    .containsExactlyInAnyOrder("order-service@1<0", "payment-service@1<0");
            String built = Files.readString(ROOT.resolve("target/images/digests.txt"));
            for (var d : first.deployed()) {
                assertThat(d.images()).allSatisfy(image -> assertThat(image).contains("@sha256:").satisfies(i -> assertThat(built).contains(i)));
            }
            Path manifests = work.resolve("manifests.yaml");
            assertThat(Files.readString(manifests)).contains("127.0.0.1:5000/berth/order-service@sha256:").doesNotContain(":0.1.0-SNAPSHOT");
            JsonNode json = JSON.readTree(work.resolve("report.json").toFile());
            assertThat(json.path("verdict").asText()).isEqualTo("succeeded");
            assertThat(json.path("deployed").findValuesAsText("deployment")).containsExactlyInAnyOrder("order-service", "payment-service");
            assertThat(Files.readString(work.resolve("report.md"))).contains("| deploy | succeeded |", "## Deployed");

            RunReport again = run(definition, admin, work, Map.of());
            assertThat(again.succeeded()).as(describe(again)).isTrue();
            assertThat(again.stage("deploy").status()).as(again.stage("deploy").summary()).isEqualTo(Step.Status.SKIPPED);
            assertThat(again.stage("deploy").summary()).startsWith("nothing changed");
            assertThat(again.stage("verify").status()).isEqualTo(Step.Status.SUCCEEDED);
            assertThat(again.deployed()).isEmpty();

            int port = Integer.parseInt(admin.<Service>get(ResourceKind.SERVICE, "berth", "order-service").orElseThrow()
                    .getMetadata().getAnnotations().get("berth.dev/local-port"));
            Path changed = overlay(work, "order-change", ROOT.resolve("k8s/overlays/local"), "order-service", "BERTH_PIPELINE_IT_CHANGE", "1");
            try (ServiceLoad load = RealServicesIT.placeOrders(port)) {
                await().atMost(30, SECONDS).until(() -> load.succeeded() >= 5);
                RunReport rollout = run(definition, admin, work, Map.of("BERTH_OVERLAY", changed.toString()));
                assertThat(rollout.succeeded()).as(describe(rollout)).isTrue();
                assertThat(rollout.deployed()).extracting(d -> d.deployment() + "@" + d.revision() + "<" + d.previousRevision())
                        .containsExactly("order-service@2<1");
                int atEnd = load.succeeded();
                await("orders on the new revision").atMost(30, SECONDS).until(() -> load.succeeded() >= atEnd + 3);
                load.stop();
                assertThat(load.failures()).as("orders that failed while the pipeline rolled out order-service").isEmpty();
                assertThat(load.byRevision()).as("answers by revision").hasSize(2);
            }

            // on top of the order-service change, so that payment-service is all this run changes
            Path broken = overlay(work, "payment-broken", changed, "payment-service", "PAYMENT_CHAOS_ERROR_RATE", "1");
            RunReport failed = run(definition, admin, work, Map.of("BERTH_OVERLAY", broken.toString()));
            assertThat(failed.succeeded()).isFalse();
            assertThat(failed.failedStage()).isEqualTo("verify");
            assertThat(failed.stage("deploy").status()).isEqualTo(Step.Status.SUCCEEDED);
            assertThat(failed.stage("verify").summary()).startsWith("smoke test failed: POST /api/orders answered")
                    .contains("payment-service rolled back to revision 1");
            assertThat(failed.rolledBack()).singleElement().asString().startsWith("payment-service rolled back to revision 1");
            Deployment payment = admin.<Deployment>get(ResourceKind.DEPLOYMENT, "berth", "payment-service").orElseThrow();
            assertThat(payment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .noneMatch(e -> e.getName().equals("PAYMENT_CHAOS_ERROR_RATE"));
            // order-service's circuit breaker opened on the broken revision's 503s; once it lets calls through again
            // (its delay), the old payment revision takes payments
            await("the old payment revision serves after the rollback").atMost(60, SECONDS).pollInterval(Duration.ofSeconds(2))
                    .until(() -> RealServicesIT.HTTP.send(RealServicesIT.order(port), HttpResponse.BodyHandlers.ofString()).body()
                            .contains("\"status\":\"PAID\""));
            assertThat(JSON.readTree(work.resolve("report.json").toFile()).path("rolledBack").size()).isEqualTo(1);

            core.process.stop();
            core.awaitNoReplicaProcesses();
        }
    }

    /**
     * The image step against the real registry: the first run builds both images (here its command hands over what
     * ci/images.sh pushed), a second run with the same sources builds nothing, a change to one service's sources
     * rebuilds that image only, and a change to the shared sources rebuilds both.
     */
    @Test
    void theImageStageBuildsOnlyTheImagesWhoseSourcesChanged() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "it-state", "pipeline-image-" + System.nanoTime()).toAbsolutePath());
        Path repo = Files.createDirectories(work.resolve("repo"));
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(repo.resolve("order"));
        Files.createDirectories(repo.resolve("payment"));
        Files.writeString(repo.resolve("order/Order.java"), "class Order {}\n");
        Files.writeString(repo.resolve("payment/Payment.java"), "class Payment {}\n");
        git(repo, "add", ".");
        git(repo, "-c", "user.name=it", "-c", "user.email=it@berth.dev", "commit", "-q", "-m", "first");
        Files.copy(ROOT.resolve("target/images/images.json"), work.resolve("images.json"));
        String command = "echo \"$BERTH_IMAGE_SERVICES\" >> " + work.resolve("runs.txt") + "; mkdir -p out; cp "
                + ROOT.resolve("target/images/digests.txt") + " " + work.resolve("images.json") + " out/";
        PipelineDefinition definition = PipelineDefinition.parse("""
                stages:
                  - name: image
                    step: image
                    with: {command: '%s', images: order-service payment-service, sources: pom.xml,
                           sources-order-service: order, sources-payment-service: payment}
                    outputs: {digests: out/digests.txt, images: out/images.json}
                """.formatted(command));
        Path artifacts = work.resolve("artifacts");

        RunReport first = run(definition, null, repo, artifacts, Map.of());
        assertThat(first.stage("image").status()).as(first.stage("image").summary()).isEqualTo(Step.Status.SUCCEEDED);
        assertThat(Files.readAllLines(work.resolve("runs.txt"))).containsExactly("order-service payment-service");

        RunReport second = run(definition, null, repo, artifacts, Map.of());
        assertThat(second.stage("image").status()).as(second.stage("image").summary()).isEqualTo(Step.Status.SKIPPED);
        assertThat(second.stage("image").summary()).contains("nothing built or pushed");
        assertThat(second.images()).hasSize(2).allSatisfy(i -> {
            assertThat(i.pushedBytes()).isZero();
            assertThat(i.unchanged()).isTrue();
        });
        assertThat(Files.readString(repo.resolve("out/digests.txt"))).isEqualTo(Files.readString(ROOT.resolve("target/images/digests.txt")));
        assertThat(Files.readAllLines(work.resolve("runs.txt"))).hasSize(1);

        Files.writeString(repo.resolve("order/Order.java"), "class Order { int changed; }\n");
        RunReport third = run(definition, null, repo, artifacts, Map.of());
        assertThat(third.stage("image").summary()).startsWith("built order-service (").endsWith(" pushed); reused payment-service (sources unchanged)");
        assertThat(Files.readAllLines(work.resolve("runs.txt"))).last().isEqualTo("order-service");
        assertThat(third.images()).filteredOn(i -> i.service().equals("payment-service")).singleElement()
                .satisfies(i -> assertThat(i.pushedBytes()).isZero());
        assertThat(Files.readString(repo.resolve("out/digests.txt")).lines()).hasSize(2);

        Files.writeString(repo.resolve("pom.xml"), "<project><!-- changed --></project>\n");
        run(definition, null, repo, artifacts, Map.of());
        assertThat(Files.readAllLines(work.resolve("runs.txt"))).last().isEqualTo("order-service payment-service");
    }

    static RunReport run(PipelineDefinition definition, Engine engine, Path artifacts, Map<String, String> env) throws Exception {
        return run(definition, engine, ROOT, artifacts, env, "manifests");
    }

    static RunReport run(PipelineDefinition definition, Engine engine, Path root, Path artifacts, Map<String, String> env) throws Exception {
        return run(definition, engine, root, artifacts, env, null);
    }

    static RunReport run(PipelineDefinition definition, Engine engine, Path root, Path artifacts, Map<String, String> env, String from)
            throws Exception {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.remove("BERTH_OVERLAY");
        environment.remove("BERTH_VERIFY_URL");
        environment.putAll(env);
        return new PipelineRunner(definition, new PipelineRunner.Options(from, null, "local", root, artifacts, environment), () -> engine,
                new PipelineRunner.Listener() {
                    @Override
                    public void started(PipelineDefinition.Stage stage, int index, int total) {
                        System.out.println("[pipeline] " + stage.name() + " started");
                    }

                    @Override
                    public void progress(PipelineDefinition.Stage stage, String line) {}

                    @Override
                    public void finished(StageResult result) {
                        System.out.println("[pipeline] " + result.name() + " " + result.status() + ": " + result.summary());
                    }
                }).run();
    }

    /** ci/pipeline.yaml with its target/pipeline/ artifacts moved into this test's directory. */
    static PipelineDefinition kitPipeline(Path work) throws Exception {
        return PipelineDefinition.parse(Files.readString(ROOT.resolve("ci/pipeline.yaml")).replace("target/pipeline/", work + "/"));
    }

    /** An overlay over {@code base} that adds one environment variable to one Deployment's container. */
    static Path overlay(Path work, String name, Path base, String deployment, String variable, String value) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name));
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                patches:
                  - patch: |-
                      apiVersion: apps/v1
                      kind: Deployment
                      metadata:
                        name: %s
                      spec:
                        template:
                          spec:
                            containers:
                              - name: %s
                                env:
                                  - name: %s
                                    value: "%s"
                """.formatted(dir.relativize(base), deployment, deployment, variable, value));
        return dir;
    }

    static List<String> statuses(RunReport report) {
        return report.stages().stream().filter(s -> s.status() != Step.Status.NOT_RUN).map(s -> s.name() + "=" + s.status()).toList();
    }

    static String describe(RunReport report) {
        return String.join("\n", report.stages().stream().map(s -> s.name() + " " + s.status() + ": " + s.summary()).toList());
    }

    static void git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
    }
}
