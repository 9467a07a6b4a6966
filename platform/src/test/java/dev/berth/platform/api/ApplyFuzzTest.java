package dev.berth.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.api.ApiOverStore.Refusal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the apply path ({@link ManifestFuzzer}) against a real store: every request is accepted or
 * refused with a 4xx (never an exception the core would answer with a 500), nothing is ever written outside the
 * store, and a refused request leaves the store exactly as it was. {@code -Dfuzz.seed=} and {@code -Dfuzz.cases=}
 * replay or widen a run; a failure names the seed and the case.
 */
class ApplyFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261203L);
    private static final int CASES = Integer.getInteger("fuzz.cases", 600);

    @Test
    void randomAndMutatedManifestsNeverFailTheCore(@TempDir Path tmp) {
        Path outside = tmp.resolve("outside");
        ManifestFuzzer fuzzer = new ManifestFuzzer(SEED, outside);
        assertThat(fuzzer.seedDocuments()).hasSizeGreaterThan(20);
        int accepted = 0;
        int refused = 0;
        try (ApiOverStore core = new ApiOverStore(tmp.resolve("core"))) {
            for (int i = 0; i < CASES; i++) {
                ManifestFuzzer.Request request = fuzzer.next();
                String replay = "seed " + SEED + ", case " + i + ", namespace " + request.namespace() + ":\n" + abbreviate(request.body());
                Map<String, String> before = snapshot(core.storeDir);
                long revision = core.store.revision();
                try {
                    core.api.apply(request.body(), request.namespace(), request.dryRun());
                    accepted++;
                } catch (RuntimeException e) {
                    Refusal refusal = refusal(e, replay);
                    assertThat(refusal.status()).as(replay).isBetween(400, 499);
                    assertThat(refusal.errors()).as(replay).isNotEmpty();
                    assertThat(snapshot(core.storeDir)).as("a refused request changed the store: " + replay).isEqualTo(before);
                    assertThat(core.store.revision()).as(replay).isEqualTo(revision);
                    refused++;
                }
                assertThat(outside).as(replay).doesNotExist();
                assertThat(children(tmp)).as(replay).containsExactly("core");
                assertThat(children(core.root)).as(replay).containsExactly("store");
            }
        }
        // both outcomes were exercised, or the generator has gone blind
        assertThat(accepted).isGreaterThan(CASES / 50);
        assertThat(refused).isGreaterThan(CASES / 2);
    }

    private static Refusal refusal(RuntimeException e, String replay) {
        try {
            return ApiOverStore.refusal(e);
        } catch (RuntimeException unexpected) {
            throw new AssertionError("a 500: " + unexpected + "\n" + replay, unexpected);
        }
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

    private static java.util.List<String> children(Path dir) {
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
