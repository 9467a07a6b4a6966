package dev.berth.platform.api;

import dev.berth.platform.api.manifest.ManifestException;
import dev.berth.platform.api.manifest.ManifestReader;
import dev.berth.platform.api.manifest.ManifestValidator;
import dev.berth.platform.controller.RolloutMetrics;
import dev.berth.platform.engine.EngineException;
import dev.berth.platform.engine.LocalEngine;
import dev.berth.platform.model.InvalidObjectKeyException;
import dev.berth.platform.store.ObjectStore;
import dev.berth.support.problem.Problem;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The core's write path without HTTP: {@link ObjectResource} over a real {@link LocalEngine} and {@link ObjectStore}
 * in {@code root/store}, with the validator the core uses. Refusals are mapped to the status the core's exception
 * mappers answer with; anything else would be a 500.
 */
public final class ApiOverStore implements AutoCloseable {

    public static final KubernetesSerialization JSON = new KubernetesSerialization();

    public final Path root;
    public final Path storeDir;
    public final ObjectStore store;
    public final ObjectResource api;

    public ApiOverStore(Path root) {
        this.root = root;
        this.storeDir = root.resolve("store");
        this.store = new ObjectStore(storeDir, JSON, Clock.systemUTC(), 100);
        ManifestValidator validator = ManifestValidator.withMaxReplicas(100);
        LocalEngine engine = new LocalEngine(store, JSON, null, null, new RolloutMetrics(new SimpleMeterRegistry()), validator);
        this.api = new ObjectResource(engine, new ManifestReader(JSON), validator, JSON);
    }

    /** A refusal as the client sees it: the status and the fields named. */
    public record Refusal(int status, List<Problem.FieldError> errors) {
        public List<String> fields() {
            return errors.stream().map(Problem.FieldError::field).toList();
        }
    }

    /** The status and fields the core's mappers would answer {@code e} with; rethrows what they would turn into a 500. */
    public static Refusal refusal(RuntimeException e) {
        if (e instanceof ManifestException m) {
            return new Refusal(m.type().status().getStatusCode(), m.errors());
        }
        if (e instanceof EngineException engine && engine.status() < 500) {
            return new Refusal(engine.status(), engine.errors());
        }
        if (e instanceof InvalidObjectKeyException key) {
            return new Refusal(400, List.of(new Problem.FieldError(key.field(), key.problem())));
        }
        throw e;
    }

    /** Runs {@code write}, which must be refused, and returns the refusal. */
    public static Refusal refused(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            return refusal(e);
        }
        throw new AssertionError("the write was accepted");
    }

    /** Every file under {@code dir} with its content: equal snapshots mean nothing was written. */
    public static Map<String, String> files(Path dir) {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(dir)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                files.put(dir.relativize(p).toString(), Files.isRegularFile(p) ? sha256(Files.readAllBytes(p)) : "dir");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
