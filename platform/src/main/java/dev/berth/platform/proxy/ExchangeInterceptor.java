package dev.berth.platform.proxy;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;

/**
 * Wraps every proxied request: opens its {@link Exchange}, answers 503 problem+json when no endpoint
 * can take it, names the replica that answered ({@code X-Berth-Replica}, {@code X-Berth-Revision}),
 * and when the response ends (or breaks off) releases the endpoint and records the metrics.
 * Stateless, thread-safe.
 */
final class ExchangeInterceptor implements ProxyInterceptor {

    static final String REPLICA_HEADER = "X-Berth-Replica";
    static final String REVISION_HEADER = "X-Berth-Revision";
    static final String PROBLEM_JSON = "application/problem+json";

    private final ProxyMetrics metrics;

    ExchangeInterceptor(ProxyMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        Exchange exchange = new Exchange();
        context.set(Exchange.KEY, exchange);
        HttpServerRequest inbound = context.request().proxiedRequest();
        HttpServerResponse response = inbound.response();
        // Called once, whether the response ended or its connection closed first.
        response.endHandler(v -> finish(exchange, response));
        HostAndPort authority = inbound.authority();
        if (authority != null) {
            // kube-proxy is L4, so replicas see the Host the client sent; keep it that way.
            context.request().setAuthority(authority);
        }
        return context.sendRequest().recover(failure -> failure instanceof NoReadyEndpointException unavailable
                ? Future.succeededFuture(serviceUnavailable(context, unavailable))
                : Future.failedFuture(failure)); // vertx-http-proxy answers 502
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
        Exchange exchange = context.get(Exchange.KEY, Exchange.class);
        HttpUpstream upstream = exchange == null ? null : exchange.upstream();
        if (upstream != null) {
            context.response()
                    .putHeader(REPLICA_HEADER, upstream.endpoint().replica())
                    .putHeader(REVISION_HEADER, upstream.endpoint().revision());
        }
        return context.sendResponse();
    }

    private void finish(Exchange exchange, HttpServerResponse response) {
        HttpUpstream upstream = exchange.end();
        if (upstream != null) {
            upstream.release();
        }
        metrics.request(upstream == null ? ProxyMetrics.NO_REVISION : upstream.endpoint().revision(),
                response.ended() ? response.getStatusCode() : null,
                System.nanoTime() - exchange.startNanos);
    }

    private static ProxyResponse serviceUnavailable(ProxyContext context, NoReadyEndpointException cause) {
        Buffer problem = new JsonObject()
                .put("type", "about:blank")
                .put("title", "Service Unavailable")
                .put("status", 503)
                .put("detail", cause.getMessage())
                .toBuffer();
        return context.request().release().response()
                .setStatusCode(503)
                .putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
                .setBody(Body.body(problem));
    }
}
