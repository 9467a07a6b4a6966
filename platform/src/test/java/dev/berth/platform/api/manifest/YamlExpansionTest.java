package dev.berth.platform.api.manifest;

import static dev.berth.platform.api.manifest.ManifestCheckTest.READER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.support.problem.Problem;
import org.junit.jupiter.api.Test;

/** Alias expansion and nesting are bounded before a document is loaded. */
class YamlExpansionTest {

    /**
     * 18 levels of {@code [*a, *a]}: 36 aliases, under SnakeYAML's limit of 50, and 2^18 copies of the first list
     * (a thousand scalars) once loaded: an OutOfMemoryError at 256 MB before this check.
     */
    static String aliasBomb() {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\nx0: &a0 [")
                .append("lol,".repeat(999)).append("lol]\n");
        for (int i = 1; i <= 18; i++) {
            yaml.append("x").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        }
        return yaml.toString();
    }

    @Test
    void theAliasBombIsRefusedBeforeItIsLoaded() {
        String yaml = aliasBomb();
        assertThat(yaml.split("\\*a", -1)).hasSize(36 + 1);
        assertThatThrownBy(() -> READER.read(yaml)).isInstanceOfSatisfying(ManifestException.class, e -> {
            assertThat(e.type().status().getStatusCode()).isEqualTo(400);
            assertThat(e.errors()).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("document[0]");
                assertThat(error.message()).startsWith("contains excessive aliasing");
            });
        });
    }

    @Test
    void aFewSharedBlocksAreFine() {
        String yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: shared
                  labels: &labels {app: web, tier: front}
                  annotations: *labels
                data: {a: b}
                """;
        assertThat(READER.read(yaml)).hasSize(1);
    }

    @Test
    void deepNestingIsRefused() {
        String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nx: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        assertThatThrownBy(() -> READER.read(yaml)).isInstanceOfSatisfying(ManifestException.class, e ->
                assertThat(e.errors()).extracting(Problem.FieldError::message).containsExactly("nests deeper than 100 levels"));
    }
}
