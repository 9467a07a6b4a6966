package dev.berth.platform.proxy.bench;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.proxy.Endpoint;
import dev.berth.platform.proxy.ServiceProxy;
import dev.berth.platform.proxy.ServiceProxyConfig;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What ci/bench-proxy.sh measures: one backend replica answering a small fixed body, and a Service
 * proxy in front of it, both on 127.0.0.1. Prints {@code backend=PORT proxy=PORT} once both listen and
 * runs until killed.
 *
 * <p>Arguments (all optional): backend event loops (default 1, like a small replica), proxy event
 * loops (default the proxy's), proxy pool size per endpoint (default the proxy's). The proxy records
 * into a Prometheus registry, as in the core.
 */
public final class ProxyBench {

    private static final Buffer BODY = Buffer.buffer("{\"status\":\"UP\"}");

    private ProxyBench() {
    }

    public static void main(String[] args) throws Exception {
        int backendLoops = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int proxyLoops = args.length > 1 ? Integer.parseInt(args[1]) : ServiceProxyConfig.DEFAULT_EVENT_LOOPS;
        int poolSize = args.length > 2 ? Integer.parseInt(args[2]) : ServiceProxyConfig.DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT;
        Vertx vertx = Vertx.vertx();
        int backendPort = freePort();
        vertx.deployVerticle(() -> new Backend(backendPort), new DeploymentOptions().setInstances(backendLoops))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        ServiceProxyConfig config = ServiceProxyConfig.http(new ObjectKey(ResourceKind.SERVICE, "bench", "backend"), 0)
                .withEventLoops(proxyLoops)
                .withMaxConnectionsPerEndpoint(poolSize);
        ServiceProxy proxy = ServiceProxy.start(vertx, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), config)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        proxy.update(List.of(new Endpoint("backend-0", "127.0.0.1", backendPort, "bench")));

        System.out.println("backend=" + backendPort + " proxy=" + proxy.port());
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
    }

    /** A replica's trivial endpoint: a fixed 15-byte JSON body. */
    static final class Backend extends AbstractVerticle {
        private final int port;

        Backend(int port) {
            this.port = port;
        }

        @Override
        public void start(Promise<Void> started) {
            vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                    .requestHandler(request -> request.response().putHeader("content-type", "application/json").end(BODY))
                    .listen()
                    .<Void>mapEmpty()
                    .onComplete(started);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
