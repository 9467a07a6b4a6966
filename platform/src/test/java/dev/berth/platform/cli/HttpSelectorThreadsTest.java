package dev.berth.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The selector threads a command's JVM would otherwise wait for at exit. Only this test's clients are ended (by the
 * JDK's name for their threads, {@code HttpClient-<id>-SelectorManager}, the id in the client's toString): the test
 * JVM's other clients keep theirs, and one is shown still serving.
 */
class HttpSelectorThreadsTest {

    static String selectorName(HttpClient client) {
        Matcher m = Pattern.compile("\\((\\d+)\\)$").matcher(client.toString());
        assertThat(m.find()).as("the JDK's client names its id: %s", client).isTrue();
        return "HttpClient-" + m.group(1) + HttpSelectorThreads.NAME_SUFFIX;
    }

    static Optional<Thread> thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst();
    }

    @Test
    void endsTheSelectorThreadsItIsGivenAndLeavesTheOthersServing() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            HttpClient first = HttpClient.newHttpClient();
            HttpClient second = HttpClient.newHttpClient();
            HttpClient bystander = HttpClient.newHttpClient();
            for (HttpClient c : new HttpClient[] {first, second, bystander}) {
                assertThat(c.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
            }
            Set<String> ours = Set.of(selectorName(first), selectorName(second));
            Thread firstSelector = thread(selectorName(first)).orElseThrow();
            Thread secondSelector = thread(selectorName(second)).orElseThrow();
            assertThat(firstSelector.isAlive()).as("a client keeps its selector thread after its request").isTrue();

            assertThat(HttpSelectorThreads.end(Duration.ofSeconds(5), ours::contains)).isZero();

            assertThat(firstSelector.isAlive()).isFalse();
            assertThat(secondSelector.isAlive()).isFalse();
            assertThat(thread(selectorName(bystander)).map(Thread::isAlive)).contains(true);
            assertThat(bystander.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
        } finally {
            server.stop(0);
        }
    }
}
