package dev.berth.platform.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Draining HTTP endpoints: what the core does before it stops a replica. */
class HttpDrainTest {

    Vertx vertx;
    HttpClient client;
    ServiceProxy proxy;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(300));
        proxy = Await.result(ServiceProxy.start(vertx, new SimpleMeterRegistry(),
                ServiceProxyConfig.http(HttpServiceProxyTest.WEB, 0)));
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    EndpointStatus status(Endpoint endpoint) {
        return proxy.endpoints().stream().filter(s -> s.endpoint().equals(endpoint)).findFirst().orElseThrow();
    }

    @Test
    void drainingUnderSteadyLoadLosesNoRequestAndRoutesNothingNewToTheDrainedEndpoint() {
        HttpBackend stays = HttpBackend.start(vertx, "web-stays").delay(5);
        HttpBackend leaves = HttpBackend.start(vertx, "web-leaves").delay(20);
        proxy.update(List.of(stays.endpoint("r1"), leaves.endpoint("r1")));
        SteadyLoad load = SteadyLoad.start(vertx, client, proxy.port(), 300, 50_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaves.received() >= 300);

        Future<Void> drained = proxy.drain(leaves.endpoint("r1"), Duration.ofSeconds(10));
        EndpointStatus atDrain = status(leaves.endpoint("r1"));

        assertThat(atDrain.draining()).isTrue();
        assertThat(atDrain.inFlight()).as("requests in flight through the endpoint when draining began").isPositive();
        await().atMost(Duration.ofSeconds(10)).until(drained::isComplete);
        assertThat(drained.succeeded()).isTrue();
        // Its pooled keep-alive connections are closed, so the replica can stop with nothing open.
        await().atMost(Duration.ofSeconds(5)).until(() -> leaves.openConnections() == 0);
        leaves.close(); // what SIGTERM does to the replica
        int completedAtStop = load.completed();
        await().atMost(Duration.ofSeconds(20)).until(() -> load.completed() >= completedAtStop + 1_000);
        Await.result(load.stop());

        assertThat(load.failures()).isEmpty();
        // routed froze when drain() returned, and the replica received exactly those requests.
        assertThat(leaves.received()).isEqualTo(atDrain.routed());
        assertThat(proxy.endpoints()).extracting(EndpointStatus::endpoint).containsExactly(stays.endpoint("r1"));
    }

    @Test
    void drainOfAnIdleEndpointClosesItsPooledConnectionsAtOnce() {
        HttpBackend a = HttpBackend.start(vertx, "web-a");
        HttpBackend b = HttpBackend.start(vertx, "web-b");
        proxy.update(List.of(a.endpoint("r1"), b.endpoint("r1")));
        Await.result(Future.all(IntStream.range(0, 20).mapToObj(i -> Reply.get(vertx, client, proxy.port(), "/")).toList()));
        assertThat(b.openConnections()).isPositive();

        Await.result(proxy.drain(b.endpoint("r1"), Duration.ofSeconds(10)));

        await().atMost(Duration.ofSeconds(5)).until(() -> b.openConnections() == 0);
        assertThat(a.openConnections()).isPositive();
    }

    @Test
    void drainThatTimesOutClosesWhatIsStillInFlight() {
        HttpBackend stuck = HttpBackend.start(vertx, "web-stuck").hold();
        proxy.update(List.of(stuck.endpoint("r1")));
        Future<Reply> reply = Reply.get(vertx, client, proxy.port(), "/");
        await().atMost(Duration.ofSeconds(5)).until(() -> stuck.heldCount() == 1);

        Future<Void> drained = proxy.drain(stuck.endpoint("r1"), Duration.ofMillis(200));

        Await.result(drained);
        assertThat(Await.result(reply).status()).isEqualTo(502);
        await().atMost(Duration.ofSeconds(5)).until(() -> stuck.openConnections() == 0);
    }

    @Test
    void drainIsIdempotentAndUnknownEndpointsCompleteAtOnce() {
        HttpBackend slow = HttpBackend.start(vertx, "web-slow").hold();
        proxy.update(List.of(slow.endpoint("r1")));
        Future<Reply> reply = Reply.get(vertx, client, proxy.port(), "/");
        await().atMost(Duration.ofSeconds(5)).until(() -> slow.heldCount() == 1);

        Future<Void> first = proxy.drain(slow.endpoint("r1"), Duration.ofSeconds(10));
        Future<Void> second = proxy.drain(slow.endpoint("r1"), Duration.ofSeconds(10));

        assertThat(second).isSameAs(first);
        assertThat(first.isComplete()).isFalse();
        assertThat(Await.result(proxy.drain(RefusedPort.endpoint("web-unknown", "r1"), Duration.ofSeconds(10)))).isNull();
        slow.releaseHeld();
        assertThat(Await.result(reply).ok()).isTrue();
        Await.result(first);
    }

    @Test
    void drainedEndpointStaysOutWhileStillListedAndReturnsOnlyAfterLeavingTheList() {
        HttpBackend a = HttpBackend.start(vertx, "web-a");
        HttpBackend b = HttpBackend.start(vertx, "web-b");
        proxy.update(List.of(a.endpoint("r1"), b.endpoint("r1")));
        Await.result(proxy.drain(b.endpoint("r1"), Duration.ofSeconds(10)));

        // The endpoint list still has b (its readiness has not failed yet): it stays out.
        proxy.update(List.of(a.endpoint("r1"), b.endpoint("r1")));
        Await.result(Future.all(IntStream.range(0, 10).mapToObj(i -> Reply.get(vertx, client, proxy.port(), "/")).toList()));
        assertThat(b.received()).isZero();

        proxy.update(List.of(a.endpoint("r1")));
        proxy.update(List.of(a.endpoint("r1"), b.endpoint("r1")));
        Await.result(Future.all(IntStream.range(0, 10).mapToObj(i -> Reply.get(vertx, client, proxy.port(), "/")).toList()));
        assertThat(b.received()).isEqualTo(5);
    }

    @Test
    void endpointLeftOutOfAnUpdateFinishesItsInFlightRequests() {
        HttpBackend a = HttpBackend.start(vertx, "web-a");
        HttpBackend b = HttpBackend.start(vertx, "web-b").hold();
        proxy.update(List.of(b.endpoint("r1")));
        Future<Reply> inFlight = Reply.get(vertx, client, proxy.port(), "/");
        await().atMost(Duration.ofSeconds(5)).until(() -> b.heldCount() == 1);

        proxy.update(List.of(a.endpoint("r1")));
        Reply afterUpdate = Await.result(Reply.get(vertx, client, proxy.port(), "/"));
        b.releaseHeld();

        assertThat(afterUpdate.replica()).isEqualTo("web-a");
        Reply finished = Await.result(inFlight);
        assertThat(finished.ok()).isTrue();
        assertThat(finished.replica()).isEqualTo("web-b");
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.endpoints().size() == 1 && b.openConnections() == 0);
    }
}
