package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Prometheus (Debian's {@code prometheus}, installed by ci/bootstrap.sh) that finds its targets through the
 * core's HTTP service discovery (the core and every Ready replica asking to be scraped) and scrapes them every
 * second, with its own data directory; stopped with {@link #close()}.
 */
final class PrometheusProcess implements AutoCloseable {

    final int port;
    private final Process process;

    private PrometheusProcess(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** A free port to give Prometheus, known before whatever it scrapes is configured. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PrometheusProcess scraping(int port, int corePort, Path dir) {
        // as in production: every target (the core and each Ready replica) comes from the core's http_sd endpoint
        return withConfig(port, dir, """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: berth
                    http_sd_configs:
                      - url: http://127.0.0.1:%d/berth/v1/sd/prometheus
                        refresh_interval: 2s
                        authorization: {type: Bearer, credentials: "%s"}
                """.formatted(corePort, CoreUnderTest.DISCOVERY));
    }

    /**
     * Scraping one plain target every second, keeping the labels its series carry ({@code honor_labels}), as a
     * cluster's Prometheus labels the services' series after relabelling (namespace, service, revision …).
     */
    static PrometheusProcess scrapingTarget(int port, int targetPort, Path dir) {
        return withConfig(port, dir, """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: berth-replicas
                    honor_labels: true
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(targetPort));
    }

    private static PrometheusProcess withConfig(int port, Path dir, String yaml) {
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, yaml);
            return launch(port, config, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PrometheusProcess launch(int port, Path config, Path dir) {
        try {
            Process p = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            PrometheusProcess prometheus = new PrometheusProcess(port, p);
            HttpClient http = HttpClient.newHttpClient();
            await("Prometheus ready on " + port).atMost(30, SECONDS).ignoreExceptions().until(() ->
                    http.send(HttpRequest.newBuilder(URI.create(prometheus.url() + "/-/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            return prometheus;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start prometheus (run ci/bootstrap.sh, which installs it)", e);
        }
    }

    /**
     * Prometheus as {@code ./berth up} runs it: the committed {@code observability/prometheus/prometheus.yml} and its
     * rules (what ci/prometheus.sh renders), pointed at this core, with the viewer's token.
     */
    static PrometheusProcess withKitConfig(int port, int corePort, Path dir) {
        try {
            Path source = Path.of(System.getProperty("berth.root", "..")).resolve("observability").resolve("prometheus");
            Path config = Files.createDirectories(dir.resolve("config"));
            Files.writeString(config.resolve("prometheus.yml"), Files.readString(source.resolve("prometheus.yml"))
                    .replace("http://127.0.0.1:7070", "http://127.0.0.1:" + corePort));
            Files.writeString(config.resolve("core.token"), CoreUnderTest.DISCOVERY);
            Path rules = Files.createDirectories(config.resolve("rules"));
            try (var files = Files.list(source.resolve("rules"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, rules.resolve(f.getFileName()));
                }
            }
            return launch(port, config.resolve("prometheus.yml"), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
