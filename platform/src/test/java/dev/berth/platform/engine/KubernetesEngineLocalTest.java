package dev.berth.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link KubernetesEngine#local} talks to the core on plain HTTP: HTTP/1.1 from the first request, as kubectl does
 * there, with the bearer token — against a real socket that records each request's headers.
 */
class KubernetesEngineLocalTest {

    static final String NOT_FOUND = """
            {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,
             "message":"deployments.apps \\"web\\" not found","details":{"name":"web","group":"apps","kind":"deployments"}}""";

    HttpServer server;
    final List<Headers> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestHeaders());
            byte[] body = NOT_FOUND.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void localSpeaksHttp11FromTheFirstRequestWithTheToken() {
        try (KubernetesEngine engine = KubernetesEngine.local(url(), "the-token")) {
            assertThat(engine.client().apps().deployments().inNamespace("default").withName("web").get()).isNull();
        }
        assertThat(requests).hasSize(1);
        Headers sent = requests.get(0);
        assertThat(sent.getFirst("Authorization")).isEqualTo("Bearer the-token");
        assertThat(sent.containsKey("Upgrade")).as("an h2c upgrade was asked for: %s", sent.entrySet()).isFalse();
        assertThat(sent.containsKey("Http2-Settings")).isFalse();
    }

    /** Why {@code local} sets it: fabric8's JDK client left to its defaults asks a plain-HTTP server to upgrade to h2c. */
    @Test
    void aClientLeftToItsDefaultsAsksForAnH2cUpgrade() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url().toString()).withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build()) {
            assertThat(client.apps().deployments().inNamespace("default").withName("web").get()).isNull();
        }
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getFirst("Upgrade")).isEqualTo("h2c");
    }
}
