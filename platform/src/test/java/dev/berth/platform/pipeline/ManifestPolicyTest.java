package dev.berth.platform.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.api.manifest.ManifestReader;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validate stage's policy over a corpus (src/test/resources/pipeline/policy): every good manifest passes,
 * every bad one is refused with exactly the violations its {@code # expect:} lines name, by object and path.
 */
class ManifestPolicyTest {

    static final Path CORPUS = Path.of("src/test/resources/pipeline/policy");
    static final ManifestReader READER = new ManifestReader(new KubernetesSerialization());

    static Stream<Path> manifests() throws Exception {
        return Files.walk(CORPUS).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void eachManifestGetsExactlyTheViolationsItExpects(Path manifest) throws Exception {
        String text = Files.readString(manifest);
        List<String> expected = text.lines().filter(l -> l.startsWith("# expect: ")).map(l -> l.substring("# expect: ".length())).toList();
        assertThat(manifest.getParent().getFileName().toString().equals("good")).as("good files expect nothing, bad ones something")
                .isEqualTo(expected.isEmpty());

        List<ManifestPolicy.Violation> found = ManifestPolicy.check(READER.read(text));

        assertThat(found).extracting(ManifestPolicy.Violation::path).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(found).allSatisfy(v -> {
            assertThat(v.object()).matches("(Deployment|StatefulSet)/berth/[a-z-]+");
            assertThat(v.message()).isNotBlank();
        });
    }
}
