package dev.berth.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link KubernetesEngine#local} talks to the core on plain HTTP: HTTP/1.1 from the first request, as kubectl does
 * there, with the bearer token, and never following a redirect (so never reaching a TLS server, whose certificate
 * it would not check) — against a real socket that records each request's headers.
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
        server.createContext("/apis/apps/v1/namespaces/moved/", exchange -> {
            requests.add(exchange.getRequestHeaders());
            exchange.getResponseHeaders().add("Location", "https://127.0.0.1:" + elsewhere.getLocalPort() + exchange.getRequestURI());
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        server.start();
        elsewhere = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!elsewhere.isClosed()) {
                try (Socket s = elsewhere.accept()) {
                    redirectedTo.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "redirect-target");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Where the redirect points: a TLS port as far as the client knows; counts the connections it gets. */
    ServerSocket elsewhere;
    final AtomicInteger redirectedTo = new AtomicInteger();

    @AfterEach
    void stop() throws IOException {
        server.stop(0);
        elsewhere.close();
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

    @Test
    void localFollowsNoRedirect() {
        try (KubernetesEngine engine = KubernetesEngine.local(url(), "the-token")) {
            assertThatThrownBy(() -> engine.client().apps().deployments().inNamespace("moved").withName("web").get())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(307));
        }
        assertThat(requests).hasSize(1);
        assertThat(redirectedTo).as("connections to the redirect's https address").hasValue(0);
    }

    /** Why {@code local} forbids them: fabric8's JDK client follows every redirect, from http to https too. */
    @Test
    void aClientLeftToItsDefaultsFollowsARedirectToHttps() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url().toString()).withRequestRetryBackoffLimit(0).withTrustCerts(true)
                .withHttp2Disable(true).withRequestTimeout(2_000).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build()) {
            assertThatThrownBy(() -> client.apps().deployments().inNamespace("moved").withName("web").get()).isInstanceOf(KubernetesClientException.class);
        }
        assertThat(redirectedTo).as("connections to the redirect's https address").hasPositiveValue();
    }
}
