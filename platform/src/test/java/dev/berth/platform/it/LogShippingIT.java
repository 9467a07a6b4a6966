package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.engine.EngineException;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.runtime.PodDirectories;
import dev.berth.platform.testapp.TestImages;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's log shipper against a real Elasticsearch: 200,000 lines from four replicas arrive exactly once and in
 * order per replica, through a 30-second Elasticsearch outage and a crash of the core; a line that is not JSON is
 * shipped as a plain message and one Elasticsearch refuses is dead-lettered — both counted, neither lost.
 */
class LogShippingIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static ElasticsearchProcess es;
    static CoreUnderTest core;
    static String image;

    @BeforeAll
    static void start() throws Exception {
        image = TestImages.testApp("logs", Path.of("target", "testapp"));
        es = ElasticsearchProcess.start(PrometheusProcess.freePort(),
                Path.of("target", "it-state", "elasticsearch-" + System.nanoTime()).toAbsolutePath());
        core = new CoreUnderTest("logs", Map.of("BERTH_LOGS_ELASTICSEARCH_URL", es.url())).start();
    }

    @AfterAll
    static void stop() {
        CoreUnderTest.shutDown(core);
        if (es != null) {
            es.close();
        }
    }

    static JsonNode es(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(es.url() + path)).header("Content-Type", "application/json");
        HttpResponse<String> r = HTTP.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isLessThan(300);
        return JSON.readTree(r.body());
    }

    static long count(String query) throws Exception {
        es("POST", "/berth-logs-*/_refresh", null);
        return es("POST", "/berth-logs-*/_count", "{\"query\":" + query + "}").path("count").asLong();
    }

    static String pod(String pod) {
        return "{\"term\":{\"kubernetes.pod.name\":\"" + pod + "\"}}";
    }

    /** Every document of one pod, sorted by offset, then file (each instance of a container has its own): search_after pages of 10,000. */
    static List<JsonNode> documents(String pod) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        String after = "";
        while (true) {
            JsonNode hits = es("POST", "/berth-logs-*/_search", "{\"size\":10000,\"query\":" + pod(pod)
                    + ",\"sort\":[{\"log.offset\":\"asc\"},{\"log.file.path\":\"asc\"}]"
                    + ",\"_source\":[\"event.sequence\",\"log.offset\",\"log.file.path\",\"message\",\"tags\"]" + after + "}").path("hits").path("hits");
            if (hits.isEmpty()) {
                return docs;
            }
            hits.forEach(h -> docs.add(h.path("_source")));
            JsonNode last = hits.get(hits.size() - 1).path("sort");
            after = ",\"search_after\":[" + last.get(0).asLong() + "," + JSON.writeValueAsString(last.get(1).asText()) + "]";
        }
    }

    static double coreMetric(String name) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(core.process.url() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    List<Pod> pods(String app) {
        return core.admin().<Pod>list(ResourceKind.POD, "default", "app=" + app);
    }

    @Test
    void twoHundredThousandLinesArriveExactlyOnceInOrderThroughAnOutageAndACoreCrash() throws Exception {
        int replicas = 4;
        int lines = 50_000;
        core.admin().apply(Manifests.testApp("chatty", image, replicas, "100m",
                "            - {name: LOG_LINES, value: \"" + lines + "\"}\n            - {name: LOG_RATE, value: \"4000\"}"), "default", false);
        core.converge("default", Duration.ofSeconds(90), () -> assertThat(pods("chatty")).hasSize(replicas).allMatch(PodStatuses::isReady));
        List<String> names = pods("chatty").stream().map(p -> p.getMetadata().getName()).toList();
        String chatty = "{\"term\":{\"berth.workload\":\"chatty\"}}";

        await("the first 20,000 lines in Elasticsearch").atMost(120, SECONDS).pollInterval(Duration.ofMillis(500))
                .until(() -> count(chatty) >= 20_000);
        es.stop();
        long down = System.nanoTime();
        core.crash();
        core.start();
        // the outage lasts 30 s, while every replica writes all of its lines and the shipper holds them on disk
        await("30 s of outage while the replicas finish writing").atMost(120, SECONDS).pollInterval(Duration.ofSeconds(1)).until(() ->
                System.nanoTime() - down >= Duration.ofSeconds(30).toNanos() && coreMetric("berth_logs_lag_bytes") > 0
                        && allWritten(names, lines));
        es.restart();

        await("every line in Elasticsearch").atMost(240, SECONDS).pollInterval(Duration.ofSeconds(1))
                .until(() -> count("{\"bool\":{\"filter\":[" + chatty + ",{\"exists\":{\"field\":\"event.sequence\"}}]}}") >= (long) replicas * lines);
        await("the lag drains").atMost(30, SECONDS).until(() -> coreMetric("berth_logs_lag_bytes") == 0);

        long total = 0;
        for (String name : names) {
            List<JsonNode> docs = documents(name);
            // what the files hold, in the order written: 1…50,000 — twice over if the replica was restarted (not
            // adopted) across the core crash and wrote its lines again, into a second instance's file; either way
            // each line exactly once
            List<Long> written = new ArrayList<>();
            long lineCount = 0;
            for (Path file : logFiles(name)) {
                List<Long> inFile = fileSequence(file);
                List<Long> shipped = docs.stream().filter(d -> d.has("event.sequence") && d.path("log.file.path").asText().endsWith("/" + file.getFileName()))
                        .map(d -> d.path("event.sequence").asLong()).toList();
                assertThat(shipped).as("%s: every line of %s once, in the order written (%d lines)", name, file.getFileName(), inFile.size())
                        .containsExactlyElementsOf(inFile);
                written.addAll(inFile);
                lineCount += fileLines(file);
            }
            assertThat(written).as("%s: the replica wrote all its lines", name).startsWith(LongStream.rangeClosed(1, lines).boxed().toArray(Long[]::new));
            assertThat((long) docs.size()).as("%s: one document per line of its log files", name).isEqualTo(lineCount);
            total += written.size();
        }
        assertThat(total).isGreaterThanOrEqualTo(200_000);
        assertThat(count("{\"bool\":{\"filter\":[" + chatty + ",{\"exists\":{\"field\":\"event.sequence\"}}]}}")).isEqualTo(total);
    }

    @Test
    void aLineThatIsNotJsonIsShippedPlainAndOneElasticsearchRefusesIsDeadLetteredBothCounted() throws Exception {
        double plainBefore = coreMetric("berth_logs_plain_lines_total");
        double deadBefore = coreMetric("berth_logs_dead_lettered_total");
        String extra = "this line is not JSON\\n{\\\"@timestamp\\\":\\\"2026-11-22T10:00:00Z\\\",\\\"message\\\":\\\"conflict\\\",\\\"event.sequence\\\":\\\"not-a-number\\\"}";
        core.admin().apply(Manifests.testApp("odd", image, 1, "100m",
                "            - {name: LOG_EXTRA, value: \"" + extra + "\"}\n            - {name: LOG_LINES, value: \"2\"}"), "default", false);
        core.converge("default", Duration.ofSeconds(90), () -> assertThat(pods("odd")).hasSize(1).allMatch(PodStatuses::isReady));
        String name = pods("odd").get(0).getMetadata().getName();

        await("both good lines shipped").atMost(60, SECONDS).until(() -> count("{\"bool\":{\"filter\":[" + pod(name)
                + ",{\"exists\":{\"field\":\"event.sequence\"}}]}}") == 2);
        await("the refused line dead-lettered").atMost(30, SECONDS).until(() -> coreMetric("berth_logs_dead_lettered_total") >= deadBefore + 1);
        assertThat(count("{\"bool\":{\"filter\":[" + pod(name) + ",{\"term\":{\"tags\":\"berth_plain_text\"}},"
                + "{\"match_phrase\":{\"message\":\"this line is not JSON\"}}]}}")).isEqualTo(1);
        assertThat(coreMetric("berth_logs_plain_lines_total")).isGreaterThanOrEqualTo(plainBefore + 1);
        Path deadLetters = core.state.resolve("log-shipper").resolve("dead-letter.ndjson");
        List<JsonNode> dead = Files.readAllLines(deadLetters).stream().map(LogShippingIT::parse).toList();
        assertThat(dead).anySatisfy(d -> {
            assertThat(d.path("document").path("message").asText()).isEqualTo("conflict");
            assertThat(d.path("document").path("kubernetes.pod.name").asText()).isEqualTo(name);
            assertThat(d.path("status").asInt()).isEqualTo(400);
            assertThat(d.path("error.reason").asText()).contains("event.sequence");
        });

        // berth logs --search reads them back through the core; a query Elasticsearch cannot parse is the caller's error
        JsonNode found = core.admin().searchLogs("kubernetes.pod.name:" + name + " AND tags:berth_plain_text", "default", 100);
        assertThat(found).extracting(l -> l.path("message").asText()).contains("this line is not JSON");
        assertThatThrownBy(() -> core.admin().searchLogs("message:(unclosed", null, 100))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("cannot run the query");
    }

    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON in the dead-letter file: " + line, e);
        }
    }

    boolean allWritten(List<String> pods, int lines) throws Exception {
        for (String p : pods) {
            if (linesWritten(p) < lines) {
                return false;
            }
        }
        return true;
    }

    /** The pod's log files, one per instance of its container, oldest first. */
    List<Path> logFiles(String pod) {
        return new PodDirectories(core.state).instanceLogs("default", pod, "app");
    }

    /** event.sequence of every JSON line of a log file, in file order. */
    List<Long> fileSequence(Path file) throws Exception {
        Pattern seq = Pattern.compile("\"event\\.sequence\":(\\d+)");
        try (var l = Files.lines(file)) {
            return l.map(seq::matcher).filter(Matcher::find).map(m -> Long.parseLong(m.group(1))).toList();
        }
    }

    long fileLines(Path file) throws Exception {
        try (var l = Files.lines(file)) {
            return l.count();
        }
    }

    long linesWritten(String pod) throws Exception {
        long written = 0;
        for (Path file : logFiles(pod)) {
            try (var l = Files.lines(file)) {
                written += l.filter(s -> s.contains("\"event.sequence\"")).count();
            }
        }
        return written;
    }
}
