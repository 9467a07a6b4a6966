package dev.berth.platform.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceProxiesTest {

    static final ObjectKey ORDERS = new ObjectKey(ResourceKind.SERVICE, "shop", "orders");
    static final ObjectKey POSTGRES = new ObjectKey(ResourceKind.SERVICE, "shop", "postgres");

    Vertx vertx;
    SimpleMeterRegistry meters;
    ServiceProxies proxies;
    HttpClient client;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        meters = new SimpleMeterRegistry();
        proxies = new ServiceProxies(vertx, meters);
        client = vertx.createHttpClient();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void createsUpdatesAndRemovesProxiesByServiceKey() {
        HttpBackend orders = HttpBackend.start(vertx, "orders-1");
        Await.result(proxies.create(ServiceProxyConfig.http(ORDERS, 0)));
        Await.result(proxies.create(ServiceProxyConfig.tcp(POSTGRES, 0)));
        int port = proxies.port(ORDERS).orElseThrow();

        proxies.update(ORDERS, List.of(orders.endpoint("r1")));

        assertThat(Await.result(Reply.get(vertx, client, port, "/")).replica()).isEqualTo("orders-1");
        assertThat(proxies.get(POSTGRES).orElseThrow().config().mode()).isEqualTo(ProxyMode.TCP);
        assertThat(proxies.all()).hasSize(2);

        Await.result(proxies.remove(ORDERS));

        assertThat(proxies.get(ORDERS)).isEmpty();
        assertThat(proxies.port(ORDERS)).isEmpty();
        assertThat(Await.result(Reply.get(vertx, client, port, "/")).error()).as("listener closed").isNotNull();
        assertThat(Await.result(proxies.remove(ORDERS))).isNull(); // idempotent
        assertThat(meters.find("berth.proxy.endpoints").tag("service", "shop/orders").meters()).isEmpty();
    }

    @Test
    void aServiceHasOneProxy() {
        Await.result(proxies.create(ServiceProxyConfig.http(ORDERS, 0)));

        assertThatThrownBy(() -> Await.result(proxies.create(ServiceProxyConfig.http(ORDERS, 0))))
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("service shop/orders already has a proxy");
        assertThatThrownBy(() -> proxies.update(POSTGRES, List.of())).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void aFailedCreateLeavesTheKeyFree() {
        int taken = Await.result(proxies.create(ServiceProxyConfig.http(ORDERS, 0))).port();

        assertThatThrownBy(() -> Await.result(proxies.create(ServiceProxyConfig.http(POSTGRES, taken))));

        assertThat(proxies.get(POSTGRES)).isEmpty();
        assertThat(Await.result(proxies.create(ServiceProxyConfig.tcp(POSTGRES, 0))).port()).isPositive();
    }

    @Test
    void closeClosesEveryProxyAndRefusesNewOnes() {
        int port = Await.result(proxies.create(ServiceProxyConfig.http(ORDERS, 0))).port();

        Await.result(proxies.close());

        assertThat(proxies.all()).isEmpty();
        assertThat(Await.result(Reply.get(vertx, client, port, "/")).error()).isNotNull();
        assertThatThrownBy(() -> Await.result(proxies.create(ServiceProxyConfig.http(ORDERS, 0))))
                .hasRootCauseMessage("service proxies are closed");
    }
}
