package dev.berth.platform.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineDefinitionTest {

    @Test
    void theKitsPipelineHasEveryStageInOrder() throws Exception {
        PipelineDefinition p = PipelineDefinition.parse(Files.readString(Path.of("..", "ci", "pipeline.yaml")));
        assertThat(p.stages()).extracting(PipelineDefinition.Stage::name).containsExactlyElementsOf(PipelineDefinition.ORDER);
        PipelineDefinition.Stage image = p.between("image", "image").get(0);
        assertThat(image.step()).isEqualTo("image");
        assertThat(image.outputs()).containsEntry("digests", "target/images/digests.txt");
        assertThat(image.timeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(p.between("test", "test").get(0).when().skipReason("local", Map.of("BERTH_SKIP_TESTS", "1"))).isEqualTo("BERTH_SKIP_TESTS is set");
        assertThat(p.between("deploy", null)).extracting(PipelineDefinition.Stage::name).containsExactly("deploy", "verify");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key         | stages: [{name: build, run: make, timout: 5m}]                      | stage "build": unknown key "timout"
            run and step        | stages: [{name: build, run: make, step: image}]                    | stage "build": give exactly one of "run"
            neither             | stages: [{name: build}]                                            | stage "build": give exactly one of "run"
            unknown step        | stages: [{name: image, step: docker}]                              | stage "image": unknown step "docker"
            twice               | stages: [{name: build, run: a}, {name: build, run: b}]             | stage "build": the name is used twice
            out of order        | stages: [{name: deploy, step: deploy}, {name: build, run: b}]      | stage "build": out of order
            unknown stage       | stages: [{name: lint, run: a}]                                      | stage "lint": not a stage Berth knows
            bad timeout         | stages: [{name: build, run: a, timeout: 5 minutes}]                | stage "build": timeout "5 minutes" is not a positive duration
            zero timeout        | stages: [{name: build, run: a, timeout: 0s}]                       | is not a positive duration
            bad engine          | stages: [{name: build, run: a, when: {engine: nomad}}]             | when.engine must be local or kubernetes
            unknown when key    | stages: [{name: build, run: a, when: {branch: main}}]              | stage "build" when: unknown key "branch"
            no name             | stages: [{run: a}]                                                  | stages[0]: "name" is required
            no stages           | stages: []                                                          | "stages" must be a non-empty list
            version 2           | '{version: 2, stages: [{name: build, run: a}]}'                    | version 2 is not supported
            nested with         | stages: [{name: build, run: a, with: {x: [1]}}]                    | with.x must be a string
            """)
    void badDefinitionsAreRefusedNamingTheStageAndField(String what, String yaml, String message) {
        assertThatThrownBy(() -> PipelineDefinition.parse(yaml)).as(what).isInstanceOf(PipelineException.class).hasMessageContaining(message);
    }

    @Test
    void fromAndToSelectAContiguousRangeOrSayWhatExists() {
        PipelineDefinition p = PipelineDefinition.parse("stages: [{name: build, run: a}, {name: test, run: b}, {name: deploy, step: deploy}]");
        assertThat(p.between(null, "test")).extracting(PipelineDefinition.Stage::name).containsExactly("build", "test");
        assertThatThrownBy(() -> p.between("image", null)).hasMessage("--from image: no such stage; this pipeline has build, test, deploy");
        assertThatThrownBy(() -> p.between("deploy", "build")).hasMessage("--from deploy comes after --to build");
    }

    @Test
    void variablesExpandFromTheEnvironmentWithDefaults() {
        Map<String, String> env = Map.of("REG", "ghcr.io/acme", "EMPTY", "");
        assertThat(PipelineDefinition.expand("${REG}/order ${X:-local} [${EMPTY:-d}] [${EMPTY}]", env, "w")).isEqualTo("ghcr.io/acme/order local [d] []");
        assertThatThrownBy(() -> PipelineDefinition.expand("${MISSING}/x", env, "stage \"image\" with.command"))
                .hasMessage("stage \"image\" with.command: ${MISSING} is not set (give it a default: ${MISSING:-…})");
    }

    @Test
    void whenConditionsSayWhyAStageDoesNotRun() {
        var when = new PipelineDefinition.When("kubernetes", "REGISTRY", null);
        assertThat(when.skipReason("local", Map.of("REGISTRY", "x"))).isEqualTo("only with --engine kubernetes");
        assertThat(when.skipReason("kubernetes", Map.of())).isEqualTo("REGISTRY is not set");
        assertThat(when.skipReason("kubernetes", Map.of("REGISTRY", "x"))).isNull();
    }
}
