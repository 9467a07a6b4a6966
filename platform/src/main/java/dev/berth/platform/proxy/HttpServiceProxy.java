package dev.berth.platform.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;

/** An HTTP Service: a Vert.x HTTP server whose requests go through vertx-http-proxy to the endpoints. */
final class HttpServiceProxy extends ServiceProxy {

    private final Listener listener;
    private final HttpClient unusedClient;

    private HttpServiceProxy(ServiceProxyConfig config, EndpointTable<HttpUpstream> table, ProxyMetrics metrics,
                             Listener listener, HttpClient unusedClient) {
        super(config, table, metrics);
        this.listener = listener;
        this.unusedClient = unusedClient;
    }

    static Future<ServiceProxy> bind(Vertx vertx, MeterRegistry meters, ServiceProxyConfig config) {
        EndpointTable<HttpUpstream> table = new EndpointTable<>(endpoint -> new HttpUpstream(vertx, endpoint, config),
                config.strategy(), config.removalDrainTimeout());
        ProxyMetrics metrics = new ProxyMetrics(meters, config.service(), ProxyMode.HTTP, table::inRotation);
        // vertx-http-proxy insists on a client, but EndpointOrigin sends through each endpoint's own pool
        // (so draining closes exactly that endpoint's connections): this one never connects.
        HttpClient unusedClient = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(1));
        HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(false), unusedClient)
                .origin(new EndpointOrigin(table, config))
                .addInterceptor(new ExchangeInterceptor(metrics));
        return Listener.start(vertx, config.bindHost(), config.port(), config.eventLoops(), port -> vertx
                        .createHttpServer(new HttpServerOptions()
                                .setHost(config.bindHost())
                                .setPort(port)
                                .setTcpNoDelay(true))
                        .requestHandler(proxy)
                        .listen()
                        .map(HttpServer::actualPort))
                .<ServiceProxy>map(listener -> new HttpServiceProxy(config, table, metrics, listener, unusedClient))
                .onFailure(error -> {
                    unusedClient.close();
                    metrics.close();
                });
    }

    @Override
    public int port() {
        return listener.port();
    }

    @Override
    Future<Void> stopListening() {
        return listener.close().eventually(() -> unusedClient.close());
    }
}
