package dev.berth.platform.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TCP Service proxying (PostgreSQL's mode) against real echo servers on 127.0.0.1. */
class TcpServiceProxyTest {

    static final ObjectKey POSTGRES = new ObjectKey(ResourceKind.SERVICE, "default", "postgres");
    static final Duration WAIT = Duration.ofSeconds(5);

    Vertx vertx;
    SimpleMeterRegistry meters;
    NetClient net;
    ServiceProxy proxy;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        meters = new SimpleMeterRegistry();
        net = vertx.createNetClient();
        proxy = Await.result(ServiceProxy.start(vertx, meters, ServiceProxyConfig.tcp(POSTGRES, 0)));
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    TcpClient connect() {
        return TcpClient.connect(vertx, net, proxy.port());
    }

    static void assertEchoes(TcpClient client, String text) {
        int before = client.receivedBytes();
        client.send(text);
        await().atMost(WAIT).until(() -> client.receivedBytes() >= before + text.length());
        assertThat(client.received().substring(before)).isEqualTo(text);
    }

    @Test
    void pipesBothDirectionsIncludingLargePayloads() {
        EchoBackend db = EchoBackend.start(vertx, "postgres-0");
        proxy.update(List.of(db.endpoint("r1")));
        TcpClient client = connect();

        assertEchoes(client, "SELECT 1;\n");
        byte[] payload = new byte[4 * 1024 * 1024];
        new Random(7).nextBytes(payload);
        int before = client.receivedBytes();
        client.send(Buffer.buffer(payload));
        await().atMost(Duration.ofSeconds(20)).until(() -> client.receivedBytes() == before + payload.length);

        assertThat(client.receivedBuffer().getBytes(before, before + payload.length)).isEqualTo(payload);
        assertThat(db.accepted()).isEqualTo(1);
    }

    @Test
    void spreadsConnectionsRoundRobinAndSwitchesEndpointsOnUpdate() {
        EchoBackend first = EchoBackend.start(vertx, "postgres-0");
        EchoBackend second = EchoBackend.start(vertx, "postgres-1");
        proxy.update(List.of(first.endpoint("r1"), second.endpoint("r1")));

        List<TcpClient> clients = List.of(connect(), connect(), connect(), connect());
        clients.forEach(c -> assertEchoes(c, "ping"));
        assertThat(first.accepted()).isEqualTo(2);
        assertThat(second.accepted()).isEqualTo(2);

        proxy.update(List.of(second.endpoint("r1")));
        TcpClient afterSwitch = connect();
        assertEchoes(afterSwitch, "pong");

        assertThat(second.accepted()).isEqualTo(3);
        assertThat(first.accepted()).isEqualTo(2);
        // Connections already open to the removed endpoint go on working while it drains.
        clients.forEach(c -> assertEchoes(c, "still there"));
    }

    @Test
    void endpointThatRefusesConnectionsIsSkipped() {
        EchoBackend db = EchoBackend.start(vertx, "postgres-1");
        proxy.update(List.of(RefusedPort.endpoint("postgres-0", "r1"), db.endpoint("r1")));

        for (int i = 0; i < 6; i++) {
            assertEchoes(connect(), "hello " + i);
        }

        assertThat(db.accepted()).isEqualTo(6);
    }

    @Test
    void anEndpointThatRefusedIsEjectedSoTheNextConnectionsGoStraightToTheOthers() {
        Await.result(proxy.close());
        proxy = Await.result(ServiceProxy.start(vertx, meters, ServiceProxyConfig.tcp(POSTGRES, 0).withEjectionTime(Duration.ofMinutes(1))));
        EchoBackend db = EchoBackend.start(vertx, "postgres-1");
        Endpoint dead = RefusedPort.endpoint("postgres-0", "r1");
        proxy.update(List.of(dead, db.endpoint("r1")));

        for (int i = 0; i < 6; i++) {
            assertEchoes(connect(), "hello " + i);
        }

        assertThat(proxy.endpoints()).filteredOn(s -> s.endpoint().equals(dead)).extracting(EndpointStatus::routed).containsExactly(1L);
        assertThat(db.accepted()).isEqualTo(6);
    }

    @Test
    void closingEitherSideClosesTheOther() {
        EchoBackend db = EchoBackend.start(vertx, "postgres-0");
        proxy.update(List.of(db.endpoint("r1")));

        TcpClient leaving = connect();
        assertEchoes(leaving, "bye");
        leaving.close();
        await().atMost(WAIT).until(() -> db.open() == 0);

        TcpClient abandoned = connect();
        assertEchoes(abandoned, "hi");
        db.closeConnections();
        await().atMost(WAIT).until(abandoned::closed);
        await().atMost(WAIT).until(() -> proxy.endpoints().get(0).inFlight() == 0);
    }

    @Test
    void drainSendsNewConnectionsElsewhereAndLetsOpenOnesFinish() {
        EchoBackend old = EchoBackend.start(vertx, "postgres-0");
        EchoBackend next = EchoBackend.start(vertx, "postgres-1");
        proxy.update(List.of(old.endpoint("r1")));
        TcpClient open = connect();
        assertEchoes(open, "BEGIN;");
        proxy.update(List.of(old.endpoint("r1"), next.endpoint("r2")));

        Future<Void> drained = proxy.drain(old.endpoint("r1"), Duration.ofSeconds(10));

        for (int i = 0; i < 3; i++) {
            assertEchoes(connect(), "new " + i);
        }
        assertThat(next.accepted()).isEqualTo(3);
        assertThat(old.accepted()).isEqualTo(1);
        assertEchoes(open, "COMMIT;");
        assertThat(drained.isComplete()).isFalse();

        open.close();
        await().atMost(WAIT).until(drained::isComplete);
    }

    @Test
    void drainThatTimesOutClosesOpenConnections() {
        EchoBackend db = EchoBackend.start(vertx, "postgres-0");
        proxy.update(List.of(db.endpoint("r1")));
        TcpClient pooled = connect(); // a JDBC pool never closes its connections by itself
        assertEchoes(pooled, "SELECT 1;");

        Await.result(proxy.drain(db.endpoint("r1"), Duration.ofMillis(200)));

        await().atMost(WAIT).until(() -> pooled.closed() && db.open() == 0);
    }

    @Test
    void withoutEndpointsConnectionsAreClosedAndCounted() {
        TcpClient client = connect();

        await().atMost(WAIT).until(client::closed);
        assertThat(proxy.requestStats()).containsExactly(Map.entry("none", new RequestStats(1, 1)));
        assertThat(meters.get("berth.proxy.connections").tags("namespace", "default", "service", "postgres", "revision", "none")
                .counter().count()).isEqualTo(1.0);
    }
}
