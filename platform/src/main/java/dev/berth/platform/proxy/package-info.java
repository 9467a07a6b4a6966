/**
 * The kube-proxy of the local engine: one listener per Service on 127.0.0.1, load-balancing over the
 * Service's Ready endpoints (replica processes on 127.0.0.1), draining endpoints before their replica
 * is stopped so a rolling update loses no request.
 *
 * <p>Entry points: {@link dev.berth.platform.proxy.ServiceProxies} (all Services of the engine) and
 * {@link dev.berth.platform.proxy.ServiceProxy} (one Service). HTTP Services are proxied per request
 * (vertx-http-proxy), TCP Services (PostgreSQL) per connection. Everything here is plain Vert.x: the
 * core hands in its managed {@code Vertx} and {@code MeterRegistry}; nothing in this package is a bean.
 */
package dev.berth.platform.proxy;
