package dev.berth.platform.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.jboss.logging.Logger;

/**
 * A TCP Service (PostgreSQL): each inbound connection is piped, both ways, to one endpoint picked by
 * the strategy; when the endpoint refuses, another one is tried ({@link ConnectFailureRetry}: none of the client's
 * bytes was forwarded yet, they wait in the paused inbound socket until the endpoint's connection is open).
 */
final class TcpServiceProxy extends ServiceProxy {

    private static final Logger LOG = Logger.getLogger(TcpServiceProxy.class);

    private final Listener listener;
    private final NetClient client;

    private TcpServiceProxy(ServiceProxyConfig config, EndpointTable<TcpUpstream> table, ProxyMetrics metrics,
                            Listener listener, NetClient client) {
        super(config, table, metrics);
        this.listener = listener;
        this.client = client;
    }

    static Future<ServiceProxy> bind(Vertx vertx, MeterRegistry meters, ServiceProxyConfig config) {
        EndpointTable<TcpUpstream> table = new EndpointTable<>(endpoint -> new TcpUpstream(vertx, endpoint),
                config.strategy(), config.removalDrainTimeout());
        ProxyMetrics metrics = new ProxyMetrics(meters, config.service(), ProxyMode.TCP, table::inRotation);
        NetClient client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setTcpNoDelay(true));
        ConnectFailureRetry<TcpUpstream, NetSocket> retry = new ConnectFailureRetry<>(table,
                upstream -> client.connect(upstream.endpoint().port(), upstream.endpoint().host()), config);
        return Listener.start(vertx, config.bindHost(), config.port(), config.eventLoops(), port -> vertx
                        .createNetServer(new NetServerOptions()
                                .setHost(config.bindHost())
                                .setPort(port)
                                .setTcpNoDelay(true))
                        .connectHandler(inbound -> accept(inbound, retry, metrics, config.serviceName()))
                        .listen()
                        .map(NetServer::actualPort))
                .<ServiceProxy>map(listener -> new TcpServiceProxy(config, table, metrics, listener, client))
                .onFailure(error -> {
                    client.close();
                    metrics.close();
                });
    }

    @Override
    public int port() {
        return listener.port();
    }

    @Override
    Future<Void> stopListening() {
        return listener.close().eventually(() -> client.close());
    }

    private static void accept(NetSocket inbound, ConnectFailureRetry<TcpUpstream, NetSocket> retry,
                               ProxyMetrics metrics, String service) {
        inbound.pause();
        PipedConnection connection = new PipedConnection(inbound);
        inbound.closeHandler(v -> connection.close());
        retry.connect().onComplete(connected -> {
            if (connected.failed()) {
                LOG.debugf("service %s: closing a connection from %s: %s",
                        service, inbound.remoteAddress(), connected.cause().getMessage());
                metrics.connection(ProxyMetrics.NO_REVISION);
                inbound.close();
                return;
            }
            metrics.connection(connected.result().upstream().endpoint().revision());
            connection.attach(connected.result().upstream(), connected.result().connection());
        });
    }

    /**
     * One inbound connection and, once connected, its endpoint connection. Whichever side closes
     * first closes the other and releases the endpoint, once. Thread-safe.
     */
    private static final class PipedConnection {
        private final NetSocket inbound;
        private TcpUpstream upstream; // guarded by this
        private NetSocket outbound;   // guarded by this
        private boolean closed;       // guarded by this

        PipedConnection(NetSocket inbound) {
            this.inbound = inbound;
        }

        void attach(TcpUpstream upstream, NetSocket outbound) {
            boolean clientLeft;
            synchronized (this) {
                clientLeft = closed;
                if (!clientLeft) {
                    this.upstream = upstream;
                    this.outbound = outbound;
                    upstream.track(inbound, outbound);
                }
            }
            if (clientLeft) {
                outbound.close();
                upstream.release();
                return;
            }
            outbound.closeHandler(v -> close());
            // pipeTo ends (closes) the destination when the source ends, and handles back-pressure.
            inbound.pipeTo(outbound);
            outbound.pipeTo(inbound);
        }

        void close() {
            TcpUpstream endpoint;
            NetSocket other;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                endpoint = upstream;
                other = outbound;
            }
            inbound.close();
            if (endpoint != null) {
                other.close();
                endpoint.untrack(inbound, other);
                endpoint.release();
            }
        }
    }
}
