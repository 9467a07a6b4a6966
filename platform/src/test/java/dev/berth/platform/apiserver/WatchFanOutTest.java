package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watch fan-out over real sockets: each change is encoded once and every watcher gets the same bytes, in order; a
 * watcher that stops reading is cut once {@link WatchSink#MAX_PENDING_BYTES} behind, having received a gapless
 * prefix, while the others miss nothing; bookmarks written between coalesced changes keep their place.
 */
class WatchFanOutTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";

    @Test
    void everyWatcherReceivesEveryChangeInOrderAsTheSameBytes(@TempDir Path tmp) throws Exception {
        int watchers = 20;
        int changes = 200;
        try (ApiOverStore core = new ApiOverStore(tmp.resolve("core"))) {
            String from = listVersion(core);
            List<Lines> watches = new ArrayList<>();
            for (int i = 0; i < watchers; i++) {
                watches.add(Lines.read(core.stream(CONFIGMAPS + "?watch=true&resourceVersion=" + from, CoreApiTokens.ADMIN)));
            }
            ExecutorService writers = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> created = new ArrayList<>();
                for (int i = 0; i < changes; i++) {
                    String name = "fan-" + i;
                    created.add(writers.submit(() -> core.send("POST", CONFIGMAPS, CoreApiTokens.ADMIN, "application/json",
                            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"v\"}}").code()));
                }
                for (Future<Integer> f : created) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(201);
                }
            } finally {
                writers.shutdown();
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(watches).allSatisfy(w -> assertThat(w.lines()).hasSize(changes)));
            List<String> first = watches.get(0).lines();
            assertThat(watches).allSatisfy(w -> assertThat(w.lines()).as("the same bytes for every watcher").isEqualTo(first));
            assertThat(versions(first)).as("in resourceVersion order").isSorted().doesNotHaveDuplicates();
            assertThat(first).extracting(l -> node(l).at("/object/metadata/name").asText())
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, changes).mapToObj(i -> "fan-" + i).toList());
        }
    }

    @Test
    void aWatcherThatStopsReadingIsCutAndTheOthersMissNothing(@TempDir Path tmp) throws Exception {
        // ≈ 40 MiB of events: more than the cap, the connection's queue and the sockets' buffers together
        int changes = 50;
        String data = "x".repeat(800 * 1024);
        try (ApiOverStore core = new ApiOverStore(tmp.resolve("core"))) {
            String from = listVersion(core);
            String watch = CONFIGMAPS + "?watch=true&resourceVersion=" + from;
            Lines reading = Lines.read(core.stream(watch, CoreApiTokens.ADMIN));
            InputStream stalled = core.stream(watch, CoreApiTokens.ADMIN).body(); // never read until the writes are done

            for (int i = 0; i < changes; i++) {
                String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big-" + i + "\"},\"data\":{\"k\":\"" + data + "\"}}";
                assertThat(core.send("POST", CONFIGMAPS, CoreApiTokens.ADMIN, "application/json", body).code()).isEqualTo(201);
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(reading.lines()).hasSize(changes));
            List<Long> all = versions(reading.lines());
            assertThat(all).isSorted().doesNotHaveDuplicates();

            // the stalled watcher's stream ends (it would otherwise block for more) after a prefix of the same changes
            List<Long> seen = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> versions(completeLines(stalled)));
            assertThat(seen).as("cut before the end").hasSizeLessThan(changes);
            assertThat(all.subList(0, seen.size())).as("a gapless prefix").isEqualTo(seen);
        }
    }

    @Test
    void bookmarksStayInOrderWithTheChangesTheyFollow(@TempDir Path tmp) throws Exception {
        int changes = 300;
        Vertx vertx = Vertx.vertx();
        try (ObjectStore store = new ObjectStore(tmp.resolve("store"), ApiOverStore.JSON, Clock.systemUTC(), 100);
                WatchCache cache = new WatchCache(store, 1000, ApiOverStore.JSON)) {
            long from = store.revision();
            AtomicReference<WatchCache.Registration> registration = new AtomicReference<>();
            HttpServer server = vertx.createHttpServer().requestHandler(request -> {
                WatchSink sink = WatchSink.of(request.response(), vertx.getOrCreateContext());
                registration.set(cache.watch(from, e -> true, new WatchCache.Listener() {
                    @Override
                    public void change(WatchCache.Change change) {
                        sink.write(change.line());
                    }

                    @Override
                    public void bookmark(long resourceVersion) {
                        sink.write(Buffer.buffer("{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"" + resourceVersion + "\"}}}"));
                    }
                }));
                sink.started();
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            HttpResponse<InputStream> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/")).build(), HttpResponse.BodyHandlers.ofInputStream());
            Lines watch = Lines.read(answer);
            long bookmarks = vertx.setPeriodic(1, id -> registration.get().bookmark());

            List<Long> written = new ArrayList<>();
            for (int i = 0; i < changes; i++) {
                written.add(Long.parseLong(store.create(new ConfigMapBuilder().withNewMetadata().withNamespace("default").withName("cm-" + i)
                        .endMetadata().build()).getMetadata().getResourceVersion()));
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    watch.lines().stream().filter(l -> !l.contains("\"BOOKMARK\"")).count()).isEqualTo(changes));
            vertx.cancelTimer(bookmarks);
            List<String> lines = watch.lines();
            List<Long> changed = new ArrayList<>();
            int between = 0;
            for (String line : lines) {
                long version = Long.parseLong(node(line).at("/object/metadata/resourceVersion").asText());
                if (line.contains("\"BOOKMARK\"")) {
                    // every change up to the bookmark came before it: none at or below it may follow
                    assertThat(changed.isEmpty() ? from : changed.get(changed.size() - 1)).isLessThanOrEqualTo(version);
                    assertThat(written.stream().filter(v -> v <= version).count()).as("changes before a bookmark of " + version).isEqualTo(changed.size());
                    between += changed.isEmpty() || changed.size() == changes ? 0 : 1;
                } else {
                    changed.add(version);
                }
            }
            assertThat(changed).isEqualTo(written);
            assertThat(between).as("bookmarks among the changes, not only around them").isPositive();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static String listVersion(ApiOverStore core) {
        ApiOverStore.Answer list = core.send("GET", CONFIGMAPS, CoreApiTokens.ADMIN, null, null);
        assertThat(list.code()).isEqualTo(200);
        return node(list.body()).at("/metadata/resourceVersion").asText();
    }

    private static List<Long> versions(List<String> lines) {
        return lines.stream().map(l -> Long.parseLong(node(l).at("/object/metadata/resourceVersion").asText())).toList();
    }

    private static JsonNode node(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The complete lines of {@code in} until it ends or breaks off (a cut connection may end mid-line). */
    private static List<String> completeLines(InputStream in) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (int c = r.read(); c >= 0; c = r.read()) {
                if (c == '\n') {
                    lines.add(line.toString());
                    line.setLength(0);
                } else {
                    line.append((char) c);
                }
            }
        } catch (IOException e) {
            // the connection was closed under the client: what it read so far stands
        }
        return lines;
    }

    /** A watch's lines as a thread of its own reads them. */
    static final class Lines {
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        static Lines read(HttpResponse<InputStream> answer) {
            assertThat(answer.statusCode()).isEqualTo(200);
            Lines l = new Lines();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        l.lines.add(line);
                    }
                } catch (IOException e) {
                    // the test ended the watch
                }
            }, "watch-reader");
            reader.setDaemon(true);
            reader.start();
            return l;
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }
    }
}
