package dev.berth.platform.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP Service proxying against real Vert.x servers on 127.0.0.1. */
class HttpServiceProxyTest {

    static final ObjectKey WEB = new ObjectKey(ResourceKind.SERVICE, "default", "web");

    Vertx vertx;
    SimpleMeterRegistry meters;
    HttpClient client;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        meters = new SimpleMeterRegistry();
        client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(50));
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    ServiceProxy start(ServiceProxyConfig config, Endpoint... endpoints) {
        ServiceProxy proxy = Await.result(ServiceProxy.start(vertx, meters, config));
        proxy.update(List.of(endpoints));
        return proxy;
    }

    ServiceProxy start(Endpoint... endpoints) {
        return start(ServiceProxyConfig.http(WEB, 0), endpoints);
    }

    /** Sends {@code n} GETs at once (the client pool bounds concurrency) and waits for every reply. */
    List<Reply> send(ServiceProxy proxy, int n) {
        List<Future<Reply>> replies = IntStream.range(0, n).mapToObj(i -> Reply.get(vertx, client, proxy.port(), "/r/" + i)).toList();
        return Await.result(Future.all(replies)).list();
    }

    static Map<String, Long> byReplica(List<Reply> replies) {
        return replies.stream().collect(Collectors.groupingBy(r -> String.valueOf(r.replica()), Collectors.counting()));
    }

    @Test
    void roundRobinSpreadsEvenly() {
        HttpBackend a = HttpBackend.start(vertx, "web-a");
        HttpBackend b = HttpBackend.start(vertx, "web-b");
        HttpBackend c = HttpBackend.start(vertx, "web-c");
        ServiceProxy proxy = start(a.endpoint("r1"), b.endpoint("r1"), c.endpoint("r1"));

        List<Reply> replies = send(proxy, 300);

        assertThat(replies).allMatch(Reply::ok);
        assertThat(byReplica(replies)).containsOnly(Map.entry("web-a", 100L), Map.entry("web-b", 100L), Map.entry("web-c", 100L));
        assertThat(List.of(a.received(), b.received(), c.received())).containsOnly(100);
    }

    @Test
    void leastRequestsPrefersTheIdleEndpoint() {
        HttpBackend busy = HttpBackend.start(vertx, "web-busy").hold();
        HttpBackend idle = HttpBackend.start(vertx, "web-idle");
        // One event loop: a response's end (which releases its endpoint) is then handled before the
        // client's next request, so the counts the picker sees are exact.
        ServiceProxy proxy = start(ServiceProxyConfig.http(WEB, 0).withEventLoops(1)
                        .withStrategy(LoadBalancingStrategy.LEAST_REQUESTS),
                busy.endpoint("r1"), idle.endpoint("r1"));

        // One at a time: the first request the tie sends to "busy" stays there, after that "busy"
        // has one in flight and "idle" none, so everything else goes to "idle".
        List<Future<Reply>> pending = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int heldBefore = busy.received();
            Future<Reply> reply = Reply.get(vertx, client, proxy.port(), "/");
            await().atMost(Duration.ofSeconds(5)).until(() -> reply.isComplete() || busy.received() > heldBefore);
            pending.add(reply);
        }

        assertThat(busy.received()).isEqualTo(1);
        assertThat(idle.received()).isEqualTo(19);
        busy.releaseHeld();
        assertThat(Await.result(Future.all(pending)).<Reply>list()).allMatch(Reply::ok);
    }

    @Test
    void roundRobinIgnoresLoadWhereLeastRequestsWouldNot() {
        HttpBackend busy = HttpBackend.start(vertx, "web-busy").hold();
        HttpBackend idle = HttpBackend.start(vertx, "web-idle");
        ServiceProxy proxy = start(busy.endpoint("r1"), idle.endpoint("r1"));

        List<Future<Reply>> pending = IntStream.range(0, 10).mapToObj(i -> Reply.get(vertx, client, proxy.port(), "/")).toList();
        await().atMost(Duration.ofSeconds(5)).until(() -> busy.received() + idle.received() == 10);

        assertThat(busy.received()).isEqualTo(5);
        busy.releaseHeld();
        assertThat(Await.result(Future.all(pending)).<Reply>list()).allMatch(Reply::ok);
    }

    @Test
    void endpointThatRefusesConnectionsIsSkippedWithNoFailedRequest() {
        HttpBackend live = HttpBackend.start(vertx, "web-live");
        ServiceProxy proxy = start(RefusedPort.endpoint("web-dead", "r1"), live.endpoint("r1"));

        List<Reply> replies = send(proxy, 200);

        assertThat(replies).allMatch(Reply::ok);
        assertThat(byReplica(replies)).containsOnly(Map.entry("web-live", 200L));
        assertThat(live.received()).isEqualTo(200);
    }

    @Test
    void requestThatReachedADyingReplicaIsNotRetried() {
        HttpBackend dying = HttpBackend.start(vertx, "web-dying").die();
        HttpBackend healthy = HttpBackend.start(vertx, "web-healthy");
        ServiceProxy proxy = start(dying.endpoint("r1"), healthy.endpoint("r1"));

        List<Reply> replies = send(proxy, 40);

        List<Reply> failed = replies.stream().filter(r -> !r.ok()).toList();
        assertThat(failed).hasSize(20).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.replica()).isEqualTo("web-dying");
        });
        // Each request that reached the dying replica was answered 502 and sent nowhere else.
        assertThat(dying.received()).isEqualTo(20);
        assertThat(healthy.received()).isEqualTo(20);
        // counted when the proxy finishes the exchange, which may be just after the client has the last answer
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(proxy.requestStats().get("r1")).isEqualTo(new RequestStats(40, 20)));
    }

    @Test
    void noEndpointsAnswers503ProblemJson() {
        ServiceProxy proxy = start();

        Reply reply = Await.result(Reply.get(vertx, client, proxy.port(), "/orders"));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        JsonObject problem = new JsonObject(reply.body());
        assertThat(problem.getInteger("status")).isEqualTo(503);
        assertThat(problem.getString("detail")).isEqualTo("service default/web has no ready endpoints");
        assertThat(reply.replica()).isNull();
    }

    @Test
    void everyEndpointRefusingAnswers503SinceNothingReachedAReplica() {
        ServiceProxy proxy = start(RefusedPort.endpoint("web-a", "r1"), RefusedPort.endpoint("web-b", "r1"));

        Reply reply = Await.result(Reply.get(vertx, client, proxy.port(), "/"));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(new JsonObject(reply.body()).getString("detail"))
                .isEqualTo("service default/web has no ready endpoint that accepts connections (2 refused)");
    }

    /** Requests (or connections) the proxy ever routed to {@code endpoint}, connect attempts included. */
    static long routed(ServiceProxy proxy, Endpoint endpoint) {
        return proxy.endpoints().stream().filter(s -> s.endpoint().equals(endpoint)).mapToLong(EndpointStatus::routed).sum();
    }

    @Test
    void anEndpointThatRefusedIsEjectedSoTheNextRequestsGoStraightToTheOthers() {
        HttpBackend live = HttpBackend.start(vertx, "web-live");
        Endpoint dead = RefusedPort.endpoint("web-dead", "r1");
        ServiceProxy proxy = start(ServiceProxyConfig.http(WEB, 0).withEjectionTime(Duration.ofMinutes(1)), dead, live.endpoint("r1"));

        for (int i = 0; i < 20; i++) {
            assertThat(Await.result(Reply.get(vertx, client, proxy.port(), "/r/" + i)).ok()).isTrue();
        }

        // one refused connect, then round robin passes it over for the ejection time instead of every other request
        assertThat(routed(proxy, dead)).isEqualTo(1);
        assertThat(live.received()).isEqualTo(20);
    }

    @Test
    void connectAttemptsPerRequestAreBounded() {
        List<Endpoint> refusing = IntStream.range(0, 5).mapToObj(i -> RefusedPort.endpoint("web-" + i, "r1")).toList();
        ServiceProxy proxy = start(refusing.toArray(Endpoint[]::new));

        Reply reply = Await.result(Reply.get(vertx, client, proxy.port(), "/"));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(new JsonObject(reply.body()).getString("detail"))
                .isEqualTo("service default/web has no ready endpoint that accepts connections (3 refused)");
        assertThat(refusing.stream().mapToLong(e -> routed(proxy, e)).sum()).isEqualTo(ServiceProxyConfig.DEFAULT_CONNECT_ATTEMPTS);
    }

    @Test
    void anEjectedEndpointIsStillTriedWhenNoOtherIsLeft() {
        Endpoint comingBack = RefusedPort.endpoint("web-0", "r1");
        ServiceProxy proxy = start(ServiceProxyConfig.http(WEB, 0).withEjectionTime(Duration.ofMinutes(1)), comingBack);
        assertThat(Await.result(Reply.get(vertx, client, proxy.port(), "/")).status()).isEqualTo(503);

        RefusedPort.release(comingBack);
        HttpBackend.start(vertx, "web-0", comingBack.port());

        // ejected for another minute, but a panicking proxy tries it rather than refuse the request (Envoy's panic threshold)
        Reply reply = Await.result(Reply.get(vertx, client, proxy.port(), "/"));
        assertThat(reply.ok()).isTrue();
        assertThat(reply.replica()).isEqualTo("web-0");
    }

    @Test
    void aPostThatReachedADyingReplicaIsAnswered502AndNeverSentAgain() {
        HttpBackend dying = HttpBackend.start(vertx, "web-dying").die();
        HttpBackend healthy = HttpBackend.start(vertx, "web-healthy");
        ServiceProxy proxy = start(dying.endpoint("r1"), healthy.endpoint("r1"));

        List<Reply> replies = List.of(Await.result(Reply.send(vertx, client, HttpMethod.POST, proxy.port(), "/orders")),
                Await.result(Reply.send(vertx, client, HttpMethod.POST, proxy.port(), "/orders")));

        // the replica read the POST and closed the connection: it may have acted on it, so the proxy must not resend it
        assertThat(replies).extracting(Reply::status).containsExactlyInAnyOrder(200, 502);
        assertThat(dying.received()).isEqualTo(1);
        assertThat(healthy.received()).isEqualTo(1);
    }

    @Test
    void namesTheReplicaAndRevisionThatAnsweredAndKeepsTheClientsHost() {
        HttpBackend a = HttpBackend.start(vertx, "web-7d9f-x1");
        ServiceProxy proxy = start(a.endpoint("7d9f"));

        Reply reply = Await.result(Reply.get(vertx, client, proxy.port(), "/"));

        assertThat(reply.replica()).isEqualTo("web-7d9f-x1");
        assertThat(reply.revision()).isEqualTo("7d9f");
        assertThat(reply.body()).isEqualTo("web-7d9f-x1");
        assertThat(a.hosts()).containsExactly("127.0.0.1:" + proxy.port());
    }

    @Test
    void weightsSplitTrafficByRevisionThenEvenlyWithinIt() {
        HttpBackend stable1 = HttpBackend.start(vertx, "stable-1");
        HttpBackend stable2 = HttpBackend.start(vertx, "stable-2");
        HttpBackend canary = HttpBackend.start(vertx, "canary-1");
        ServiceProxy proxy = start();
        proxy.update(List.of(stable1.endpoint("stable"), stable2.endpoint("stable"), canary.endpoint("canary")),
                TrafficSplit.of("stable", 90, "canary", 10));

        List<Reply> replies = send(proxy, 2000);

        assertThat(replies).allMatch(Reply::ok);
        Map<String, Long> byRevision = replies.stream().collect(Collectors.groupingBy(Reply::revision, Collectors.counting()));
        // Tolerance ±2% of all requests; smooth weighted round-robin is in fact exact.
        assertThat(byRevision.get("canary")).isBetween(160L, 240L);
        assertThat(byRevision.get("stable")).isBetween(1760L, 1840L);
        assertThat(Math.abs(stable1.received() - stable2.received())).isLessThanOrEqualTo(20);
    }

    @Test
    void withoutWeightsEveryEndpointIsEqualWhateverItsRevision() {
        HttpBackend old1 = HttpBackend.start(vertx, "old-1");
        HttpBackend old2 = HttpBackend.start(vertx, "old-2");
        HttpBackend next = HttpBackend.start(vertx, "new-1");
        ServiceProxy proxy = start(old1.endpoint("old"), old2.endpoint("old"), next.endpoint("new"));

        Map<String, Long> byRevision = send(proxy, 300).stream()
                .collect(Collectors.groupingBy(Reply::revision, Collectors.counting()));

        assertThat(byRevision).containsOnly(Map.entry("old", 200L), Map.entry("new", 100L));
    }

    @Test
    void updateSwapsTheEndpointSet() {
        HttpBackend a = HttpBackend.start(vertx, "web-a");
        HttpBackend b = HttpBackend.start(vertx, "web-b");
        ServiceProxy proxy = start(a.endpoint("r1"));
        assertThat(byReplica(send(proxy, 10))).containsOnly(Map.entry("web-a", 10L));

        proxy.update(List.of(b.endpoint("r2")));

        assertThat(byReplica(send(proxy, 10))).containsOnly(Map.entry("web-b", 10L));
        // the removed endpoint drains on its own (its pooled connections closed asynchronously), then is forgotten
        assertThat(proxy.endpoints()).filteredOn(s -> !s.draining()).extracting(EndpointStatus::endpoint).containsExactly(b.endpoint("r2"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(proxy.endpoints()).extracting(EndpointStatus::endpoint).containsExactly(b.endpoint("r2")));
    }

    @Test
    void countsRequestsInMicrometerAndInMemory() {
        HttpBackend a = HttpBackend.start(vertx, "web-a");
        HttpBackend b = HttpBackend.start(vertx, "web-b");
        ServiceProxy proxy = start(a.endpoint("r1"), b.endpoint("r2"));

        send(proxy, 10);
        proxy.update(List.of());
        send(proxy, 3);

        Function<String, Double> ok = revision -> meters.get("berth.proxy.requests")
                .tags("namespace", "default", "service", "web", "revision", revision, "code", "2xx").counter().count();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(ok.apply("r1")).isEqualTo(5.0);
            assertThat(ok.apply("r2")).isEqualTo(5.0);
            assertThat(meters.get("berth.proxy.requests").tags("revision", "none", "code", "5xx").counter().count()).isEqualTo(3.0);
        });
        assertThat(meters.get("berth.proxy.requests").tags("revision", "r1", "code", "5xx").counter().count()).isZero();
        assertThat(meters.get("berth.proxy.request.duration").tags("namespace", "default", "service", "web", "revision", "r1").timer().count()).isEqualTo(5);
        assertThat(meters.get("berth.proxy.endpoints").tags("namespace", "default", "service", "web").gauge().value()).isZero();
        assertThat(proxy.requestStats()).containsOnly(
                Map.entry("r1", new RequestStats(5, 0)),
                Map.entry("r2", new RequestStats(5, 0)),
                Map.entry("none", new RequestStats(3, 3)));

        proxy.update(List.of(a.endpoint("r1"), b.endpoint("r2")));
        assertThat(meters.get("berth.proxy.endpoints").gauge().value()).isEqualTo(2.0);

        Await.result(proxy.close());
        assertThat(meters.find("berth.proxy.requests").meters()).isEmpty();
        assertThat(meters.find("berth.proxy.endpoints").meters()).isEmpty();
    }

    @Test
    void servesOnSeveralEventLoopsAndEveryListenerGetsItsOwnEphemeralPort() {
        HttpBackend a = HttpBackend.start(vertx, "web-a");
        ServiceProxy one = start(ServiceProxyConfig.http(WEB, 0).withEventLoops(3), a.endpoint("r1"));
        ServiceProxy other = start(ServiceProxyConfig.http(new ObjectKey(ResourceKind.SERVICE, "default", "other"), 0)
                .withEventLoops(3), a.endpoint("r1"));

        assertThat(one.port()).isNotEqualTo(other.port());
        assertThat(send(one, 300)).allMatch(Reply::ok);
        assertThat(send(other, 30)).allMatch(Reply::ok);
        assertThat(a.received()).isEqualTo(330);
    }

    @Test
    void refusesAFixedPortThatAnotherServerOfTheSameVertxHolds() {
        // Vert.x would share the port with that server (splitting its connections) rather than fail.
        int port = RefusedPort.next();
        ServiceProxy first = start(ServiceProxyConfig.http(WEB, port));
        ObjectKey other = new ObjectKey(ResourceKind.SERVICE, "default", "other");
        int corePort = Await.result(vertx.createHttpServer().requestHandler(r -> r.response().end("core"))
                .listen(0, "127.0.0.1")).actualPort();

        assertThatThrownBy(() -> Await.result(ServiceProxy.start(vertx, meters, ServiceProxyConfig.http(other, port))))
                .hasRootCauseMessage("Address already in use: 127.0.0.1:" + port);
        assertThatThrownBy(() -> Await.result(ServiceProxy.start(vertx, meters, ServiceProxyConfig.tcp(other, corePort))))
                .hasRootCauseMessage("Address already in use: 127.0.0.1:" + corePort);

        Await.result(first.close());
        // closing releases the port; it is an ephemeral one, which an outgoing connection of this machine may hold a
        // moment after (seen in CI: "Address already in use" right after the close), so binding it is retried briefly
        ServiceProxy again = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .ignoreExceptionsInstanceOf(AssertionError.class).until(() -> start(ServiceProxyConfig.http(other, port)), p -> p != null);
        assertThat(again.port()).as("closing releases the port").isEqualTo(port);
    }

    @Test
    void bindsTheGivenPortAndFailsCleanlyWhenItIsTaken() {
        ServiceProxy first = start();
        int port = first.port();
        assertThat(port).isPositive();

        Future<ServiceProxy> second = ServiceProxy.start(vertx, meters, ServiceProxyConfig.http(
                new ObjectKey(ResourceKind.SERVICE, "default", "other"), port));

        assertThatThrownBy(() -> Await.result(second)).isInstanceOf(AssertionError.class);
        assertThat(meters.find("berth.proxy.endpoints").tags("namespace", "default", "service", "other").meters()).isEmpty();
    }
}
