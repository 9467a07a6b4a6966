package dev.berth.platform.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Probes stored with values apply-time validation would refuse still run every period, against a real HTTP server. */
class ContainerProberTest {

    private Vertx vertx;
    private ExecutorService executor;
    private ScheduledExecutorService timer;
    private HttpServer server;
    private ProbeCheck check;
    /** Each request the server saw: "Host header | raw path". */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        vertx = Vertx.vertx();
        executor = Executors.newCachedThreadPool();
        timer = Executors.newScheduledThreadPool(1);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestHeaders().getFirst("Host") + " | " + exchange.getRequestURI().getRawPath());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        check = new ProbeCheck(vertx, executor);
    }

    @AfterEach
    void stop() {
        server.stop(0);
        timer.shutdownNow();
        executor.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private static Probe httpGet(String scheme, String path, String header, String value, int failureThreshold) {
        var get = new ProbeBuilder().withPeriodSeconds(1).withFailureThreshold(failureThreshold).withNewHttpGet().withScheme(scheme).withPath(path);
        if (header != null) {
            get = get.addNewHttpHeader().withName(header).withValue(value).endHttpHeader();
        }
        return get.endHttpGet().build();
    }

    private ContainerProber prober(ContainerProber.Probes probes) {
        return new ContainerProber(check, timer, probes, new ContainerProber.Listener() {
            @Override
            public void started() {
                heard.add("started");
            }

            @Override
            public void startupFailed(String message) {
                heard.add("startupFailed " + message);
            }

            @Override
            public void livenessFailed(String message) {
                heard.add("livenessFailed " + message);
            }

            @Override
            public void readinessChanged(boolean ready, String message) {
                heard.add("ready=" + ready + " " + message);
            }
        });
    }

    @Test
    void ftpSchemeIsAFailedProbeWithGosMessage() {
        var outcome = check.run(httpGet("FTP", "/health", null, null, 3), port()).join();

        assertThat(outcome).isEqualTo(ProbeOutcome.failure("Get \"ftp://127.0.0.1:" + port() + "/health\": unsupported protocol scheme \"ftp\""));
    }

    @Test
    void ftpLivenessProbeKeepsProbingUntilItsThresholdAndAsksForARestart() {
        try (ContainerProber prober = prober(new ContainerProber.Probes(null, -1, httpGet("FTP", "/", null, null, 3), port(), null, -1))) {
            prober.start();

            // three failed attempts, one per period: the first one no longer ends the schedule
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(heard).contains(
                    "livenessFailed Liveness probe failed: Get \"ftp://127.0.0.1:" + port() + "/\": unsupported protocol scheme \"ftp\""));
        }
    }

    @Test
    void hostHeaderAndAPathWithASpaceAreSentAsKubernetesSendsThemEveryPeriod() {
        Probe readiness = httpGet("HTTP", "/health check", "Host", "orders.example.com", 3);
        try (ContainerProber prober = prober(new ContainerProber.Probes(null, -1, null, -1, readiness, port()))) {
            prober.start();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(heard).containsExactly("started", "ready=true ");
                assertThat(requests).hasSizeGreaterThanOrEqualTo(3).allMatch(r -> r.equals("orders.example.com | /health%20check"));
            });
        }
    }

    @Test
    void withoutAHostHeaderTheHostIsTheAddressProbed() {
        var outcome = check.run(httpGet("HTTP", "/ready?full=1", null, null, 3), port()).join();

        assertThat(outcome).isEqualTo(ProbeOutcome.ok());
        assertThat(requests).containsExactly("127.0.0.1:" + port() + " | /ready");
    }

    @Test
    void failingStatusIsReportedWithKubeletsMessage() {
        server.createContext("/broken", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });

        assertThat(check.run(httpGet(null, "/broken", null, null, 3), port()).join())
                .isEqualTo(ProbeOutcome.failure("HTTP probe failed with statuscode: 503"));
    }
}
