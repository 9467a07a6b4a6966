package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.apiserver.ApiOverStore.Answer;
import io.fabric8.kubernetes.api.model.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the Kubernetes API's create and apply paths ({@link ManifestFuzzer}) over a real store: each
 * request's documents are sent as kubectl would, one per request, to the URL their apiVersion, kind and name give
 * (a POST to the collection, or a server-side apply to the object, alternately; {@code dryRun=All} when asked), and
 * every answer is a success or a {@code metav1.Status} refusal with a 4xx code and a message (an Invalid one naming
 * its fields) — never a 500. Nothing is written outside the store, and a refused or dry-run request leaves the store
 * exactly as it was. {@code -Dfuzz.seed=} and {@code -Dfuzz.cases=} replay or widen a run; a failure names the seed and
 * the case.
 */
class ApplyFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261203L);
    private static final int CASES = Integer.getInteger("fuzz.cases", 600);

    @Test
    void randomAndMutatedManifestsNeverFailTheCore(@TempDir Path tmp) throws Exception {
        Path outside = tmp.resolve("outside");
        ManifestFuzzer fuzzer = new ManifestFuzzer(SEED, outside);
        assertThat(fuzzer.seedDocuments()).hasSizeGreaterThan(20);
        int accepted = 0;
        int refused = 0;
        try (ApiOverStore core = new ApiOverStore(tmp.resolve("core"))) {
            assertThat(core.send("POST", "/api/v1/namespaces", CoreApiTokens.ADMIN, "application/yaml",
                    "apiVersion: v1\nkind: Namespace\nmetadata: {name: berth}\n").code()).isEqualTo(201);
            List<String> layout = children(core.root);
            for (int i = 0; i < CASES; i++) {
                ManifestFuzzer.Request request = fuzzer.next();
                for (String document : request.documents()) {
                    ManifestFuzzer.Write write = ManifestFuzzer.Write.of(document, request, i % 2 == 0);
                    String replay = "seed " + SEED + ", case " + i + ", " + write.method() + " " + write.path() + ":\n" + abbreviate(document);
                    Map<String, String> before = snapshot(core.storeDir);
                    long revision = core.store.revision();

                    Answer answer = core.send(write.method(), write.path(), CoreApiTokens.ADMIN, write.contentType(), document);

                    assertThat(answer.code()).as("a 500: " + answer.body() + "\n" + replay).isLessThan(500);
                    if (answer.code() >= 400) {
                        Status status = answer.status();
                        assertThat(status.getCode()).as(replay).isEqualTo(answer.code());
                        assertThat(status.getStatus()).as(replay).isEqualTo("Failure");
                        assertThat(status.getMessage()).as(replay).isNotBlank();
                        if (answer.code() == 422) {
                            assertThat(answer.causes()).as(replay).isNotEmpty();
                        }
                        refused++;
                    } else {
                        accepted++;
                    }
                    if (answer.code() >= 400 || request.dryRun()) {
                        assertThat(snapshot(core.storeDir)).as("a refused or dry-run request changed the store: " + replay).isEqualTo(before);
                        assertThat(core.store.revision()).as(replay).isEqualTo(revision);
                    }
                    assertThat(outside).as(replay).doesNotExist();
                    assertThat(children(tmp)).as(replay).containsExactly("core");
                    assertThat(children(core.root)).as(replay).isEqualTo(layout);
                }
            }
        }
        // both outcomes were exercised, or the generator has gone blind
        assertThat(accepted).isGreaterThan(CASES / 50);
        assertThat(refused).isGreaterThan(CASES / 2);
    }

    /** Path, size and modification time of every file: what a refused request must leave as it was. */
    private static Map<String, String> snapshot(Path dir) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                files.put(dir.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static List<String> children(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 2000 ? body : body.substring(0, 2000) + "…";
    }
}
