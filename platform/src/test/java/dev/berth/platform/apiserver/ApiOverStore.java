package dev.berth.platform.apiserver;

import dev.berth.platform.api.CoreApiProfile;
import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.api.OpenStreams;
import dev.berth.platform.api.auth.TokenFile;
import dev.berth.platform.api.manifest.ManifestValidator;
import dev.berth.platform.config.CoreConfig;
import dev.berth.platform.controller.NamespaceController;
import dev.berth.platform.engine.LocalEngine;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Kubernetes API over a real {@link ObjectStore} in {@code root/store}, without the rest of the core: the
 * {@link ApiServer}'s routes on a Vert.x HTTP server of its own (127.0.0.1, a free port), with the core's validator
 * (at most 100 replicas), its bootstrap RBAC, the system namespaces and the {@link dev.berth.platform.api.CoreApiTokens}.
 * No controller, scheduler or kubelet writes to the store, so a request's effect on it is all there is to see.
 * Requests go over real HTTP; thread-safe.
 */
public final class ApiOverStore implements AutoCloseable {

    public static final KubernetesSerialization JSON = new KubernetesSerialization();
    public static final int MAX_REPLICAS = 100;

    public final Path root;
    public final Path storeDir;
    public final ObjectStore store;
    private final Vertx vertx = Vertx.vertx();
    private final ApiServer api;
    private final HttpServer server;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    /** An answer of the API: its code and body, and the body as a Status when it is one. */
    public record Answer(int code, String body) {

        public Status status() {
            return JSON.unmarshal(body, Status.class);
        }

        /** The fields the Status's causes name (none for a Status without details). */
        public List<String> causes() {
            Status s = status();
            return s.getDetails() == null || s.getDetails().getCauses() == null ? List.of()
                    : s.getDetails().getCauses().stream().map(StatusCause::getField).toList();
        }
    }

    public ApiOverStore(Path root) {
        this.root = root;
        this.storeDir = root.resolve("store");
        try {
            Files.createDirectories(root);
            CoreApiProfile.writeTokens(root.resolve("tokens"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the core's configuration with its defaults, read as Quarkus reads it (its converters for 15s and 512M)
        CoreConfig config = new SmallRyeConfigBuilder().withMapping(CoreConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()).withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withDefaultValues(Map.of("berth.state-dir", root.toString(), "berth.apiserver.secure-port", "0"))
                .build().getConfigMapping(CoreConfig.class);
        this.store = new ObjectStore(storeDir, JSON, Clock.systemUTC(), 100);
        NamespaceController.ensureSystemNamespaces(store);
        ManifestValidator validator = ManifestValidator.withMaxReplicas(MAX_REPLICAS);
        LocalEngine engine = new LocalEngine(store, null); // no log files: pods' logs are StreamsApiTest's
        Router router = Router.router(vertx);
        this.server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        TokenFile tokens = new TokenFile(root.resolve("tokens"));
        tokens.lookup(CoreApiTokens.ADMIN); // converts the file now: the requests' only writes are then the store's
        this.api = new ApiServer(store, JSON, validator, tokens, engine,
                new OpenStreams(config, new SimpleMeterRegistry()), vertx, Clock.systemUTC(), config, server.actualPort());
        api.routes(router);
        this.base = URI.create("http://127.0.0.1:" + server.actualPort());
    }

    /** {@code method path} with {@code token} (none when null) and {@code body} (none when null) of {@code contentType}. */
    public Answer send(String method, String path, String token, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + path, e);
        }
    }

    /** A streaming {@code GET path} with {@code token} (a watch): the answer as its head arrives, the body still to read. */
    public HttpResponse<java.io.InputStream> stream(String path, String token) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + path, e);
        }
    }

    /** Every file under {@code dir} with a digest of its content: equal snapshots mean nothing was written. */
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

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the API's HTTP server", e);
        }
    }

    @Override
    public void close() throws Exception {
        api.stop(null);
        await(server.close());
        await(vertx.close());
        store.close();
    }
}
