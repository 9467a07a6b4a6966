package dev.berth.platform.proxy.bench;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.proxy.Endpoint;
import dev.berth.platform.proxy.ProxyMode;
import dev.berth.platform.proxy.ServiceProxy;
import dev.berth.platform.proxy.ServiceProxyConfig;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What ci/bench-proxy.sh measures, one role per JVM so each process's CPU can be read on its own:
 * <ul>
 *   <li>{@code backend [eventLoops]}: a replica answering a small fixed body (default 1 event loop, a small replica);
 *   <li>{@code proxy BACKEND_PORT http|tcp nio|epoll [eventLoops] [poolSize]}: a Service proxy in front of it, per
 *       request (HTTP) or per connection (TCP), on the JDK's NIO or Netty's native epoll transport; it records into a
 *       Prometheus registry, as in the core.
 * </ul>
 * Each prints {@code port=PORT} once it listens, then runs until killed; everything is on 127.0.0.1.
 */
public final class ProxyBench {

    private static final Buffer BODY = Buffer.buffer("{\"status\":\"UP\"}");

    private ProxyBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("backend")) {
            int loops = args.length > 1 ? Integer.parseInt(args[1]) : 1;
            Vertx vertx = Vertx.vertx();
            int port = freePort();
            vertx.deployVerticle(() -> new Backend(port), new DeploymentOptions().setInstances(loops))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            ready(port);
        } else if (args.length >= 4 && args[0].equals("proxy")) {
            int backendPort = Integer.parseInt(args[1]);
            ProxyMode mode = ProxyMode.valueOf(args[2].toUpperCase(Locale.ROOT));
            boolean epoll = switch (args[3]) {
                case "epoll" -> true;
                case "nio" -> false;
                default -> throw new IllegalArgumentException("transport must be nio or epoll, not " + args[3]);
            };
            int loops = args.length > 4 ? Integer.parseInt(args[4]) : ServiceProxyConfig.DEFAULT_EVENT_LOOPS;
            int poolSize = args.length > 5 ? Integer.parseInt(args[5]) : ServiceProxyConfig.DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT;
            Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(epoll));
            if (epoll && !vertx.isNativeTransportEnabled()) {
                throw new IllegalStateException("native transport unavailable", vertx.unavailableNativeTransportCause());
            }
            ServiceProxyConfig config = ServiceProxyConfig.http(new ObjectKey(ResourceKind.SERVICE, "bench", "backend"), 0)
                    .withMode(mode)
                    .withEventLoops(loops)
                    .withMaxConnectionsPerEndpoint(poolSize);
            ServiceProxy proxy = ServiceProxy.start(vertx, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), config)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            proxy.update(List.of(new Endpoint("backend-0", "127.0.0.1", backendPort, "bench")));
            ready(proxy.port());
        } else {
            throw new IllegalArgumentException("usage: ProxyBench backend [eventLoops] | proxy BACKEND_PORT http|tcp nio|epoll [eventLoops] [poolSize]");
        }
    }

    private static void ready(int port) throws InterruptedException {
        System.out.println("port=" + port);
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
