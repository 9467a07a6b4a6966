package dev.berth.platform.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner with command stages: real bash processes, real files, a real report. */
class PipelineRunnerTest {

    @TempDir
    Path root;

    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger engineCalls = new AtomicInteger();
    final Supplier<Engine> engine = () -> {
        engineCalls.incrementAndGet();
        throw new AssertionError("no stage here needs the engine");
    };

    RunReport run(String yaml, String from, String to, Map<String, String> env) throws Exception {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(env);
        PipelineRunner runner = new PipelineRunner(PipelineDefinition.parse(yaml),
                new PipelineRunner.Options(from, to, "local", root, root.resolve("target/pipeline"), environment), engine, new PipelineRunner.Listener() {
                    @Override
                    public void started(PipelineDefinition.Stage stage, int index, int total) {
                        events.add("start " + stage.name() + " " + index + "/" + total);
                    }

                    @Override
                    public void progress(PipelineDefinition.Stage stage, String line) {
                        events.add("progress " + stage.name() + " " + line);
                    }

                    @Override
                    public void finished(StageResult result) {
                        events.add("end " + result.name() + " " + result.status());
                    }
                });
        return runner.run();
    }

    @Test
    void stagesRunInOrderWithTheirOwnLogsAndAReport() throws Exception {
        RunReport report = run("""
                stages:
                  - {name: build, run: 'echo compiling; echo build >> order.txt', outputs: {jar: order.txt}}
                  - {name: test, run: 'echo "testing ${WHO:-nobody}"; echo test >> order.txt', inputs: {jar: order.txt}}
                """, null, null, Map.of("WHO", "berth"));

        assertThat(report.succeeded()).isTrue();
        assertThat(Files.readAllLines(root.resolve("order.txt"))).containsExactly("build", "test");
        assertThat(events).containsSubsequence("start build 1/2", "progress build compiling", "end build SUCCEEDED", "start test 2/2",
                "progress test testing berth", "end test SUCCEEDED");
        Path pipeline = root.resolve("target/pipeline");
        assertThat(Files.readString(pipeline.resolve("logs/01-build.log"))).contains("$ echo compiling", "compiling").doesNotContain("testing");
        assertThat(Files.readString(pipeline.resolve("logs/02-test.log"))).contains("testing berth").contains("# succeeded after");

        JsonNode json = new ObjectMapper().readTree(pipeline.resolve("report.json").toFile());
        assertThat(json.path("verdict").asText()).isEqualTo("succeeded");
        assertThat(json.path("stages").findValuesAsText("status")).containsExactly("succeeded", "succeeded");
        assertThat(json.path("stages").get(0).path("outputs").path("jar").asText()).isEqualTo("order.txt");
        assertThat(json.path("stages").get(1).path("log").asText()).isEqualTo("logs/02-test.log");
        assertThat(json.path("stages").get(0).has("durationMs")).isTrue();
        assertThat(Files.readString(pipeline.resolve("report.md"))).contains("# Berth pipeline run: succeeded", "| build | succeeded |", "| test | succeeded |");
        assertThat(engineCalls).as("nothing asked for the engine, so no core was started").hasValue(0);
    }

    @Test
    void aFailedStageEndsTheRunAndLaterStagesDoNotRun() throws Exception {
        RunReport report = run("""
                stages:
                  - {name: build, run: 'echo broken >&2; exit 3'}
                  - {name: test, run: 'touch ran.txt'}
                """, null, null, Map.of());

        assertThat(report.succeeded()).isFalse();
        assertThat(report.failedStage()).isEqualTo("build");
        assertThat(report.stage("build").summary()).isEqualTo("\"echo broken >&2; exit 3\" exited with 3");
        assertThat(report.stage("test").status()).isEqualTo(Step.Status.NOT_RUN);
        assertThat(report.stage("test").summary()).isEqualTo("an earlier stage failed");
        assertThat(root.resolve("ran.txt")).doesNotExist();
        assertThat(Files.readString(root.resolve("target/pipeline/logs/01-build.log"))).contains("broken", "# failed after");
        assertThat(Files.readString(root.resolve("target/pipeline/report.md"))).contains("FAILED at build");
    }

    @Test
    void aStagePastItsTimeoutIsStoppedWithEverythingItStarted() throws Exception {
        RunReport report = run("""
                stages:
                  - {name: build, run: 'sleep 60 & echo $! > child.pid; wait', timeout: 1s}
                """, null, null, Map.of());

        assertThat(report.stage("build").status()).isEqualTo(Step.Status.FAILED);
        assertThat(report.stage("build").summary()).isEqualTo("timed out after 1.0 s");
        long child = Long.parseLong(Files.readString(root.resolve("child.pid")).strip());
        await("the command's child is stopped too").atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void fromToWhenAndMissingInputsAreReportedWithReasons() throws Exception {
        String yaml = """
                stages:
                  - {name: build, run: 'touch built.txt', outputs: {jar: built.txt}}
                  - {name: test, run: 'touch tested.txt', when: {unless-env: SKIP_TESTS}}
                  - {name: image, run: 'touch imaged.txt', inputs: {jar: built.txt}}
                  - {name: deploy, run: 'touch deployed.txt'}
                """;
        RunReport report = run(yaml, "test", "image", Map.of("SKIP_TESTS", "1"));

        assertThat(report.stage("build").status()).isEqualTo(Step.Status.NOT_RUN);
        assertThat(report.stage("build").summary()).isEqualTo("before --from test");
        assertThat(report.stage("test").status()).isEqualTo(Step.Status.SKIPPED);
        assertThat(report.stage("test").summary()).isEqualTo("when: SKIP_TESTS is set");
        assertThat(report.stage("image").status()).isEqualTo(Step.Status.FAILED);
        assertThat(report.stage("image").summary()).isEqualTo("input jar (built.txt) does not exist: run the stage that makes it first");
        assertThat(report.stage("deploy").summary()).isEqualTo("after --to image");
        assertThat(root.resolve("imaged.txt")).doesNotExist();
        assertThat(root.resolve("tested.txt")).doesNotExist();
    }

    @Test
    void aStageThatDoesNotWriteItsDeclaredOutputFails() throws Exception {
        RunReport report = run("stages: [{name: image, run: 'true', outputs: {digests: target/images/digests.txt}}]", null, null, Map.of());

        assertThat(report.stage("image").status()).isEqualTo(Step.Status.FAILED);
        assertThat(report.stage("image").summary()).isEqualTo("did not write its output digests (target/images/digests.txt)");
    }
}
